// Server processes for benchmarks: the bundled node (`node bin/rctl.js server`, its own process
// and core, as operators run it) and a real redis-server, both on loopback with persistence off.

import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitForPort, type StartedProcess } from '../../test/helpers/processes';

export { freePort };

export type ServerKind = 'node' | 'redis';

export const repoRoot = join(__dirname, '..', '..');

export interface ServerProcess {
  kind: ServerKind;
  port: number;
  child: ChildProcess;
  dir: string;
  pid: number;
  started: StartedProcess;
}

export interface StartOptions {
  /** Extra flags for the node binary itself, e.g. --cpu-prof or --max-old-space-size. */
  nodeFlags?: string[];
  /** Another redis-server binary (scripts/redis-versions.ts); default: PATH's. */
  redisServer?: string;
  /** More directives for either server, after the defaults (so they override them). */
  extraArgs?: string[];
}

export async function startServerProcess(kind: ServerKind, options: StartOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `rctl-bench-server-${kind}-`));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, `${kind}.log`), ...(options.extraArgs ?? [])];
  const started =
    kind === 'redis'
      ? startProcess(options.redisServer ?? 'redis-server', args, { captureOutput: false })
      : startProcess(process.execPath, [...(options.nodeFlags ?? []), join(repoRoot, 'bin', 'rctl.js'), 'server', ...args], { captureOutput: false, cwd: dir });
  const child = started.child;
  try {
    await waitForPort('127.0.0.1', port, { timeoutMs: 30_000, process: child });
  } catch (error) {
    await started.stop();
    let logTail = '';
    try {
      logTail = readFileSync(join(dir, `${kind}.log`), 'utf8').split('\n').slice(-10).join('\n');
    } catch {
      // no log written
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${kind} did not start: ${(error as Error).message}\n${logTail}`);
  }
  return { kind, port, child, dir, pid: child.pid as number, started };
}

/** SIGTERM first so a profiled node writes its profile on the way out; SIGKILL if it lingers. */
export async function stopServerProcess(server: ServerProcess, keepDir = false): Promise<void> {
  await server.started.stop({ signal: 'SIGTERM', killAfterMs: 20_000 });
  if (!keepDir) rmSync(server.dir, { recursive: true, force: true });
}

/** Resident set size from /proc/<pid>/status (VmRSS), in bytes. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

export function redisVersion(): string {
  const result = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return /v=(\S+)/.exec(result.stdout)?.[1] ?? 'unknown';
}

export function haveCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

let clockTicks: number | null = null;

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return (user + system) / clockTicks;
}
