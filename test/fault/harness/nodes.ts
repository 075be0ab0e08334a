// Nodes for the fault suite, as real processes: the bundled node through the built `rctl server`
// binary, or a real redis-server. Both start from a redis.conf in their own directory, so a
// restart is the same command again, exactly as an operator (or rctl) would restart them.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { rctlBin, repoRoot } from '../../helpers/bundled-node';
import { freePort } from '../../helpers/ports';
import { redisServerPath } from '../../helpers/redis-server';
import { infoFields } from '../../helpers/info';

export type NodeKind = 'bundled' | 'redis';

/** Directives every node gets: loopback only, no persistence unless asked, a fast full sync. */
const BASE_DIRECTIVES: Record<string, string> = {
  bind: '127.0.0.1',
  'protected-mode': 'no',
  save: '""',
  appendonly: 'no',
  logfile: '""',
  'repl-diskless-sync-delay': '0',
};

/** How long SHUTDOWN or a signal may take to end a node before the test calls it hung. */
const EXIT_WAIT_MS = 15_000;
/** How long a node may take to answer on its port after being launched. */
const START_WAIT_MS = 10_000;
/**
 * A free port is only free until someone binds it: between freePort() and the node's own bind
 * (a bundled node needs up to seconds to get there on a loaded machine) any listen(0) on the
 * machine, e.g. a concurrent scenario's fault proxy, can take it. A first start then retries on a
 * fresh port; each attempt is one such unlucky draw, so a few are plenty.
 */
const START_ATTEMPTS = 5;
/** Both redis-server and the bundled node say this when their port is taken. */
const PORT_IN_USE = 'Address already in use';

/** The node could not have its port: another process is listening there. */
class PortTakenError extends Error {}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function assertBundledBinaryBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist', 'server.js'))) {
    throw new Error('the fault suite runs the built node: run `npm run build` first');
  }
}

export class FaultNode {
  private child: ChildProcess | null = null;
  /** Everything the node printed, across restarts. */
  private output = '';
  private clients: Redis[] = [];
  /** Exit code or signal of the last run, once it ended. */
  lastExit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private exitListeners: Array<() => void> = [];

  private constructor(
    readonly kind: NodeKind,
    readonly name: string,
    readonly host: string,
    readonly port: number,
    readonly dir: string,
    private directives: Record<string, string>,
  ) {}

  static async start(kind: NodeKind, name: string, directives: Record<string, string> = {}): Promise<FaultNode> {
    if (kind === 'redis' && !redisServerPath) throw new Error('redis-server is not on PATH');
    if (kind === 'bundled') assertBundledBinaryBuilt();
    const host = '127.0.0.1';
    for (let attempt = 1; ; attempt++) {
      const port = await freePort(host);
      const dir = mkdtempSync(join(tmpdir(), `rctl-fault-${kind}-`));
      const node = new FaultNode(kind, name, host, port, dir, { ...BASE_DIRECTIVES, port: String(port), dir, ...directives });
      try {
        await node.launch();
        return node;
      } catch (error) {
        await node.close();
        if (!(error instanceof PortTakenError) || attempt === START_ATTEMPTS) throw error;
      }
    }
  }

  get label(): string {
    return `${this.name} (${this.kind} :${this.port})`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Changes directives for the next (re)start. */
  configure(directives: Record<string, string>): void {
    this.directives = { ...this.directives, ...directives };
  }

  private writeConfig(): string {
    const path = join(this.dir, 'redis.conf');
    writeFileSync(path, Object.entries(this.directives).map(([k, v]) => `${k} ${v}`).join('\n') + '\n');
    return path;
  }

  private async launch(): Promise<void> {
    const conf = this.writeConfig();
    const [command, args] = this.kind === 'bundled' ? [process.execPath, [rctlBin, 'server', conf]] : [redisServerPath as string, [conf]];
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
    this.child = child;
    this.lastExit = null;
    live.add(child);
    child.stdout?.on('data', (chunk) => (this.output += chunk));
    child.stderr?.on('data', (chunk) => (this.output += chunk));
    // 'close' comes once the child's output is all read: 'exit' may come before its last words.
    const outputComplete = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (this.child === child) this.child = null;
      this.lastExit = { code, signal };
      for (const listener of this.exitListeners.splice(0)) listener();
    });
    await this.waitUntilServing(child, outputComplete);
  }

  /**
   * Waits until our own process answers on our port. Something accepting connections there is not
   * enough: when another process took the port first, our node exits, and every later command,
   * log wait and dump of this node would silently go to that other process.
   */
  private async waitUntilServing(child: ChildProcess, outputComplete: Promise<void>): Promise<void> {
    const deadline = Date.now() + START_WAIT_MS;
    for (;;) {
      if (this.child !== child) {
        await outputComplete;
        const why = `${this.label} exited while starting (${JSON.stringify(this.lastExit)}):\n${this.output}`;
        throw this.output.includes(PORT_IN_USE) ? new PortTakenError(why) : new Error(why);
      }
      const pid = await this.pidServingPort();
      if (pid === child.pid) return;
      if (pid !== null) {
        // Our node cannot bind a port someone else listens on: it is exiting, or about to.
        await this.kill();
        throw new PortTakenError(`${this.label}: port ${this.port} is served by process ${pid}, not by ours (${child.pid})`);
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`${this.label} did not answer on its port after ${START_WAIT_MS} ms:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** process_id from INFO of whatever answers on our port, or null when nothing answers (yet). */
  private async pidServingPort(): Promise<number | null> {
    const probe = new Redis({
      host: this.host,
      port: this.port,
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
      commandTimeout: 1000,
    });
    probe.on('error', () => {});
    try {
      await probe.connect();
      const fields = await infoFields(probe, 'server');
      const pid = Number(fields.process_id);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    } finally {
      probe.disconnect();
    }
  }

  /** A client for this node; reconnects after restarts, never queues forever. */
  client(db = 0, options: { commandTimeout?: number } = {}): Redis {
    const client = new Redis({ host: this.host, port: this.port, db, maxRetriesPerRequest: 2, retryStrategy: () => 50, enableReadyCheck: false, ...options });
    client.on('error', () => {});
    this.clients.push(client);
    return client;
  }

  async info(section = 'replication'): Promise<Record<string, string>> {
    const client = this.adminClient();
    return infoFields(client, section);
  }

  private admin: Redis | null = null;
  private adminClient(): Redis {
    this.admin ??= this.client();
    return this.admin;
  }

  async command(...args: string[]): Promise<unknown> {
    return this.adminClient().call(args[0], ...args.slice(1));
  }

  log(): string {
    return this.output;
  }

  /** A mark to read only what was logged after it: logSince(mark). */
  logMark(): number {
    return this.output.length;
  }

  logSince(mark: number): string {
    return this.output.slice(mark);
  }

  /** Waits for the process to end by itself (SHUTDOWN) or after a signal; bounded, so a hung node fails the test. */
  private waitForExit(timeoutMs = EXIT_WAIT_MS): Promise<void> {
    if (!this.child) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label} did not exit within ${timeoutMs} ms:\n${this.output.slice(-2000)}`)), timeoutMs);
      this.exitListeners.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends a signal and waits for the process to end. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const exited = this.waitForExit();
    this.child?.kill(signal);
    await exited;
  }

  /** SHUTDOWN [SAVE|NOSAVE] through a client, then waits for the process to end. */
  async shutdown(mode: 'SAVE' | 'NOSAVE' | '' = ''): Promise<void> {
    const exited = this.waitForExit();
    const client = this.client();
    await client.call('SHUTDOWN', ...(mode ? [mode] : [])).catch(() => {});
    client.disconnect();
    await exited;
  }

  async restart(): Promise<void> {
    if (this.child) throw new Error(`${this.label} is still running`);
    await this.launch();
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async close(): Promise<void> {
    for (const client of this.clients.splice(0)) client.disconnect();
    this.admin = null;
    if (this.child) await this.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
