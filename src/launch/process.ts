// Starts launched nodes as detached processes and finds them again later by their pid file.
// Nothing secret is on the command line: the node reads its password from its 0600 config file.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, fstatSync, realpathSync, writeFileSync } from 'node:fs';
import type { LaunchMode } from '../topology/schema';
import type { NodePaths } from '../state/topology-state';
import { rctlBinary } from './package-root';
import { processAlive } from '../state/pid';

export interface LaunchedProcess {
  pid: number;
  /** Resolves with a description when the process exits (it should not while we wait for it). */
  exited: Promise<string>;
}

/** `overrides`: `--directive value` arguments after the config file, for this start only (never a secret). */
export function launchCommand(mode: Exclude<LaunchMode, 'external'>, configFile: string, redisServer = 'redis-server', overrides: string[] = []): { command: string; args: string[] } {
  if (mode === 'embedded') return { command: process.execPath, args: [rctlBinary(), 'server', configFile, ...overrides] };
  return { command: redisServer, args: [configFile, ...overrides] };
}

export function startNodeProcess(mode: Exclude<LaunchMode, 'external'>, paths: NodePaths, redisServer?: string, overrides: string[] = []): LaunchedProcess {
  const { command, args } = launchCommand(mode, paths.config, redisServer, overrides);
  // stdout/stderr go to the node's log too: start-up failures (bad config, port in use) land there
  // before the node's own logging starts.
  const logFd = openSync(paths.log, 'a', 0o600);
  let child;
  try {
    child = spawn(command, args, { cwd: paths.dataDir, detached: true, stdio: ['ignore', logFd, logFd], env: nodeEnv() });
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ENOENT' ? `${command} not found${command.includes('/') ? '' : ' on PATH'}` : `cannot start ${command}: ${error.message}`),
    );
    child.once('exit', (code, signal) => resolve(signal ? `exited on ${signal}` : `exited with code ${code}`));
  });
  child.unref();
  if (child.pid !== undefined) writeFileSync(paths.pid, `${child.pid}\n`, { mode: 0o600 });
  return { pid: child.pid ?? -1, exited };
}

/** The environment a node inherits, minus anything that could carry a password. */
function nodeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'NODE_OPTIONS', 'TMPDIR']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return env;
}

export function readPid(paths: NodePaths): number | null {
  try {
    const pid = Number(readFileSync(paths.pid, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * True when `pid` is alive and (where /proc exists) really runs this node's config file, so a
 * recycled pid is never mistaken for our node.
 */
export function isOurProcess(pid: number, paths: NodePaths): boolean {
  if (!processAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    if (readFileSync(cmdline, 'latin1').split('\0').includes(paths.config)) return true;
    // redis-server rewrites its process title (set-proc-title), hiding the config path; its
    // working directory is still the node's data dir (dir directive and spawn cwd).
    return realpathSync(`/proc/${pid}/cwd`) === realpathSync(paths.dataDir);
  } catch {
    return false;
  }
}

/** The running pid of a launched node, or null. */
export function runningPid(paths: NodePaths): number | null {
  const pid = readPid(paths);
  return pid !== null && isOurProcess(pid, paths) ? pid : null;
}

/** Last lines of the node's log, to explain a failed start. */
export function logTail(paths: NodePaths, lines = 3): string {
  try {
    const fd = openSync(paths.log, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, 4096);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      return buffer
        .toString('utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .slice(-lines)
        .join(' | ');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}
