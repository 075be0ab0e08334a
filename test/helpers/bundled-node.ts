// Starts the bundled node for tests, in-process (fast, with an injectable clock) or as a child
// process through the built `rctl` binary (what operators run).

import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/index';
import { freePort, startProcess, waitForPort } from './processes';
import { RawConnection } from './raw-connection';

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

/** How many fresh ports a node on a port of our choosing may try (see answeredByChild). */
const START_ATTEMPTS = 5;

/**
 * Runs `rctl server <args>` as a child process on a free port (unless args name one).
 * freePort() only finds a port that was free a moment ago: until the node binds it, any listen(0)
 * on the machine may take it, and the port would then answer for somebody else. So the node
 * counts as started only once the process answering there is this child; on a port of our choosing
 * it retries on a fresh one.
 */
export async function startNodeProcess(args: string[] = [], host = '127.0.0.1'): Promise<NodeProcess> {
  const portGiven = args.includes('--port');
  for (let attempt = 1; ; attempt++) {
    const port = portGiven ? Number(args[args.indexOf('--port') + 1]) : await freePort(host);
    const fullArgs = portGiven ? [...args] : [...args, '--port', String(port)];
    if (!fullArgs.includes('--bind')) fullArgs.push('--bind', host);
    const node = startProcess(process.execPath, [rctlBin, 'server', ...fullArgs]);
    const child = node.child;
    const stop = (signal: NodeJS.Signals = 'SIGKILL') => node.stop({ signal });
    if (await answeredByChild(child, host, port)) return { host, port, process: child, output: node.output, stop };
    await stop();
    if (portGiven || attempt === START_ATTEMPTS) throw new Error(`rctl server did not start on ${host}:${port} (another process has the port, or it exited):\n${node.output()}`);
  }
}

/** True once this child answers on the port; false when it exited or another process answers there. */
async function answeredByChild(child: ChildProcess, host: string, port: number): Promise<boolean> {
  const exited = new Promise<false>((resolve) => child.once('exit', () => resolve(false)));
  if (child.exitCode !== null || child.signalCode !== null) return false;
  const ready = await Promise.race([
    waitForPort(host, port).then(
      () => true,
      () => false,
    ),
    exited,
  ]);
  if (!ready) return false;
  let connection: RawConnection | null = null;
  try {
    connection = await RawConnection.open(host, port);
    const reply = await connection.command(['INFO', 'server']);
    // A node started with a password cannot tell: it answered, and the child is alive.
    if (reply.startsWith('-NOAUTH')) return child.exitCode === null && child.signalCode === null;
    return new RegExp(`\\r\\nprocess_id:${child.pid}\\r\\n`).test(reply);
  } catch {
    // Refused, closed, or not Redis answering there: not our node.
    return false;
  } finally {
    connection?.close();
  }
}
