// Starts the bundled node for tests, in-process (fast, with an injectable clock) or as a child
// process through the built `rctl` binary (what operators run).

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/index';
import { freePort } from './ports';
import { waitForPort } from './redis-server';

export const repoRoot = join(__dirname, '..', '..');
export const rctlBin = join(repoRoot, 'bin', 'rctl.js');

const inProcess = new Set<RunningServer>();

export async function startNode(options: StartServerOptions = {}): Promise<RunningServer> {
  const node = await startServer(options);
  inProcess.add(node);
  const close = node.close;
  node.close = async () => {
    inProcess.delete(node);
    await close();
  };
  return node;
}

export interface NodeProcess {
  host: string;
  port: number;
  process: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Runs `rctl server <args>` as a child process on a free port (unless args name one). */
export async function startNodeProcess(args: string[] = [], host = '127.0.0.1'): Promise<NodeProcess> {
  const port = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : await freePort(host);
  const fullArgs = args.includes('--port') ? args : [...args, '--port', String(port)];
  if (!fullArgs.includes('--bind')) fullArgs.push('--bind', host);
  const child = spawn(process.execPath, [rctlBin, 'server', ...fullArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  await waitForPort(host, port);
  return {
    host,
    port,
    process: child,
    output: () => output,
    stop: async (signal: NodeJS.Signals = 'SIGKILL') => {
      children.delete(child);
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
  };
}
