// Commands an operator can paste to fix what rctl could not (`redis-cli ... CONFIG SET ...`), for
// check findings and failed steps alike. Passwords are never written out: `<password>` stands
// for the topology's password.

import type { Topology } from '../topology/model';

export const PASSWORD_PLACEHOLDER = '<password>';

/** A value as one shell word: bare when safe, else double-quoted. */
export function shellWord(value: string): string {
  if (value === PASSWORD_PLACEHOLDER) return value;
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(value)) return value;
  return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** `redis-cli -h HOST -p PORT [-a <password>] ARGS`. */
export function redisCliCommand(topology: Pick<Topology, 'password'>, node: { host: string; port: number }, args: ReadonlyArray<string | number>): string {
  const host = node.host.replace(/^\[(.*)\]$/, '$1');
  const auth = topology.password ? ` -a ${PASSWORD_PLACEHOLDER}` : '';
  return `redis-cli -h ${host} -p ${node.port}${auth} ${args.map((arg) => shellWord(String(arg))).join(' ')}`;
}
