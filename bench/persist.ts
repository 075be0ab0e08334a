// npm run bench:persist — persistence of the bundled node side by side with redis-server on the
// same data (1M keys: strings, hashes, lists, sets, sorted sets), both as child processes:
//   SAVE time, BGSAVE time and RDB size; load time at start (the "DB loaded from disk" log line,
//   and the wall time from spawn until PING answers with the data loaded); the latency of single
//   GET/SET requests from a client running while idle, during BGSAVE and during BGREWRITEAOF.
// Options: --keys N (default 1,000,000), --runs N (repetitions of SAVE/BGSAVE/load, default 3),
// --profile (the node runs with --cpu-prof; the top functions of each phase are printed).
// Results go to bench/results/persist.json and persist.md.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { encodeCommand, ReplyReader } from '../src/node/resp';
import { freePort } from '../test/helpers/processes';

const repoRoot = join(__dirname, '..', '..');
const resultsDir = join(repoRoot, 'bench', 'results');

type Kind = 'redis' | 'node';

/** Targets from issue 6. */
const TARGET_TIME_RATIO = 2;
const TARGET_BGSAVE_P99_MS = 10;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const KEYS = option('keys', 1_000_000);
const RUNS = option('runs', 3);
const PROFILE = process.argv.includes('--profile');

// --- processes ------------------------------------------------------------------------------

interface ServerProc {
  kind: Kind;
  port: number;
  dir: string;
  child: ChildProcess;
  logPath: string;
  spawnedAt: number;
}

/** Starts a server on `dir` (reusing its dump.rdb) with persistence off unless directives say otherwise. */
async function startServer(kind: Kind, dir: string, port: number, logName: string): Promise<ServerProc> {
  const logPath = join(dir, logName);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', logPath];
  const spawnedAt = performance.now();
  const nodeFlags = ['--max-old-space-size=8192', ...(PROFILE ? ['--cpu-prof', '--cpu-prof-dir', join(dir, 'profiles')] : [])];
  const child =
    kind === 'redis'
      ? spawn('redis-server', args, { stdio: 'ignore', cwd: dir })
      : spawn(process.execPath, [...nodeFlags, join(repoRoot, 'bin', 'rctl.js'), 'server', ...args], { stdio: 'ignore', cwd: dir });
  const proc = { kind, port, dir, child, logPath, spawnedAt };
  await waitUntilServing(proc);
  return proc;
}

/** Waits until PING answers +PONG (not -LOADING): the dataset is loaded and the server serves. */
async function waitUntilServing(proc: ServerProc): Promise<number> {
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.kind} exited with status ${proc.child.exitCode}; see ${proc.logPath}`);
    const reply = await new Promise<string | null>((resolve) => {
      const socket = connect(proc.port, '127.0.0.1', () => socket.write('*1\r\n$4\r\nPING\r\n'));
      socket.setTimeout(2000, () => socket.destroy());
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString('latin1'));
      });
      socket.once('error', () => resolve(null));
      socket.once('close', () => resolve(null));
    });
    if (reply?.startsWith('+PONG')) return performance.now() - proc.spawnedAt;
    await sleep(5);
  }
}

/** SIGTERM (a profiled node writes its profile), SIGKILL if it lingers. */
async function stopServer(proc: ServerProc): Promise<void> {
  const child = proc.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // No save on the way out: the dump.rdb of the last measured save stays as it is.
  await command(proc.port, 'SHUTDOWN', 'NOSAVE').catch(() => child.kill('SIGTERM'));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- a minimal RESP client ----------------------------------------------------------------------

class Connection {
  private readonly replies = new ReplyReader();
  private waiter: ((reply: string) => void) | null = null;
  private failer: ((error: Error) => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('error', (error) => this.failer?.(error));
    socket.on('close', () => this.failer?.(new Error('connection closed')));
    socket.on('data', (chunk: Buffer) => {
      this.replies.write(chunk);
      if (!this.waiter) return;
      const reply = this.replies.nextBytes();
      if (reply === null) return;
      const waiter = this.waiter;
      this.waiter = null;
      waiter(reply.toString('latin1'));
    });
  }

  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  /** One request at a time; the raw reply. */
  send(args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failer = reject;
      this.socket.write(encodeCommand(args, 'latin1'));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

async function command(port: number, ...args: string[]): Promise<string> {
  const connection = await Connection.open(port);
  try {
    return await connection.send(args);
  } finally {
    connection.close();
  }
}

async function info(connection: Connection, section: string): Promise<Record<string, string>> {
  const text = await connection.send(['INFO', section]);
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

// --- the data set -------------------------------------------------------------------------------

/**
 * Half strings (16-byte values, small integers, 1% with a TTL), an eighth each of hashes, lists,
 * sets (half of them integer sets) and sorted sets with 8 elements: the small, listpack-encoded
 * collections most data sets are made of.
 */
function commandsFor(i: number): Buffer {
  const kind = i % 8;
  const id = String(i);
  const members = (prefix: string) => Array.from({ length: 8 }, (_, j) => `${prefix}${j}`);
  switch (kind) {
    case 0:
    case 1:
    case 2:
      return i % 100 === 0 ? encodeCommand(['SET', `str:${id}`, id.padStart(16, '0'), 'EX', '86400'], 'latin1') : encodeCommand(['SET', `str:${id}`, id.padStart(16, '0')], 'latin1');
    case 3:
      return encodeCommand(['SET', `int:${id}`, id], 'latin1');
    case 4:
      return encodeCommand(['HSET', `hash:${id}`, ...members('field').flatMap((f, j) => [f, `value-${id}-${j}`])], 'latin1');
    case 5:
      return encodeCommand(['RPUSH', `list:${id}`, ...members(`item-${id}-`)], 'latin1');
    case 6:
      return encodeCommand(['SADD', `set:${id}`, ...(i % 16 === 6 ? members('').map((m) => String(Number(m) * 1000 + i)) : members(`member-${id}-`))], 'latin1');
    default:
      return encodeCommand(['ZADD', `zset:${id}`, ...members(`m-${id}-`).flatMap((m, j) => [String(j * 1.5), m])], 'latin1');
  }
}

/** Loads the data set through redis-cli --pipe (Redis's mass-insertion protocol), in batches. */
function loadDataSet(port: number): void {
  const batch = 200_000;
  for (let start = 0; start < KEYS; start += batch) {
    const commands: Buffer[] = [];
    for (let i = start; i < Math.min(KEYS, start + batch); i++) commands.push(commandsFor(i));
    const result = spawnSync('redis-cli', ['-p', String(port), '--pipe'], { input: Buffer.concat(commands), maxBuffer: 1 << 28, encoding: 'utf8' });
    if (result.status !== 0 || !/errors: 0,/.test(result.stdout)) throw new Error(`loading failed: ${result.stdout}${result.stderr}`);
  }
}

// --- measurements -------------------------------------------------------------------------------

interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

function summarize(samplesMs: number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return { samples: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), p999Ms: at(0.999), maxMs: sorted[sorted.length - 1] ?? NaN };
}

/** A client sending single GET/SET requests back to back, timing each; runs until stopped. */
class LatencyProbe {
  private samples: number[] = [];
  private running = true;
  private done: Promise<void>;

  constructor(private readonly connection: Connection) {
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    for (let i = 0; this.running; i++) {
      // Keys i with i % 8 == 0 are strings; spread the reads over the whole data set.
      const key = `str:${((i * 7919) % Math.max(1, Math.floor(KEYS / 8))) * 8}`;
      // Writes overwrite existing strings: the key count stays, and copy-on-write has work to do.
      const args = i % 2 === 0 ? ['GET', key] : ['SET', key, String(i).padStart(16, '0')];
      const sent = performance.now();
      await this.connection.send(args);
      this.samples.push(performance.now() - sent);
    }
  }

  /** Samples so far, and a fresh start. */
  take(): number[] {
    const out = this.samples;
    this.samples = [];
    return out;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

async function waitForField(control: Connection, section: string, done: (fields: Record<string, string>) => boolean): Promise<void> {
  for (;;) {
    if (done(await info(control, section))) return;
    await sleep(10);
  }
}

function loadedSecondsFromLog(logPath: string): number {
  const matches = [...readFileSync(logPath, 'utf8').matchAll(/DB loaded from disk: ([\d.]+) seconds/g)];
  return matches.length > 0 ? Number(matches[matches.length - 1][1]) : NaN;
}

function aofSize(dir: string): number {
  const aofDir = join(dir, 'appendonlydir');
  return readdirSync(aofDir).reduce((sum, name) => sum + statSync(join(aofDir, name)).size, 0);
}

interface KindResult {
  kind: Kind;
  keys: number;
  loadDataSeconds: number;
  saveSeconds: number[];
  bgsaveSeconds: number[];
  rdbBytes: number;
  loadLoggedSeconds: number[];
  loadUntilPingSeconds: number[];
  rssAfterLoadMb: number;
  aofRewriteSeconds: number;
  aofBytesAfterRewrite: number;
  latencyIdle: LatencySummary;
  latencyDuringBgsave: LatencySummary;
  latencyDuringAofRewrite: LatencySummary;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

function log(message: string): void {
  process.stderr.write(`[bench:persist ${new Date().toISOString().slice(11, 19)} load ${loadavg()[0].toFixed(2)}] ${message}\n`);
}

async function measure(kind: Kind): Promise<KindResult> {
  const dir = mkdtempSync(join(tmpdir(), `rctl-bench-persist-${kind}-`));
  const port = await freePort();
  let server = await startServer(kind, dir, port, 'first.log');
  try {
    const loadStarted = performance.now();
    loadDataSet(port);
    const loadDataSeconds = (performance.now() - loadStarted) / 1000;
    log(`${kind}: ${KEYS} keys loaded in ${loadDataSeconds.toFixed(1)} s`);
    const control = await Connection.open(port);
    const probeConnection = await Connection.open(port);

    const saveSeconds: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const reply = await control.send(['SAVE']);
      if (!reply.startsWith('+OK')) throw new Error(`SAVE failed: ${reply}`);
      saveSeconds.push((performance.now() - started) / 1000);
    }
    const rdbBytes = statSync(join(dir, 'dump.rdb')).size;
    log(`${kind}: SAVE ${saveSeconds.map((s) => s.toFixed(2)).join(' / ')} s, ${(rdbBytes / 1e6).toFixed(1)} MB`);

    const probe = new LatencyProbe(probeConnection);
    await sleep(2000);
    const latencyIdle = summarize(probe.take());
    const bgsaveSeconds: number[] = [];
    const duringBgsave: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      probe.take();
      const started = performance.now();
      const reply = await control.send(['BGSAVE']);
      if (!reply.startsWith('+Background saving started')) throw new Error(`BGSAVE failed: ${reply}`);
      await waitForField(control, 'persistence', (f) => f.rdb_bgsave_in_progress === '0');
      bgsaveSeconds.push((performance.now() - started) / 1000);
      duringBgsave.push(...probe.take());
      const status = (await info(control, 'persistence')).rdb_last_bgsave_status;
      if (status !== 'ok') throw new Error(`BGSAVE status ${status}`);
      await sleep(500);
    }
    const latencyDuringBgsave = summarize(duringBgsave);
    log(`${kind}: BGSAVE ${bgsaveSeconds.map((s) => s.toFixed(2)).join(' / ')} s, p99 during ${latencyDuringBgsave.p99Ms.toFixed(2)} ms`);
    await probe.stop();
    control.close();
    probeConnection.close();
    const rssAfterLoadMb = rssMb(server.child.pid as number);
    await stopServer(server);

    // Load at start: dump.rdb from the last BGSAVE, appendonly off.
    const loadLoggedSeconds: number[] = [];
    const loadUntilPingSeconds: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      server = await startServer(kind, dir, port, `restart-${run}.log`);
      loadUntilPingSeconds.push((performance.now() - server.spawnedAt) / 1000);
      loadLoggedSeconds.push(loadedSecondsFromLog(server.logPath));
      if (run < RUNS - 1) await stopServer(server);
    }
    log(`${kind}: load at start ${loadLoggedSeconds.join(' / ')} s logged, ${loadUntilPingSeconds.map((s) => s.toFixed(2)).join(' / ')} s until PING`);
    const keysAfterLoad = Number((await command(port, 'DBSIZE')).slice(1));
    if (keysAfterLoad !== KEYS) throw new Error(`${kind} loaded ${keysAfterLoad} keys, expected ${KEYS}`);

    // AOF: turning it on writes a first base; then BGREWRITEAOF is timed with the probe running.
    const aofControl = await Connection.open(port);
    const aofProbeConnection = await Connection.open(port);
    await aofControl.send(['CONFIG', 'SET', 'appendonly', 'yes']);
    const rewriteDone = (f: Record<string, string>) => f.aof_rewrite_in_progress === '0' && (f.aof_rewrite_scheduled ?? '0') === '0';
    await waitForField(aofControl, 'persistence', (f) => rewriteDone(f) && f.aof_rewrites !== '0');
    const aofProbe = new LatencyProbe(aofProbeConnection);
    await sleep(200);
    aofProbe.take();
    const rewriteStarted = performance.now();
    const reply = await aofControl.send(['BGREWRITEAOF']);
    if (!reply.startsWith('+Background append only file rewriting')) throw new Error(`BGREWRITEAOF failed: ${reply}`);
    await waitForField(aofControl, 'persistence', (f) => rewriteDone(f) && f.aof_rewrites === '2');
    const aofRewriteSeconds = (performance.now() - rewriteStarted) / 1000;
    const latencyDuringAofRewrite = summarize(aofProbe.take());
    await aofProbe.stop();
    const aofBytesAfterRewrite = aofSize(dir);
    log(`${kind}: BGREWRITEAOF ${aofRewriteSeconds.toFixed(2)} s, p99 during ${latencyDuringAofRewrite.p99Ms.toFixed(2)} ms`);
    aofControl.close();
    aofProbeConnection.close();
    await stopServer(server);
    if (PROFILE && kind === 'node') log(`node CPU profiles kept in ${join(dir, 'profiles')}`);

    return {
      kind,
      keys: KEYS,
      loadDataSeconds,
      saveSeconds,
      bgsaveSeconds,
      rdbBytes,
      loadLoggedSeconds,
      loadUntilPingSeconds,
      rssAfterLoadMb,
      aofRewriteSeconds,
      aofBytesAfterRewrite,
      latencyIdle,
      latencyDuringBgsave,
      latencyDuringAofRewrite,
    };
  } finally {
    await stopServer(server).catch(() => {});
    if (!(PROFILE && kind === 'node')) rmSync(dir, { recursive: true, force: true });
  }
}

// --- report -------------------------------------------------------------------------------------

const seconds = (value: number) => value.toFixed(3);
const ms = (value: number) => value.toFixed(2);

async function main(): Promise<void> {
  const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  log(`${KEYS} keys, ${RUNS} runs per measurement`);
  const redis = await measure('redis');
  const node = await measure('node');
  const loadAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
  const redisVersion = /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';

  const rows: Array<{ metric: string; redis: string; node: string; ratio: string; target: string; met?: boolean }> = [];
  const addTime = (metric: string, r: number, n: number, target?: number) =>
    rows.push({ metric, redis: seconds(r), node: seconds(n), ratio: (n / r).toFixed(2), target: target ? `node <= ${target}x redis` : '', met: target ? n / r <= target : undefined });
  addTime('SAVE (s, median)', median(redis.saveSeconds), median(node.saveSeconds), TARGET_TIME_RATIO);
  addTime('BGSAVE (s, median)', median(redis.bgsaveSeconds), median(node.bgsaveSeconds), TARGET_TIME_RATIO);
  rows.push({ metric: 'RDB file size (MB)', redis: (redis.rdbBytes / 1e6).toFixed(1), node: (node.rdbBytes / 1e6).toFixed(1), ratio: (node.rdbBytes / redis.rdbBytes).toFixed(2), target: '' });
  addTime('load at start, "DB loaded from disk" (s, median)', median(redis.loadLoggedSeconds), median(node.loadLoggedSeconds), TARGET_TIME_RATIO);
  addTime('spawn until PING answers, data loaded (s, median)', median(redis.loadUntilPingSeconds), median(node.loadUntilPingSeconds));
  const addLatency = (metric: string, r: LatencySummary, n: LatencySummary, targetMs?: number) =>
    rows.push({
      metric,
      redis: ms(r.p99Ms),
      node: ms(n.p99Ms),
      ratio: (n.p99Ms / r.p99Ms).toFixed(2),
      target: targetMs ? `node < ${targetMs} ms` : '',
      met: targetMs ? n.p99Ms < targetMs : undefined,
    });
  addLatency('GET/SET p99 idle (ms)', redis.latencyIdle, node.latencyIdle);
  addLatency('GET/SET p99 during BGSAVE (ms)', redis.latencyDuringBgsave, node.latencyDuringBgsave, TARGET_BGSAVE_P99_MS);
  addLatency('GET/SET p99 during BGREWRITEAOF (ms)', redis.latencyDuringAofRewrite, node.latencyDuringAofRewrite);
  rows.push({ metric: 'GET/SET max during BGSAVE (ms)', redis: ms(redis.latencyDuringBgsave.maxMs), node: ms(node.latencyDuringBgsave.maxMs), ratio: (node.latencyDuringBgsave.maxMs / redis.latencyDuringBgsave.maxMs).toFixed(2), target: '' });
  addTime('BGREWRITEAOF (s)', redis.aofRewriteSeconds, node.aofRewriteSeconds);
  rows.push({ metric: 'RSS with the data loaded (MB)', redis: redis.rssAfterLoadMb.toFixed(0), node: node.rssAfterLoadMb.toFixed(0), ratio: (node.rssAfterLoadMb / redis.rssAfterLoadMb).toFixed(2), target: '' });

  const machine = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Number((totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    redis: redisVersion,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAtEnd,
  };
  const report = { machine, keys: KEYS, runs: RUNS, rows, redis, node };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'persist.json'), JSON.stringify(report, null, 2) + '\n');
  const md = [
    '# bench:persist — RDB and AOF persistence, bundled node vs redis-server',
    '',
    `${machine.date}; ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, redis-server ${machine.redis}.`,
    `Load average (1/5/15 min) at start ${loadAtStart.join(' / ')}, at end ${loadAtEnd.join(' / ')}: the machine is shared, so times carry noise.`,
    '',
    `Data: ${KEYS.toLocaleString('en-US')} keys, loaded with redis-cli --pipe into each server: half strings (16-byte values, small integers, 1% with a TTL),`,
    'an eighth each of hashes, lists, sets (half of them integer sets) and sorted sets of 8 elements. Both servers run as child processes',
    `with save "" and appendonly no; each timing is the median of ${RUNS} runs. SAVE is timed by its client; BGSAVE and BGREWRITEAOF from the`,
    'command until INFO persistence shows them finished (polled every 10 ms). Load at start: the node and redis-server restarted on the',
    'dump.rdb of the last BGSAVE. Latency: one client sending single GET/SET requests back to back (no pipelining) from the benchmark',
    'process, every request timed; BGREWRITEAOF runs after CONFIG SET appendonly yes has written the first base.',
    '',
    '| metric | redis-server | node | node / redis | target | met |',
    '|---|---:|---:|---:|---|---|',
    ...rows.map((r) => `| ${r.metric} | ${r.redis} | ${r.node} | ${r.ratio} | ${r.target} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`),
    '',
    `Latency samples: idle ${redis.latencyIdle.samples} / ${node.latencyIdle.samples}, during BGSAVE ${redis.latencyDuringBgsave.samples} / ${node.latencyDuringBgsave.samples},`,
    `during BGREWRITEAOF ${redis.latencyDuringAofRewrite.samples} / ${node.latencyDuringAofRewrite.samples} (redis / node).`,
    '',
  ];
  writeFileSync(join(resultsDir, 'persist.md'), md.join('\n'));
  process.stdout.write(md.join('\n'));
}

main().catch((error) => {
  process.stderr.write(`bench:persist failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
