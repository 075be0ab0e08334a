// Child processes for tests and benchmarks (redis-server, the bundled node, rctl): start one with
// its output captured, wait until its port answers, stop it with a signal and, if it lingers, with
// SIGKILL. Whatever is still running when the test process exits is killed, so a failed test never
// leaves a server behind. Plain node:child_process: these few operations need nothing more.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { connect } from 'node:net';

export { freePort } from './ports';

export interface StartedProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far (empty with `captureOutput: false`). */
  output(): string;
  /** Whether it has not exited yet. */
  running(): boolean;
  /** Resolves with the exit code (null when a signal ended it), at once if it already exited. */
  exited(): Promise<number | null>;
  /** Sends `signal` (SIGKILL by default); with `killAfterMs`, SIGKILL if still running by then. */
  stop(options?: { signal?: NodeJS.Signals; killAfterMs?: number }): Promise<number | null>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function startProcess(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; captureOutput?: boolean } = {}): StartedProcess {
  const capture = options.captureOutput ?? true;
  const spawnOptions: SpawnOptions = { cwd: options.cwd, env: options.env, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'ignore' };
  const child = spawn(command, args, spawnOptions);
  live.add(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  exitCode.then(() => live.delete(child));
  return {
    child,
    output: () => output,
    running,
    exited: () => (running() ? exitCode : Promise.resolve(child.exitCode)),
    stop: async ({ signal = 'SIGKILL', killAfterMs } = {}) => {
      if (!running()) return child.exitCode;
      child.kill(signal);
      const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const code = await exitCode;
      clearTimeout(timer);
      return code;
    },
  };
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits until something accepts connections on host:port. With `process`, fails as soon as that
 * process exits instead of waiting out the timeout.
 */
export async function waitForPort(host: string, port: number, options: { timeoutMs?: number; process?: ChildProcess } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const child = options.process;
    if (child && child.exitCode !== null) throw new Error(`the process exited with status ${child.exitCode} before listening`);
    if (await portAnswers(host, port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until the process has written `text`; fails when it exits first or time runs out. */
export async function waitForOutput(started: StartedProcess, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (!started.running()) throw new Error(`exited before writing ${JSON.stringify(text)}`);
    if (Date.now() > deadline) throw new Error(`did not write ${JSON.stringify(text)} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface FinishedProcess {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to the end and returns its exit code and output. With `timeoutMs`, a run still
 * going by then is killed and the promise fails with what it printed so far.
 */
export function runProcess(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<FinishedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${[command, ...args].join(' ')} did not finish within ${options.timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
          }, options.timeoutMs);
    child.on('error', reject);
    // 'close', not 'exit': all of its output has been read by then.
    child.on('close', (code) => {
      live.delete(child);
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
