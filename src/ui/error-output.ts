// How a failed command looks: one line on stderr (`rctl: message — suggestion`; a plain `-` under
// a locale without UTF-8), the exit code from the table in src/errors.ts, and with --json an
// {error} object on stdout. No stack trace unless DEBUG is set.

import { ExitCode, RctlError, type ExitCodeValue } from '../errors';
import type { ErrorJson } from '../output/schemas';
import { symbolsOf, type Charset } from './charset';

export interface RenderedError {
  stderr: string;
  json: ErrorJson;
  exitCode: ExitCodeValue;
}

interface OclifLikeError extends Error {
  oclif?: { exit?: number };
}

/**
 * oclif's parser builds multi-line messages ("Missing 2 required args:\nNODE  ...\nSee more help
 * with --help") and prefixes errors thrown by flag parsers with "Parsing --flag \n\t". One line:
 */
export function oneLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^See more help with --help$/.test(l));
  if (lines.length <= 1) return lines[0] ?? '';
  const [first, ...rest] = lines;
  if (/^Parsing --\S+$/.test(first)) return `${first}: ${rest.join(' ')}`;
  // A heading followed by a list (missing args): keep the listed names.
  if (first.endsWith(':')) return `${first} ${rest.map((l) => l.split(/\s+/)[0]).join(', ')}`;
  return first;
}

export function renderError(error: unknown, debug: boolean, charset: Charset): RenderedError {
  const { dash } = symbolsOf(charset);
  if (error instanceof RctlError) {
    const line = `rctl: ${oneLine(error.message)}${error.suggestion ? ` ${dash} ${error.suggestion}` : ''}`;
    return { stderr: line + '\n' + (debug ? `${error.stack}\n` : ''), json: { error: error.toJSON() }, exitCode: error.exitCode };
  }
  const oclifExit = (error as OclifLikeError)?.oclif?.exit;
  if (error instanceof Error && typeof oclifExit === 'number') {
    // Flag and argument errors from the parser: usage (exit 2), in one line.
    const first = oneLine(error.message);
    const exitCode = oclifExit === 0 ? 0 : ExitCode.BadInput;
    return {
      stderr: `rctl: ${first} ${dash} see --help\n` + (debug ? `${error.stack}\n` : ''),
      json: { error: { code: 'USAGE', message: first, exitCode, suggestion: 'see --help' } },
      exitCode,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    stderr: `rctl: unexpected error: ${oneLine(message)}${debug ? '' : ' (set DEBUG=1 for details)'}\n` + (debug && error instanceof Error ? `${error.stack}\n` : ''),
    json: { error: { code: 'UNEXPECTED', message, exitCode: ExitCode.Unexpected, suggestion: 'set DEBUG=1 for details' } },
    exitCode: ExitCode.Unexpected,
  };
}
