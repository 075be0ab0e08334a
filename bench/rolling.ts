// Rolling restart / upgrade benchmark (`npm run bench:rolling`, issue 15): one master and two
// replicas launched by the built `rctl up` (password through passwordEnv, loopback, a 50k-key
// dataset so reloads are measurable), under an acknowledged-write load, taken through
//   (a) a rolling restart on Debian's redis-server 7.0,
//   (b) an upgrade 6.2.16 -> 7.2.6 (scripts/redis-versions.ts builds them),
//   (c) Debian's 7.0 -> the bundled node -> 7.0, as two legs on fresh sets (c1, c2),
// once by rctl (`rctl restart|upgrade --all --yes --json`, the built binary) and once by the
// runbook of the seed document (/work/shared/seeds/000_*, sections 1.4 and 1.5) on an identical
// fresh set under the same load:
//   - each replica in turn: redis-cli SHUTDOWN (it saves, as `systemctl restart` does with save
//     points), started again with the same config file (on the new binary for an upgrade),
//     waited for until linked and caught up;
//   - the master: stopped (redis-cli SHUTDOWN, the seed's "systemctl stop"), `REPLICAOF NO ONE` on
//     the first replica done, the other replica repointed with REPLICAOF, each change persisted
//     with CONFIG REWRITE (the seed puts replicaof in redis.conf), then the old master started
//     again with `replicaof NEW PORT` added to its config file.
// The runbook runs as a script, without an operator's pauses: a lower bound for a person at a
// terminal. The load client writes to whichever node answers ROLE as master, so it follows both.
//
// Measured per run: acknowledged writes lost (acknowledged but absent from, or holding another
// value on, the final master), full and partial resyncs (INFO stats sync_full / sync_partial_ok,
// polled on every node every 20 ms, summed per process lifetime since a restart resets them; for
// rctl its own JSON counts are reported beside), the longest gap between two acknowledged writes
// and the total time spent in gaps over 10 ms, rctl's writesPausedMs, write errors the client was
// told, and the duration from the start until every replica is linked to the final master and
// caught up. Goals for rctl: 0 full resyncs, 0 acknowledged writes lost, writesPausedMs <= 50 in total.
// Writes bench/results/rolling.json and bench/results/rolling.md.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import Redis from 'ioredis';
import type { RollingJson } from '../src/cluster/rolling/types';
import { startNodeProcess } from '../src/launch/process';
import { TopologyState } from '../src/state/topology-state';
import { buildRedisVersion, serverVersion } from '../scripts/redis-versions';
import { runProcess, waitForPort } from '../test/helpers/processes';
import { AckedWriteLoad, checkAcked } from '../test/helpers/sentinel-load';
import { currentLoad, machineInfo, markdownTable } from './lib/report';
import { allLinked, infoOf, masterOf, monitorClient, sleep, until } from './lib/replication';
import { freePort, repoRoot } from './lib/servers';

const KEYS = Number(process.env.BENCH_ROLLING_KEYS ?? 50_000);
const VALUE_BYTES = 256;
// Fresh each run, and only ever in the environment of the rctl and redis-cli processes and in client options.
const PASSWORD = randomBytes(12).toString('hex');
const PASSWORD_ENV = 'BENCH_ROLLING_PW';
const SETTLE_LIMIT_MS = 120_000;
const GAP_COUNTED_MS = 10;
const PAUSE_GOAL_MS = 50;
const rctlBin = join(repoRoot, 'bin', 'rctl.js');
const resultsDir = join(repoRoot, 'bench', 'results');

/** What a node runs: a redis-server binary or the bundled node. */
interface Binary {
  label: string;
  launch: 'redis-server' | 'embedded';
  redisServer?: string;
}

interface Scenario {
  id: string;
  label: string;
  start: Binary;
  /** One pass per entry: a restart when it is the start binary, else an upgrade to it. */
  passes: Binary[];
}

type Method = 'rctl' | 'runbook';
const METHODS: Method[] = ['rctl', 'runbook'];

interface Node {
  name: string;
  port: number;
  monitor: Redis;
}

interface SetUnderTest {
  name: string;
  file: string;
  env: NodeJS.ProcessEnv;
  state: TopologyState;
  nodes: Node[];
}

interface Run {
  scenario: string;
  method: Method;
  masterBefore: string;
  masterAfter: string;
  ackedWrites: number;
  lostAckedWrites: number;
  wrongValue: number;
  fullResyncs: number;
  partialResyncs: number;
  longestGapMs: number;
  /** Time spent in gaps between acknowledged writes longer than GAP_COUNTED_MS. */
  gapsOver10MsTotalMs: number;
  /** rctl: the sum of its writesPausedMs over the passes. */
  writesPausedMs: number | null;
  /** From the start until every replica was linked to the final master and caught up. */
  durationMs: number;
  /** rctl: the sum of its own durationMs (excludes Node start-up). */
  rctlDurationMs: number | null;
  rctlReported?: { fullResyncs: number; partialResyncs: number; resyncs: string[] };
  errors: Array<{ kind: string; count: number; example: string }>;
  note?: string;
}

const round = (v: number) => Math.round(v * 10) / 10;

function scenarios(): Array<Scenario | { id: string; label: string; skipped: string }> {
  const debian = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  const debianVersion = debian ? serverVersion(debian) : null;
  const seven: Binary | null = debian && debianVersion?.startsWith('7.0.') ? { label: `redis-server ${debianVersion}`, launch: 'redis-server', redisServer: debian } : null;
  const built = (version: '6.2.16' | '7.2.6'): Binary | string => {
    const result = buildRedisVersion(version);
    return 'problem' in result ? result.problem : { label: `redis-server ${version}`, launch: 'redis-server', redisServer: join(result.dir, 'redis-server') };
  };
  const bundled: Binary = { label: 'bundled node', launch: 'embedded' };
  const out: Array<Scenario | { id: string; label: string; skipped: string }> = [];
  const noSeven = 'redis-server 7.0 is not on PATH (apt-get install -y redis-server)';
  out.push(seven ? { id: 'restart', label: `(a) restart, ${seven.label}`, start: seven, passes: [seven] } : { id: 'restart', label: '(a) restart', skipped: noSeven });
  const [from, to] = [built('6.2.16'), built('7.2.6')];
  if (typeof from === 'string' || typeof to === 'string') out.push({ id: 'upgrade', label: '(b) upgrade 6.2.16 -> 7.2.6', skipped: [from, to].filter((p) => typeof p === 'string').join('; ') });
  else out.push({ id: 'upgrade', label: '(b) upgrade 6.2.16 -> 7.2.6', start: from, passes: [to] });
  // (c) in its two legs, each on a fresh set, so that a leg that cannot finish does not hide the other.
  if (seven) {
    out.push({ id: 'to-bundled', label: `(c1) ${seven.label} -> bundled node`, start: seven, passes: [bundled] });
    out.push({ id: 'from-bundled', label: `(c2) bundled node -> ${seven.label}`, start: bundled, passes: [seven] });
  } else out.push({ id: 'round-trip', label: '(c) 7.0 -> bundled -> 7.0', skipped: noSeven });
  const only = process.env.BENCH_ROLLING_SCENARIOS?.split(',').map((s) => s.trim());
  return only ? out.filter((s) => only.includes(s.id)) : out;
}

async function runRctl(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runProcess(process.execPath, [rctlBin, ...args], { env, timeoutMs });
}

/**
 * The load's client: whichever node answers ROLE as master. A failed write drops the connection
 * and the next one looks for the master again, waiting (not failing) while there is none, as an
 * application with a retry loop would. Nothing is resent: an INCR is never applied twice.
 */
class MasterFollower {
  private current: Redis | null = null;

  constructor(private readonly ports: number[]) {}

  private static connection(port: number): Redis {
    const client = new Redis({ host: '127.0.0.1', port, password: PASSWORD, lazyConnect: true, connectTimeout: 1000, commandTimeout: 15_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, autoResendUnfulfilledCommands: false });
    client.on('error', () => {});
    return client;
  }

  private async master(): Promise<Redis> {
    const deadline = performance.now() + SETTLE_LIMIT_MS;
    while (performance.now() < deadline) {
      for (const port of this.ports) {
        const probe = MasterFollower.connection(port);
        try {
          await probe.connect();
          const [role] = (await probe.call('ROLE')) as [string];
          if (role === 'master') return probe;
        } catch {
          // down, loading, or not reachable: the next node
        }
        probe.disconnect();
      }
      await sleep(5);
    }
    throw new Error('no master');
  }

  private async send<T>(write: (client: Redis) => Promise<T>): Promise<T> {
    this.current ??= await this.master();
    try {
      return await write(this.current);
    } catch (error) {
      this.current.disconnect();
      this.current = null;
      throw error;
    }
  }

  set(key: string, value: string): Promise<'OK'> {
    return this.send((client) => client.set(key, value));
  }

  incr(key: string): Promise<number> {
    return this.send((client) => client.incr(key));
  }

  disconnect(): void {
    this.current?.disconnect();
  }
}

/**
 * Full and partial resyncs served, from INFO stats polled on every node: a restarted node starts
 * its counters again at 0 (its run_id changes), so each process lifetime is counted on its own.
 */
class ResyncWatcher {
  private readonly lifetimes = new Map<string, { base: { full: number; partial: number }; last: { full: number; partial: number } }>();
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(nodes: Node[]) {
    this.loops = nodes.map((node) => this.watch(node));
  }

  ready(): Promise<boolean> {
    return until(async () => this.lifetimes.size >= this.loops.length, 10_000, 10).then((ms) => ms !== null);
  }

  private async watch(node: Node): Promise<void> {
    let first = true;
    while (this.running) {
      try {
        // One INFO for the run_id and the counters: two could be answered by two processes.
        const info = await infoOf(node.monitor, 'default');
        const id = `${node.name}:${info.run_id}`;
        const now = { full: Number(info.sync_full ?? 0), partial: Number(info.sync_partial_ok ?? 0) };
        const known = this.lifetimes.get(id);
        // A lifetime that began while watched began at 0; the ones already running are counted from here.
        if (known) known.last = now;
        else this.lifetimes.set(id, { base: first ? now : { full: 0, partial: 0 }, last: now });
        first = false;
      } catch {
        // the node is restarting: its next lifetime shows under a new run_id
      }
      await sleep(20);
    }
  }

  async stop(): Promise<{ full: number; partial: number }> {
    await sleep(100);
    this.running = false;
    // A node that stayed down (a failed run) holds its loop in an INFO that waits for it forever.
    await Promise.race([Promise.all(this.loops), sleep(2000)]);
    let full = 0;
    let partial = 0;
    for (const { base, last } of this.lifetimes.values()) {
      full += last.full - base.full;
      partial += last.partial - base.partial;
    }
    return { full, partial };
  }
}

function topologyText(name: string, binary: Binary, ports: number[]): string {
  return [
    `name: ${name}`,
    `launch: ${binary.launch}`,
    ...(binary.redisServer ? [`redisServer: ${binary.redisServer}`] : []),
    `auth: { passwordEnv: ${PASSWORD_ENV} }`,
    'nodes:',
    ...ports.map((port, i) => `  - { name: n${i + 1}, host: 127.0.0.1, port: ${port}, role: ${i === 0 ? 'master' : 'replica'} }`),
    '',
  ].join('\n');
}

async function settle(set: SetUnderTest): Promise<Node> {
  let master: Node | null = null;
  const waited = await until(
    async () => {
      master = await masterOf(set.nodes);
      return allLinked(set.nodes, master, true);
    },
    SETTLE_LIMIT_MS,
    10,
  );
  if (waited === null || !master) throw new Error(`${set.name} did not settle within ${SETTLE_LIMIT_MS / 1000} s`);
  return master;
}

async function bringUp(scenario: Scenario, method: Method, work: string): Promise<SetUnderTest> {
  const name = `bench-rolling-${scenario.id}-${method}`;
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const ports = [await freePort(), await freePort(), await freePort()];
  const file = join(dir, 'topology.yml');
  writeFileSync(file, topologyText(name, scenario.start, ports));
  const env: NodeJS.ProcessEnv = { ...process.env, [PASSWORD_ENV]: PASSWORD, RCTL_HOME: join(dir, 'home') };
  delete env.RCTL_TOPOLOGY;
  const set: SetUnderTest = { name, file, env, state: new TopologyState(join(dir, 'home'), name), nodes: ports.map((port, i) => ({ name: `n${i + 1}`, port, monitor: monitorClient(port, PASSWORD) })) };
  const up = await runRctl(['up', file, '--json'], env);
  if (up.code !== 0) throw new Error(`rctl up exited ${up.code}: ${up.stderr.trim().split('\n').slice(-5).join('\n')}`);
  const master = await settle(set);
  const value = 'v'.repeat(VALUE_BYTES);
  for (let i = 0; i < KEYS; i += 1000) {
    const pipeline = master.monitor.pipeline();
    for (let j = i; j < Math.min(KEYS, i + 1000); j++) pipeline.set(`data:${j}`, value);
    await pipeline.exec();
  }
  await settle(set);
  return set;
}

async function tearDown(set: SetUnderTest): Promise<void> {
  for (const node of set.nodes) node.monitor.disconnect();
  const down = await runRctl(['down', set.file, '--purge', '--yes', '--json'], set.env).catch((error: Error) => ({ code: -1, stderr: error.message }));
  if (down.code !== 0) process.stderr.write(`rctl down ${set.name} exited ${down.code}: ${down.stderr}\n`);
}

// --- rctl -----------------------------------------------------------------------------------

async function rctlPasses(set: SetUnderTest, scenario: Scenario): Promise<{ writesPausedMs: number; durationMs: number; reported: NonNullable<Run['rctlReported']> }> {
  const total = { writesPausedMs: 0, durationMs: 0, reported: { fullResyncs: 0, partialResyncs: 0, resyncs: [] as string[] } };
  for (const target of scenario.passes) {
    const args = target === scenario.start ? ['restart'] : ['upgrade', '--to', target.launch === 'embedded' ? 'embedded' : (target.redisServer as string)];
    const result = await runRctl([...args, '--all', '--yes', '--json', '-t', set.file], set.env);
    let json: RollingJson;
    try {
      json = JSON.parse(result.stdout) as RollingJson;
    } catch {
      throw new Error(`rctl ${args[0]} exited ${result.code}: ${(result.stderr || result.stdout).trim().split('\n').slice(-5).join(' ')}`);
    }
    if (result.code !== 0) {
      const error = (json as unknown as { error?: { code?: string; message?: string } }).error;
      throw new Error(`rctl ${args[0]} exited ${result.code}: ${error ? `${error.code}: ${error.message}` : result.stdout.trim().slice(0, 300)}`);
    }
    total.writesPausedMs += json.writesPausedMs;
    total.durationMs += json.durationMs;
    total.reported.fullResyncs += json.fullResyncs;
    total.reported.partialResyncs += json.partialResyncs;
    total.reported.resyncs.push(...json.nodes.map((n) => `${n.name}:${n.resync}`));
    process.stdout.write(`    rctl ${args[0]}${args[1] ? ` --to ${target.label}` : ''}: ${json.masterBefore} -> ${json.masterAfter}, paused ${json.writesPausedMs} ms, duration ${json.durationMs} ms, resyncs ${json.nodes.map((n) => `${n.name} ${n.resync}`).join(', ')}\n`);
  }
  return total;
}

// --- the seed's runbook ---------------------------------------------------------------------

/** redis-cli, with the password in REDISCLI_AUTH (never argv), as an operator's shell would run it. */
async function cli(node: Node, args: string[]): Promise<string> {
  const result = await runProcess('redis-cli', ['-h', '127.0.0.1', '-p', String(node.port), ...args], { env: { ...process.env, REDISCLI_AUTH: PASSWORD }, timeoutMs: 30_000 });
  return result.stdout.trim();
}

async function expectOk(node: Node, args: string[]): Promise<void> {
  const reply = await cli(node, args);
  if (reply !== 'OK') throw new Error(`${node.name}: ${args.join(' ')} answered ${reply}`);
}

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** redis-cli SHUTDOWN (the node saves: it has save points), then wait until its process is gone. */
async function stopNode(set: SetUnderTest, node: Node): Promise<void> {
  const pid = Number(readFileSync(set.state.nodePaths(node.name).pid, 'utf8').trim());
  await cli(node, ['SHUTDOWN']);
  if ((await until(async () => !alive(pid), 60_000, 5)) === null) throw new Error(`${node.name} (pid ${pid}) did not exit after SHUTDOWN`);
}

/** Started again as systemd would: the same command line, its config file (on `binary`). */
async function startNode(set: SetUnderTest, node: Node, binary: Binary): Promise<void> {
  const paths = set.state.nodePaths(node.name);
  const child = startNodeProcess(binary.launch, paths, binary.redisServer);
  // A node that rejects its config exits at once: say why instead of waiting out the port.
  const exited = child.exited.then((why) => {
    const tail = readFileSync(paths.log, 'utf8').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${node.name} did not start on ${binary.label}: ${why}: ${tail}`);
  });
  await Promise.race([waitForPort('127.0.0.1', node.port, { timeoutMs: 60_000 }), exited]);
  exited.catch(() => {});
}

async function runbookPass(set: SetUnderTest, binary: Binary): Promise<void> {
  const master = await masterOf(set.nodes);
  const replicas = set.nodes.filter((n) => n !== master);
  for (const replica of replicas) {
    await stopNode(set, replica);
    await startNode(set, replica, binary);
    if ((await until(() => allLinked(set.nodes, master, true).catch(() => false), SETTLE_LIMIT_MS, 5)) === null) throw new Error(`${replica.name} did not come back linked`);
  }
  const [promoted, ...others] = replicas;
  await stopNode(set, master);
  await expectOk(promoted, ['REPLICAOF', 'NO', 'ONE']);
  for (const other of others) await expectOk(other, ['REPLICAOF', '127.0.0.1', String(promoted.port)]);
  for (const node of replicas) await expectOk(node, ['CONFIG', 'REWRITE']);
  const config = set.state.nodePaths(master.name).config;
  const kept = readFileSync(config, 'utf8').split('\n').filter((line) => !/^\s*(replicaof|slaveof)\s/i.test(line) && line !== '');
  writeFileSync(config, [...kept, `replicaof 127.0.0.1 ${promoted.port}`, ''].join('\n'));
  await startNode(set, master, binary);
}

// --- one run --------------------------------------------------------------------------------

async function runOnce(scenario: Scenario, method: Method, work: string): Promise<Run> {
  process.stdout.write(`  ${method}:\n`);
  const set = await bringUp(scenario, method, work);
  const masterBefore = (await masterOf(set.nodes)).name;
  const watcher = new ResyncWatcher(set.nodes);
  const load = new AckedWriteLoad(new MasterFollower(set.nodes.map((n) => n.port)) as unknown as Redis, 'load');
  try {
    if (!(await watcher.ready())) throw new Error('the resync watcher never read every node');
    if ((await until(async () => load.acked.length > 200, 30_000, 10)) === null) throw new Error('the load acknowledged nothing');
    const start = performance.now();
    let rctl: Awaited<ReturnType<typeof rctlPasses>> | null = null;
    if (method === 'rctl') rctl = await rctlPasses(set, scenario);
    else {
      for (const binary of scenario.passes) {
        const t = performance.now();
        await runbookPass(set, binary);
        process.stdout.write(`    runbook ${binary === scenario.start ? 'restart' : `upgrade to ${binary.label}`}: ${(performance.now() - t).toFixed(0)} ms (until the old master answers again)\n`);
      }
    }
    const finalMaster = await settle(set);
    const end = performance.now();
    // A few more writes on the settled set, so a stall at the very end shows as a gap.
    await sleep(200);
    await load.stop();
    const resyncs = await watcher.stop();
    const { missing, wrong } = await checkAcked(finalMaster.monitor, load.acked);
    let longest = 0;
    let over = 0;
    let previous = start;
    for (const write of load.acked) {
      if (write.at <= start) continue;
      if (write.at > end) break;
      const gap = write.at - previous;
      longest = Math.max(longest, gap);
      if (gap > GAP_COUNTED_MS) over += gap;
      previous = write.at;
    }
    const run: Run = {
      scenario: scenario.id,
      method,
      masterBefore,
      masterAfter: finalMaster.name,
      ackedWrites: load.acked.length,
      lostAckedWrites: missing.length + wrong.length,
      wrongValue: wrong.length,
      fullResyncs: resyncs.full,
      partialResyncs: resyncs.partial,
      longestGapMs: round(Math.max(longest, load.longestGap(start, end))),
      gapsOver10MsTotalMs: round(over),
      writesPausedMs: rctl ? rctl.writesPausedMs : null,
      durationMs: round(end - start),
      rctlDurationMs: rctl ? rctl.durationMs : null,
      rctlReported: rctl?.reported,
      errors: load.errors().map((e) => ({ kind: e.kind, count: e.count, example: e.example })),
    };
    process.stdout.write(
      `    ${masterBefore} -> ${run.masterAfter}: lost ${run.lostAckedWrites}/${run.ackedWrites}, full ${run.fullResyncs}, partial ${run.partialResyncs}, longest gap ${run.longestGapMs} ms, gaps > ${GAP_COUNTED_MS} ms ${run.gapsOver10MsTotalMs} ms, duration ${run.durationMs} ms, errors ${run.errors.map((e) => `${e.kind} x${e.count}`).join(', ') || 'none'}\n`,
    );
    return run;
  } finally {
    await load.stop();
    await watcher.stop();
    await tearDown(set);
  }
}

// --- report ---------------------------------------------------------------------------------

function ratio(a: number | null, b: number | null): string {
  if (a === null || b === null) return 'n/a';
  if (b === 0) return a === 0 ? '- (0 vs 0)' : `∞ (${a} vs 0)`;
  return (a / b).toFixed(3);
}

function writeResults(results: Array<{ scenario: string; label: string; skipped?: string; runs: Run[] }>, machine: ReturnType<typeof machineInfo>, commit: string): void {
  const ms = (v: number | null) => (v === null ? '-' : v.toFixed(1));
  const rows = results.flatMap((s) => [
    ...s.runs.map((r) => [
          s.label,
          r.method === 'rctl' ? 'rctl' : 'seed runbook',
          `${r.masterBefore} -> ${r.masterAfter}`,
          `${r.lostAckedWrites} / ${r.ackedWrites}`,
          String(r.fullResyncs),
          String(r.partialResyncs),
          ms(r.writesPausedMs),
          ms(r.longestGapMs),
          ms(r.gapsOver10MsTotalMs),
          ms(r.durationMs),
          r.errors.map((e) => `${e.kind} x${e.count}`).join(', ') || '-',
          [r.rctlReported ? `rctl's own counts: ${r.rctlReported.fullResyncs} full, ${r.rctlReported.partialResyncs} partial (${r.rctlReported.resyncs.join(' ')}); rctl durationMs ${r.rctlDurationMs}` : '', r.note ?? ''].filter(Boolean).join('; '),
        ]),
    ...(s.skipped ? [[s.label, s.runs.length > 0 ? 'the other' : 'all', '-', '-', '-', '-', '-', '-', '-', '-', '-', `skipped: ${s.skipped}`]] : []),
  ]);
  const table = markdownTable(
    ['scenario', 'method', 'master', 'acked writes lost / acked', 'full resyncs', 'partial resyncs', 'rctl writesPausedMs', 'longest write gap, ms', 'time in gaps > 10 ms, ms', 'duration, ms', 'write errors told to the client', 'notes'],
    rows,
  );
  const ratioRows = results
    .filter((s) => !s.skipped && s.runs.length === 2)
    .map((s) => {
      const [r, b] = METHODS.map((m) => s.runs.find((run) => run.method === m) as Run);
      return [s.label, `${r.lostAckedWrites} vs ${b.lostAckedWrites}`, `${r.fullResyncs} vs ${b.fullResyncs}`, ratio(r.longestGapMs, b.longestGapMs), ratio(r.gapsOver10MsTotalMs, b.gapsOver10MsTotalMs), ratio(r.durationMs, b.durationMs)];
    });
  const ratioTable = markdownTable(['scenario', 'acked lost (rctl vs runbook)', 'full resyncs (rctl vs runbook)', 'longest write gap', 'time in gaps > 10 ms', 'duration'], ratioRows);
  const goals = results
    .flatMap((s) => s.runs.filter((r) => r.method === 'rctl').map((r) => ({ s, r })))
    .map(({ s, r }) => {
      const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
      return `${s.label}: full resyncs ${r.fullResyncs} (goal 0) ${met(r.fullResyncs === 0)}, acknowledged writes lost ${r.lostAckedWrites} (goal 0) ${met(r.lostAckedWrites === 0)}, write pause ${r.writesPausedMs} ms in total (goal <= ${PAUSE_GOAL_MS}) ${met((r.writesPausedMs ?? Infinity) <= PAUSE_GOAL_MS)}`;
    });
  const md = `# Rolling restart and upgrade benchmark

One master and two replicas launched by \`rctl up\` on 127.0.0.1 (password through passwordEnv),
${KEYS.toLocaleString('en-US')} keys of ${VALUE_BYTES} bytes, under a write load: one client, one awaited write at a time,
1 ms apart, SET and INCR of fresh keys, always to the node that answers ROLE as master (it looks
again after any error, and waits while there is none; nothing is resent). Each scenario runs once
by rctl and once by the seed document's runbook, each on a fresh identical set:

- **rctl**: \`rctl restart --all --yes --json\`, or \`rctl upgrade --to BINARY|embedded --all --yes --json\` (the
  built binary). Scenario (c), 7.0 -> bundled node -> 7.0, runs as two legs, each on a fresh set
  launched on its starting binary: (c1) 7.0 -> bundled, (c2) bundled -> 7.0.
- **seed runbook** (/work/shared/seeds/000_*, 1.4 and 1.5), as a script with no operator pauses: each
  replica in turn \`redis-cli SHUTDOWN\` (it saves), started again with its config file (on the new
  binary for an upgrade), waited for until linked and caught up; then the master stopped with
  \`redis-cli SHUTDOWN\`, \`REPLICAOF NO ONE\` on the first replica, the other replica repointed with
  \`REPLICAOF\`, both persisted with \`CONFIG REWRITE\`, and the old master started again with
  \`replicaof NEW PORT\` added to its config file.

Columns: acknowledged writes absent from (or holding another value on) the final master; full and
partial resyncs from INFO stats sync_full / sync_partial_ok polled on every node every 20 ms and
summed per process lifetime (a restart resets them); rctl's own writesPausedMs (summed over its
passes); the longest time between two acknowledged writes, and the total time spent in gaps over
${GAP_COUNTED_MS} ms (the client's write-unavailability), from the start until every replica is linked to the
final master and caught up ("duration", for rctl including Node start-up of each rctl process);
the errors the client's writes were answered with.

${table}

Ratios, rctl / seed runbook (below 1: rctl is shorter):

${ratioTable}

Goals (rctl, issue 15): ${goals.join('; ') || 'n/a'}.

One run per scenario and method: single measurements, not medians. rctl at ${commit}. Machine: ${machine.nproc} cores, ${machine.cpuModel}, Node ${machine.node}, redis ${machine.redis}; load average ${machine.loadAverageStart} at start, ${machine.loadAverageEnd} at the end (another agent's tests were running). ${machine.date}.
`;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'rolling.json'), JSON.stringify({ machine, commit, keys: KEYS, valueBytes: VALUE_BYTES, results }, null, 2) + '\n');
  writeFileSync(join(resultsDir, 'rolling.md'), md);
  process.stdout.write('\n' + md);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rctl-bench-rolling-'));
  const machine = machineInfo();
  const git = (...args: string[]) => spawnSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8' }).stdout.trim();
  const commit = `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : ''}`;
  const results: Array<{ scenario: string; label: string; skipped?: string; runs: Run[] }> = [];
  try {
    for (const scenario of scenarios()) {
      process.stdout.write(`${scenario.label}:\n`);
      if ('skipped' in scenario) {
        results.push({ scenario: scenario.id, label: scenario.label, skipped: scenario.skipped, runs: [] });
        continue;
      }
      const entry: { scenario: string; label: string; skipped?: string; runs: Run[] } = { scenario: scenario.id, label: scenario.label, runs: [] };
      for (const method of METHODS) {
        try {
          entry.runs.push(await runOnce(scenario, method, work));
        } catch (error) {
          process.stdout.write(`    failed: ${(error as Error).message}\n`);
          entry.skipped = [entry.skipped, `${method} failed: ${(error as Error).message.split('\n')[0]}`].filter(Boolean).join('; ');
        }
      }
      results.push(entry);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  machine.loadAverageEnd = currentLoad();
  writeResults(results, machine, commit);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
