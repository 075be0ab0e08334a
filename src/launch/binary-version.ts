// The Redis version a launch would run, read from the executable itself (`redis-server --version`,
// `rctl server --version`) before any node is stopped: an upgrade to a missing or unsupported
// binary is refused while every node still runs.

import { execa } from 'execa';
import { BadInputError } from '../errors';
import type { LaunchMode } from '../topology/schema';
import { launchCommand } from './process';

export interface BinaryVersion {
  /** The Redis version it answers as (the bundled node: the version it emulates). */
  version: string;
  bundled: boolean;
}

/** Parses redis-server's `Redis server v=7.2.6 sha=... build=...` line. */
export function parseVersionLine(text: string): BinaryVersion | null {
  const match = /\bv=(\d+\.\d+\.\d+)\b/.exec(text);
  return match ? { version: match[1], bundled: /\bbuild=rctl-node-/.test(text) } : null;
}

export async function binaryVersion(mode: Exclude<LaunchMode, 'external'>, redisServer?: string): Promise<BinaryVersion> {
  const { command, args } = launchCommand(mode, '--version', redisServer);
  const shown = mode === 'embedded' ? 'the bundled node' : (redisServer ?? 'redis-server');
  const result = await execa(command, args, { stdin: 'ignore', reject: false, timeout: 10_000 });
  const parsed = result.failed ? null : parseVersionLine(result.stdout);
  if (!parsed) {
    const why = result.code === 'ENOENT' ? 'not found' : result.failed ? (result.stderr.trim().split('\n').at(-1) ?? `exit ${result.exitCode}`) : 'no version in its --version output';
    throw new BadInputError('UPGRADE_BINARY', `${shown}: ${why}`, 'give --to embedded, or the path of a redis-server executable (5.0 to 7.2)');
  }
  return parsed;
}
