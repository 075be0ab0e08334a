// End-to-end helpers: run the BUILT `rctl` binary as a subprocess with its own RCTL_HOME, write
// topology files, talk to nodes, and clean up every process a test launched.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawConnection } from '../helpers/raw-connection';
import { freePort, runProcess } from '../helpers/processes';

export const repoRoot = join(__dirname, '..', '..');
// RCTL_TEST_BIN runs the suite against another entry point (e.g. a candidate bin/rctl.js).
export const rctlBin = process.env.RCTL_TEST_BIN ?? join(repoRoot, 'bin', 'rctl.js');

/** Fails loudly when the bundle predates the CLI commands: e2e tests need `npm run build`. */
export function requireBuiltCli(): void {
  const bundle = join(repoRoot, 'dist', 'commands.js');
  if (!existsSync(bundle) || !readFileSync(bundle, 'utf8').includes('"replicaof"')) {
    throw new Error('dist/commands.js is missing the up/status/down/replicaof commands: run `npm run build` first');
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  home: string;
  dir: string;
  run(args: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  topology(name: string, text: string): string;
  /** Everything printed by every run so far (to check that no password leaked). */
  transcript(): string;
  /** Kills anything still launched under this sandbox and deletes its directory. */
  cleanup(): void;
}

export function runRctl(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<RunResult> {
  return runProcess(process.execPath, [rctlBin, ...args], { env, timeoutMs });
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'rctl-cli-'));
  const home = join(dir, 'home');
  let transcript = '';
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, RCTL_HOME: home };
  delete baseEnv.RCTL_TOPOLOGY;
  delete baseEnv.DEBUG;
  return {
    home,
    dir,
    async run(args, options = {}) {
      const result = await runRctl(args, { ...baseEnv, ...options.env }, options.timeoutMs);
      transcript += result.stdout + result.stderr;
      return result;
    },
    topology(name, text) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    transcript: () => transcript,
    cleanup() {
      killLaunched(home);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lines of stderr that are not progress (`- step`, indented details) or warnings. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('- ') && !line.startsWith('    ') && !line.startsWith('warning: '));
}

/** One command on a fresh connection, authenticated when a password is given; the raw RESP reply. */
export async function redisCommand(host: string, port: number, password: string | null, args: string[]): Promise<string> {
  const connection = await RawConnection.open(host, port);
  try {
    if (password !== null) {
      const auth = await connection.command(['AUTH', password]);
      if (auth !== '+OK\r\n') throw new Error(`AUTH failed: ${auth}`);
    }
    return await connection.command(args);
  } finally {
    connection.close();
  }
}

/** Pids recorded under RCTL_HOME (node.pid files), to clean up whatever a failed test left running. */
export function launchedPids(home: string): number[] {
  const pids: number[] = [];
  if (!existsSync(home)) return pids;
  for (const topology of readdirSync(home, { withFileTypes: true })) {
    if (!topology.isDirectory()) continue;
    for (const node of readdirSync(join(home, topology.name), { withFileTypes: true })) {
      const pidFile = join(home, topology.name, node.name, 'node.pid');
      if (node.isDirectory() && existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0) pids.push(pid);
      }
    }
  }
  return pids;
}

export function killLaunched(home: string): void {
  for (const pid of launchedPids(home)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Running, and not a zombie waiting for init to reap it (detached nodes outlive their parent). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
}

/**
 * A TCP server that answers like a Redis node still loading its dataset: AUTH is accepted (Redis
 * flags it ok-loading), INFO reports loading:1, everything else gets Redis's LOADING error.
 */
export async function startLoadingImpostor(host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  return startImpostor(host, (args) => {
    const name = args[0]?.toUpperCase();
    if (name === 'AUTH') return '+OK\r\n';
    if (name === 'INFO') {
      return bulk('# Server\r\nredis_version:7.0.15\r\n\r\n# Persistence\r\nloading:1\r\n\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_replid:0000000000000000000000000000000000000001\r\nmaster_replid2:0000000000000000000000000000000000000000\r\nmaster_repl_offset:0\r\n');
    }
    return '-LOADING Redis is loading the dataset in memory\r\n';
  });
}

/**
 * A TCP server that answers like a passwordless Redis master of `version` (e.g. 4.0.14, which no
 * test can start for real): PING, AUTH's no-password error, INFO and CONFIG GET (nothing set). Any
 * other command gets an error and is recorded, so a test can check that nothing was changed.
 */
export async function startVersionImpostor(version: string, host = '127.0.0.1'): Promise<{ port: number; received: string[][]; close(): Promise<void> }> {
  const received: string[][] = [];
  const impostor = await startImpostor(host, (args) => {
    const name = args[0]?.toUpperCase();
    if (name === 'PING') return '+PONG\r\n';
    if (name === 'AUTH') return '-ERR Client sent AUTH, but no password is set\r\n';
    if (name === 'INFO') {
      return bulk(`# Server\r\nredis_version:${version}\r\nrun_id:${'4'.repeat(40)}\r\n\r\n# Persistence\r\nloading:0\r\n\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_replid:${'4'.repeat(40)}\r\nmaster_replid2:0000000000000000000000000000000000000000\r\nmaster_repl_offset:0\r\nsecond_repl_offset:-1\r\n`);
    }
    if (name === 'CONFIG' && args[1]?.toUpperCase() === 'GET') return '*0\r\n';
    received.push(args);
    return `-ERR impostor: ${name} not expected\r\n`;
  });
  return { ...impostor, received };
}

const bulk = (body: string) => `$${Buffer.byteLength(body)}\r\n${body}\r\n`;

/** A TCP server that answers each command with `reply(args)`: a stand-in for what no test can run for real. */
async function startImpostor(host: string, reply: (args: string[]) => string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((socket) => {
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      for (;;) {
        const parsed = takeCommand(pending);
        if (!parsed) break;
        pending = pending.slice(parsed.consumed);
        socket.write(reply(parsed.args));
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function takeCommand(text: string): { args: string[]; consumed: number } | null {
  if (!text.startsWith('*')) return null;
  let cursor = text.indexOf('\r\n');
  if (cursor === -1) return null;
  const count = Number(text.slice(1, cursor));
  cursor += 2;
  const args: string[] = [];
  for (let i = 0; i < count; i++) {
    const end = text.indexOf('\r\n', cursor);
    if (end === -1) return null;
    const length = Number(text.slice(cursor + 1, end));
    const start = end + 2;
    if (text.length < start + length + 2) return null;
    args.push(text.slice(start, start + length));
    cursor = start + length + 2;
  }
  return { args, consumed: cursor };
}

/**
 * A topology file of three bundled nodes (`master`, and the replicas named in `names`) on free
 * ports of the given loopback hosts, written into the sandbox; rctl up launches them.
 */
export async function embeddedTopology(
  box: Sandbox,
  options: { name: string; password: string; hosts: Record<string, string> },
): Promise<{ file: string; address: Record<string, { host: string; port: number }> }> {
  const address: Record<string, { host: string; port: number }> = {};
  for (const [node, host] of Object.entries(options.hosts)) address[node] = { host, port: await freePort(host) };
  const [masterName] = Object.keys(options.hosts);
  const nodes = Object.entries(address).map(([node, a]) => `  - { name: ${node}, host: ${a.host}, port: ${a.port}, role: ${node === masterName ? 'master' : 'replica'} }`);
  const file = box.topology(`${options.name}.yml`, `name: ${options.name}\nauth:\n  password: "${options.password}"\nlaunch: embedded\nnodes:\n${nodes.join('\n')}\n`);
  return { file, address };
}
