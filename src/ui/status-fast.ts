// `rctl status` without oclif: the start-up path a script polls. Loading oclif alone takes longer
// than the whole 120 ms budget, so bin/rctl.js hands plain status invocations to this module. It
// answers only when it can do so fast and exactly like the oclif command (same functions, same
// output); anything else returns null and goes to the oclif command (commands/status.ts): --help,
// --watch, unknown or malformed flags, and a topology not in the cache yet (first use after an
// edit: the full load validates it, reports errors with positions, and fills the cache).
// It writes only through the `io` it is given.

import { observeStatus } from '../cluster/sentinel/status';
import type { StatusReport } from '../cluster/status';
import { cachedSelectedTopology } from '../state/cached';
import { rctlHome } from '../state/home';
import { TopologyState } from '../state/topology-state';
import { renderError } from './error-output';
import { renderStatusTable } from './status-table';
import { charsetOf, stdoutCharsetOf } from './charset';

export interface FastIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env?: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal: a pipe or file gets ASCII. */
  stdoutIsTTY?: boolean;
}

interface FastArgs {
  /** The positional TOPOLOGY. */
  argument?: string;
  topology?: string;
  json: boolean;
  timeoutSeconds: number;
}

/** The arguments this path handles, or null for everything the oclif command should see. */
export function parseFastArgs(argv: string[]): FastArgs | null {
  const args: FastArgs = { json: false, timeoutSeconds: 2 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let value: string | undefined;
    if (arg === '--json') {
      args.json = true;
      continue;
    }
    if (arg === '-t' || arg === '--topology' || arg === '--timeout') {
      value = argv[++i];
      if (value === undefined || value.startsWith('-')) return null;
    } else if (arg.startsWith('--topology=') || arg.startsWith('--timeout=')) {
      value = arg.slice(arg.indexOf('=') + 1);
    } else if (!arg.startsWith('-') && args.argument === undefined) {
      args.argument = arg;
      continue;
    } else {
      return null;
    }
    if (arg.startsWith('--timeout')) {
      const seconds = Number(value);
      if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) return null;
      args.timeoutSeconds = seconds;
    } else {
      if (args.topology !== undefined) return null;
      args.topology = value;
    }
  }
  return args;
}

/** Runs `rctl status`; resolves with the exit code, or null when oclif must handle the arguments. */
export async function runStatusFast(argv: string[], io: FastIo): Promise<number | null> {
  const args = parseFastArgs(argv);
  if (!args) return null;
  const env = io.env ?? process.env;
  const charset = stdoutCharsetOf(env, Boolean(io.stdoutIsTTY));
  const json = args.json || env.RCTL_CONTENT_TYPE?.toLowerCase() === 'json';
  const topology = cachedSelectedTopology({ argument: args.argument, flag: args.topology, env });
  if (!topology) return null;
  try {
    const view = await observeStatus(topology, { timeoutMs: Math.max(1, Math.round(args.timeoutSeconds * 1000)), state: new TopologyState(rctlHome(env), topology.name) });
    const report: StatusReport = view.report;
    io.stdout(json ? JSON.stringify(report, null, 2) + '\n' : renderStatusTable(view, charset) + '\n');
    return report.healthy ? 0 : 3;
  } catch (error) {
    const rendered = renderError(error, Boolean(env.DEBUG), charsetOf(env));
    if (json) io.stdout(JSON.stringify(rendered.json, null, 2) + '\n');
    io.stderr(rendered.stderr);
    return rendered.exitCode;
  }
}
