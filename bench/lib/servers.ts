// Server processes for benchmarks: the bundled node (`node bin/rctl.js server`, its own process
// and core, as operators run it) and a real redis-server, both on loopback with persistence off.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ServerKind = 'node' | 'redis';

export const repoRoot = join(__dirname, '..', '..');

export interface ServerProcess {
  kind: ServerKind;
  port: number;
  child: ChildProcess;
  dir: string;
  pid: number;
}

export interface StartOptions {
  /** Extra flags for the node binary itself, e.g. --cpu-prof or --max-old-space-size. */
  nodeFlags?: string[];
  /** Another redis-server binary (scripts/redis-versions.ts); default: PATH's. */
  redisServer?: string;
  /** More directives for either server, after the defaults (so they override them). */
  extraArgs?: string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with status ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function startServerProcess(kind: ServerKind, options: StartOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `rctl-bench-server-${kind}-`));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, `${kind}.log`), ...(options.extraArgs ?? [])];
  const child =
    kind === 'redis'
      ? spawn(options.redisServer ?? 'redis-server', args, { stdio: 'ignore' })
      : spawn(process.execPath, [...(options.nodeFlags ?? []), join(repoRoot, 'bin', 'rctl.js'), 'server', ...args], { stdio: 'ignore', cwd: dir });
  try {
    await waitForPort(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    let logTail = '';
    try {
      logTail = readFileSync(join(dir, `${kind}.log`), 'utf8').split('\n').slice(-10).join('\n');
    } catch {
      // no log written
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${kind} did not start: ${(error as Error).message}\n${logTail}`);
  }
  return { kind, port, child, dir, pid: child.pid as number };
}

/** SIGTERM first so a profiled node writes its profile on the way out; SIGKILL if it lingers. */
export async function stopServerProcess(server: ServerProcess, keepDir = false): Promise<void> {
  const child = server.child;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
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
