// A HOST:PORT typed on the command line (replica add, discover), checked before anything connects.

import { BadInputError } from '../errors';
import { shownText } from './shown-text';

/** HOST:PORT or [IPv6]:PORT; the port is required (a new node has no default to guess). `example` ends the message: a command line that shows the form. */
export function parseAddress(text: string, example = 'e.g. `rctl replica add replica3 127.0.0.1:6382`'): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || match[1].trim() === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new BadInputError('USAGE', `"${shownText(text)}" is not HOST:PORT (port 1-65535; IPv6 as [::1]:PORT)`, example);
  }
  return { host: match[1], port };
}
