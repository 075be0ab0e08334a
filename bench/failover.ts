// Failover benchmark (`npm run bench:failover`): one master and two replicas on loopback under a
// light write load, on real redis-server of every supported version (5.0, 6.2, 7.0, 7.2: see
// scripts/redis-versions.ts; a version that cannot be built is reported as skipped) and on bundled
// nodes, switched over and over by
//   - `rctl failover --promote NEXT --yes --json` (the built binary),
//   - Redis's own `FAILOVER TO host port` (6.2 and later: 5.0 has no FAILOVER),
//   - `SENTINEL FAILOVER` of a redis-sentinel watching the same nodes, on Debian's 7.0 and the
//     bundled node only (skipped with a note when redis-sentinel is not installed).
// For each: the time from the start of the operation until every replica is linked to the new
// master (rctl: its own durationMs, which excludes Node start-up; start-up is reported apart),
// the write pause (rctl: CLIENT PAUSE to UNPAUSE; every method: the longest gap between two
// acknowledged writes of the load as the client saw it), full resyncs (INFO stats sync_full
// deltas over the three nodes) and acknowledged writes that the new master does not have.
// Targets for rctl: <= 150 ms median until linked, <= 50 ms write pause, 0 full resyncs.
// Writes bench/results/failover.json and bench/results/failover.md.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { capabilitiesOfVersion } from '../src/node/capabilities';
import { buildRedisVersion, BUILT_VERSIONS, serverVersion } from '../scripts/redis-versions';
import { currentLoad, machineInfo, markdownTable, median } from './lib/report';
import { runProcess } from '../test/helpers/processes';
import { allLinked, fullSyncs as fullSyncsOf, infoOf, masterOf, monitorClient as monitorClientOf, sleep, until } from './lib/replication';
import { freePort, haveCommand, repoRoot, startServerProcess, stopServerProcess, type ServerKind, type ServerProcess } from './lib/servers';

/** One set of three nodes to switch round: the bundled node, or redis-server of one version. */
interface NodeSetSpec {
  label: string;
  kind: ServerKind;
  /** redis-server binary; undefined: PATH's (Debian's 7.0) or the bundled node. */
  redisServer?: string;
  /** FAILOVER exists (6.2 and later). */
  failoverCommand: boolean;
  sentinel: boolean;
}

const PASSWORD = 'bench-pass';
const RUNS = Number(process.env.BENCH_FAILOVER_RUNS ?? 7);
const SENTINEL_RUNS = Number(process.env.BENCH_SENTINEL_RUNS ?? 3);
const LINK_LIMIT_MS = 40_000;
const CHAIN_GRACE_MS = 3000;
const rctlBin = join(repoRoot, 'bin', 'rctl.js');
const resultsDir = join(repoRoot, 'bench', 'results');

interface Node {
  name: string;
  port: number;
  server: ServerProcess;
  monitor: Redis;
}

const monitorClient = (port: number) => monitorClientOf(port, PASSWORD);
const fullSyncs = (nodes: Node[]) => fullSyncsOf(nodes.map((node) => node.monitor));

/**
 * The light write load: one SET at a time with a 1 ms rest, always to the node that says it is
 * the master (asked again after any error: READONLY from a demoted master, a killed connection).
 */
class WriteLoad {
  readonly acked: Array<{ key: string; at: number }> = [];
  private client: Redis | null = null;
  private running = true;
  private seq = 0;
  private done: Promise<void>;

  constructor(private readonly nodes: Node[]) {
    this.done = this.loop();
  }

  private async connect(): Promise<Redis> {
    for (;;) {
      for (const node of this.nodes) {
        const probe = new Redis({ host: '127.0.0.1', port: node.port, password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
        probe.on('error', () => {});
        try {
          await probe.connect();
          const [role] = (await probe.call('ROLE')) as [string];
          if (role === 'master') return probe;
        } catch {
          // try the next node
        }
        probe.disconnect();
      }
      await sleep(5);
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.client ??= await this.connect();
      const key = `load:${this.seq++}`;
      try {
        await this.client.set(key, 'x');
        this.acked.push({ key, at: performance.now() });
      } catch {
        this.client.disconnect();
        this.client = null;
      }
      await sleep(1);
    }
    this.client?.disconnect();
  }

  /** The longest gap between two acknowledged writes inside [from, to]. */
  longestStall(from: number, to: number): number {
    let previous = from;
    let longest = 0;
    for (const { at } of this.acked) {
      if (at < from) continue;
      longest = Math.max(longest, at - previous);
      previous = at;
      if (at > to) break;
    }
    return longest;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

/** Acknowledged writes the master does not have. */
async function lostWrites(master: Node, acked: Array<{ key: string }>): Promise<number> {
  let lost = 0;
  for (let i = 0; i < acked.length; i += 2000) {
    const keys = acked.slice(i, i + 2000).map((a) => a.key);
    const values = await master.monitor.mget(...keys);
    lost += values.filter((v) => v === null).length;
  }
  return lost;
}

interface Run {
  linkedMs: number | null;
  pauseMs: number | null;
  stallMs: number;
  fullResyncs: number;
  /** rctl only: process wall time minus its own durationMs (Node and CLI start-up, exit). */
  startupMs?: number;
  chained?: boolean;
  note?: string;
  /** rctl only: its step table, to explain an outlier. */
  steps?: Array<{ step: string; node: string; ms: number; ok: boolean }>;
  /** rctl only: reads held too (a master before 6.2). */
  readsPausedMs?: number;
}

interface MethodResult {
  method: string;
  runs: Run[];
  lostAckedWrites: number;
  skipped?: string;
}

async function runRctl(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; wallMs: number }> {
  const start = performance.now();
  const result = await runProcess(process.execPath, [rctlBin, ...args], { env });
  return { ...result, wallMs: performance.now() - start };
}

async function settle(nodes: Node[]): Promise<Node> {
  let master: Node | null = null;
  const waited = await until(async () => {
    master = await masterOf(nodes);
    return allLinked(nodes, master, true);
  }, 30_000, 10);
  if (waited === null || !master) throw new Error('the set did not settle');
  await sleep(100);
  return master;
}

async function benchRctl(nodes: Node[], load: WriteLoad, work: string, kind: string): Promise<MethodResult> {
  const file = join(work, `bench-${kind}.yml`);
  writeFileSync(
    file,
    `name: bench-${kind}\nauth:\n  password: "${PASSWORD}"\nnodes:\n${nodes.map((n, i) => `  - { name: ${n.name}, host: 127.0.0.1, port: ${n.port}, role: ${i === 0 ? 'master' : 'replica'} }`).join('\n')}\n`,
  );
  const env = { ...process.env, RCTL_HOME: join(work, `home-${kind}`) };
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const master = await settle(nodes);
    const next = nodes[(nodes.indexOf(master) + 1) % nodes.length];
    const fullBefore = await fullSyncs(nodes);
    const start = performance.now();
    const result = await runRctl(['failover', '-t', file, '--promote', next.name, '--yes', '--json'], env);
    const end = performance.now();
    if (result.code !== 0) throw new Error(`rctl failover exited ${result.code}: ${result.stderr}`);
    const json = JSON.parse(result.stdout) as { durationMs: number; writesPausedMs: number; readsPausedMs: number; fullResyncs: number; steps: Run['steps'] };
    await settle(nodes);
    runs.push({
      linkedMs: json.durationMs,
      pauseMs: json.writesPausedMs,
      stallMs: load.longestStall(start, end),
      fullResyncs: (await fullSyncs(nodes)) - fullBefore,
      startupMs: result.wallMs - json.durationMs,
      steps: json.steps,
      readsPausedMs: json.readsPausedMs,
    });
    process.stdout.write(`  rctl failover ${master.name} -> ${next.name}: linked ${json.durationMs} ms, paused ${json.writesPausedMs} ms${json.readsPausedMs > 0 ? ' (reads too)' : ''}\n`);
  }
  return { method: 'rctl failover', runs, lostAckedWrites: 0 };
}

async function benchFailoverTo(nodes: Node[], load: WriteLoad): Promise<MethodResult> {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const master = await settle(nodes);
    const target = nodes[(nodes.indexOf(master) + 1) % nodes.length];
    const fullBefore = await fullSyncs(nodes);
    const start = performance.now();
    await master.monitor.call('FAILOVER', 'TO', '127.0.0.1', String(target.port), 'TIMEOUT', '5000');
    // The switch: the target is master and the old master follows it.
    const switched = await until(async () => {
      const t = await infoOf(target.monitor, 'replication');
      const m = await infoOf(master.monitor, 'replication');
      return t.role === 'master' && m.role === 'slave' && Number(m.master_port) === target.port && m.master_link_status === 'up';
    }, 10_000);
    const linked = switched === null ? null : await until(() => allLinked(nodes, target), CHAIN_GRACE_MS);
    const end = performance.now();
    const third = nodes.find((n) => n !== master && n !== target) as Node;
    const thirdInfo = await infoOf(third.monitor, 'replication');
    const chained = Number(thirdInfo.master_port) === master.port;
    runs.push({
      linkedMs: linked === null || switched === null ? null : end - start,
      pauseMs: null,
      stallMs: load.longestStall(start, end),
      fullResyncs: 0,
      chained,
      note: switched === null ? 'no switch' : `switch ${(switched).toFixed(1)} ms`,
    });
    const last = runs[runs.length - 1];
    // Not timed: put the chained node under the new master, as an operator would have to.
    if (chained) await third.monitor.call('REPLICAOF', '127.0.0.1', String(target.port));
    await settle(nodes);
    last.fullResyncs = (await fullSyncs(nodes)) - fullBefore;
    process.stdout.write(`  FAILOVER TO ${master.name} -> ${target.name}: ${last.note}, ${chained ? `${third.name} left chained behind ${master.name}` : `all linked ${last.linkedMs?.toFixed(1)} ms`}\n`);
  }
  return { method: 'FAILOVER TO', runs, lostAckedWrites: 0 };
}

async function benchSentinel(nodes: Node[], load: WriteLoad, work: string, kind: string): Promise<MethodResult> {
  const method = 'SENTINEL FAILOVER';
  if (!haveCommand('redis-sentinel')) return { method, runs: [], lostAckedWrites: 0, skipped: 'redis-sentinel is not installed (apt-get install -y redis-sentinel)' };
  if (SENTINEL_RUNS <= 0) return { method, runs: [], lostAckedWrites: 0, skipped: 'BENCH_SENTINEL_RUNS=0' };
  const master = await settle(nodes);
  const dir = join(work, `sentinel-${kind}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      'daemonize no',
      `dir ${dir}`,
      `logfile ${join(dir, 'sentinel.log')}`,
      `sentinel monitor mymaster 127.0.0.1 ${master.port} 1`,
      `sentinel auth-pass mymaster ${PASSWORD}`,
      'sentinel down-after-milliseconds mymaster 5000',
      'sentinel failover-timeout mymaster 60000',
    ].join('\n') + '\n',
  );
  const child = spawn('redis-sentinel', [conf], { stdio: 'ignore' });
  const sentinel = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null, retryStrategy: () => 50 });
  sentinel.on('error', () => {});
  const runs: Run[] = [];
  try {
    for (let i = 0; i < SENTINEL_RUNS; i++) {
      const old = await settle(nodes);
      // Sentinel must know both replicas as healthy before it can pick one.
      const known = await until(async () => {
        const [address] = [(await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')) as string[]];
        if (Number(address?.[1]) !== old.port) return false;
        const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', 'mymaster')) as string[][];
        const healthy = replicas.filter((r) => {
          const flags = r[r.indexOf('flags') + 1];
          return flags === 'slave' && r[r.indexOf('master-link-status') + 1] === 'ok';
        });
        return healthy.length >= 2;
      }, 30_000, 50);
      if (known === null) {
        runs.push({ linkedMs: null, pauseMs: null, stallMs: 0, fullResyncs: 0, note: 'sentinel never saw two healthy replicas' });
        break;
      }
      const fullBefore = await fullSyncs(nodes);
      const ackedBefore = load.acked.length;
      const start = performance.now();
      const reply = await sentinel.call('SENTINEL', 'FAILOVER', 'mymaster').catch((error: Error) => error.message);
      if (reply !== 'OK') {
        runs.push({ linkedMs: null, pauseMs: null, stallMs: 0, fullResyncs: 0, note: `SENTINEL FAILOVER: ${String(reply)}` });
        break;
      }
      let promoted: Node | null = null;
      const switched = await until(async () => {
        const address = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')) as string[];
        promoted = nodes.find((n) => n.port === Number(address?.[1]) && n !== old) ?? null;
        return promoted !== null;
      }, LINK_LIMIT_MS, 5);
      const linked = promoted ? await until(() => allLinked(nodes, promoted as Node), LINK_LIMIT_MS, 5) : null;
      const end = performance.now();
      await settle(nodes);
      const lost = promoted ? await lostWrites(promoted, load.acked.slice(ackedBefore)) : 0;
      runs.push({
        linkedMs: linked === null ? null : end - start,
        pauseMs: null,
        stallMs: load.longestStall(start, end),
        fullResyncs: (await fullSyncs(nodes)) - fullBefore,
        note: `switch ${switched === null ? 'n/a' : switched.toFixed(0)} ms; ${lost} acknowledged writes lost`,
      });
      process.stdout.write(`  SENTINEL FAILOVER ${old.name} -> ${(promoted as Node | null)?.name ?? '?'}: ${runs[runs.length - 1].note}, all linked ${linked === null ? 'never' : (end - start).toFixed(0) + ' ms'}\n`);
    }
  } finally {
    sentinel.disconnect();
    child.kill('SIGKILL');
  }
  const lostAckedWrites = runs.reduce((sum, run) => sum + Number(/; (\d+) acknowledged/.exec(run.note ?? '')?.[1] ?? 0), 0);
  return { method, runs, lostAckedWrites };
}

async function benchSet(spec: NodeSetSpec, work: string): Promise<MethodResult[]> {
  process.stdout.write(`${spec.label}:\n`);
  const kind = spec.label.replace(/[^A-Za-z0-9]+/g, '-');
  const servers = await Promise.all([0, 1, 2].map(() => startServerProcess(spec.kind, { redisServer: spec.redisServer })));
  // The password first (the servers start without one), then the replicas.
  for (const server of servers) {
    const open = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
    open.on('error', () => {});
    await open.connect();
    await open.call('CONFIG', 'SET', 'masterauth', PASSWORD);
    await open.call('CONFIG', 'SET', 'requirepass', PASSWORD);
    open.disconnect();
  }
  const nodes: Node[] = servers.map((server, i) => ({ name: `n${i + 1}`, port: server.port, server, monitor: monitorClient(server.port) }));
  for (const node of nodes.slice(1)) await node.monitor.call('REPLICAOF', '127.0.0.1', String(nodes[0].port));
  await settle(nodes);
  const load = new WriteLoad(nodes);
  const results: MethodResult[] = [];
  try {
    results.push(await benchRctl(nodes, load, work, kind));
    results.push(spec.failoverCommand ? await benchFailoverTo(nodes, load) : { method: 'FAILOVER TO', runs: [], lostAckedWrites: 0, skipped: 'no FAILOVER command before Redis 6.2' });
    if (spec.sentinel) results.push(await benchSentinel(nodes, load, work, kind));
  } finally {
    await load.stop();
    const master = await settle(nodes).catch(() => null);
    // Every write the load saw acknowledged during the rctl and FAILOVER TO runs must be on the master.
    if (master) {
      const lost = await lostWrites(master, load.acked);
      const sentinelLost = results.find((r) => r.method === 'SENTINEL FAILOVER')?.lostAckedWrites ?? 0;
      process.stdout.write(`  write load: ${load.acked.length} acknowledged writes, ${lost} missing on the final master (sentinel runs lost ${sentinelLost})\n`);
      for (const result of results) if (result.method !== 'SENTINEL FAILOVER') result.lostAckedWrites = lost - sentinelLost;
    }
    for (const node of nodes) node.monitor.disconnect();
    await Promise.all(servers.map((server) => stopServerProcess(server)));
  }
  return results;
}

interface Row {
  nodes: string;
  method: string;
  runs: number;
  medianLinkedMs: number | null;
  medianPauseMs: number | null;
  medianStallMs: number | null;
  /** rctl: reads held too (a master before 6.2), median ms; 0 otherwise. */
  medianReadsPausedMs: number | null;
  fullResyncs: number;
  lostAckedWrites: number;
  medianStartupMs: number | null;
  notes: string;
}

function summarize(kind: string, result: MethodResult): Row {
  const linked = result.runs.map((r) => r.linkedMs).filter((v): v is number => v !== null);
  const pauses = result.runs.map((r) => r.pauseMs).filter((v): v is number => v !== null);
  const startups = result.runs.map((r) => r.startupMs).filter((v): v is number => v !== undefined);
  const chained = result.runs.filter((r) => r.chained).length;
  const never = result.runs.filter((r) => r.linkedMs === null).length;
  const notes: string[] = [];
  if (result.skipped) notes.push(`skipped: ${result.skipped}`);
  if (chained > 0) notes.push(`${chained}/${result.runs.length} runs left the third node chained behind the old master (not linked to the new one after ${CHAIN_GRACE_MS / 1000} s)`);
  if (never > 0 && chained === 0) notes.push(`${never}/${result.runs.length} runs never had every replica linked`);
  const switches = result.runs.map((r) => /switch ([\d.]+) ms/.exec(r.note ?? '')?.[1]).filter((v): v is string => v !== undefined).map(Number);
  if (switches.length > 0) notes.push(`median switch (new master in place) ${median(switches).toFixed(0)} ms`);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    nodes: kind,
    method: result.method,
    runs: result.runs.length,
    medianLinkedMs: linked.length > 0 ? round(median(linked)) : null,
    medianPauseMs: pauses.length > 0 ? round(median(pauses)) : null,
    medianStallMs: result.runs.length > 0 ? round(median(result.runs.map((r) => r.stallMs))) : null,
    medianReadsPausedMs: result.runs.some((r) => r.readsPausedMs !== undefined) ? round(median(result.runs.map((r) => r.readsPausedMs ?? 0))) : null,
    fullResyncs: result.runs.reduce((sum, r) => sum + r.fullResyncs, 0),
    lostAckedWrites: result.lostAckedWrites,
    medianStartupMs: startups.length > 0 ? round(median(startups)) : null,
    notes: notes.join('; '),
  };
}

/** Every supported Redis version (oldest first), then the bundled node. BENCH_FAILOVER_SETS=7.0,bundled picks some. */
function nodeSets(): Array<NodeSetSpec | { label: string; skipped: string }> {
  const sets: Array<NodeSetSpec | { label: string; skipped: string }> = [];
  for (const version of BUILT_VERSIONS) {
    const built = buildRedisVersion(version);
    const label = `redis-server ${version}`;
    if ('problem' in built) sets.push({ label, skipped: built.problem });
    else sets.push({ label, kind: 'redis', redisServer: join(built.dir, 'redis-server'), failoverCommand: capabilitiesOfVersion(version).failoverCommand, sentinel: false });
  }
  if (haveCommand('redis-server')) {
    sets.splice(2, 0, { label: `redis-server ${serverVersion('redis-server') ?? '(PATH)'}`, kind: 'redis', failoverCommand: true, sentinel: true });
  }
  sets.push({ label: 'bundled node', kind: 'node', failoverCommand: true, sentinel: true });
  const only = process.env.BENCH_FAILOVER_SETS?.split(',').map((s) => s.trim());
  return only ? sets.filter((set) => only.some((o) => set.label.includes(o))) : sets;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rctl-bench-failover-'));
  const machine = machineInfo();
  const rows: Row[] = [];
  const raw: Record<string, MethodResult[]> = {};
  try {
    for (const spec of nodeSets()) {
      if ('skipped' in spec) {
        rows.push({ nodes: spec.label, method: 'all', runs: 0, medianLinkedMs: null, medianPauseMs: null, medianStallMs: null, medianReadsPausedMs: null, fullResyncs: 0, lostAckedWrites: 0, medianStartupMs: null, notes: `skipped: ${spec.skipped}` });
        continue;
      }
      const results = await benchSet(spec, work);
      raw[spec.label] = results;
      for (const result of results) rows.push(summarize(spec.label, result));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  machine.loadAverageEnd = currentLoad();

  const ms = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
  const table = markdownTable(
    ['nodes', 'method', 'runs', 'until all linked, median ms', 'write pause, median ms', 'reads paused too, median ms', 'longest write gap seen by the client, median ms', 'full resyncs', 'acked writes lost', 'notes'],
    rows.map((r) => [r.nodes, r.method, String(r.runs), ms(r.medianLinkedMs), ms(r.medianPauseMs), r.medianReadsPausedMs === null ? '-' : ms(r.medianReadsPausedMs), ms(r.medianStallMs), String(r.fullResyncs), String(r.lostAckedWrites), r.notes]),
  );
  const startup = rows
    .filter((r) => r.medianStartupMs !== null)
    .map((r) => `${r.nodes}: ${ms(r.medianStartupMs)} ms`)
    .join(', ');
  const targets = rows
    .filter((r) => r.method === 'rctl failover')
    .map((r) => `${r.nodes}: linked ${ms(r.medianLinkedMs)} ms (target <= 150) ${(r.medianLinkedMs ?? Infinity) <= 150 ? 'met' : 'MISSED'}, pause ${ms(r.medianPauseMs)} ms (target <= 50) ${(r.medianPauseMs ?? Infinity) <= 50 ? 'met' : 'MISSED'}, full resyncs ${r.fullResyncs} (target 0) ${r.fullResyncs === 0 ? 'met' : 'MISSED'}`);
  const md = `# Failover benchmark

One master and two replicas on 127.0.0.1 with a password, under a light write load (one SET at a
time, 1 ms apart, always sent to the node that reports itself master). Each method switches the
master round the three nodes. "Until all linked" runs from the start of the operation until every
replica reports master_link_status:up with the new master: for rctl, its own durationMs, which
excludes Node and CLI start-up (reported below); for FAILOVER TO and SENTINEL FAILOVER, from
sending the command. "Write pause": rctl's CLIENT PAUSE to UNPAUSE; before Redis 6.2 there is no
CLIENT PAUSE WRITE nor UNPAUSE, so rctl pauses reads too, for a pause sized to the switch ("reads
paused too"), and a 5.0 replica links to a new master only at its next once-a-second replication
cron, which bounds "until all linked" from below. The client-side gap is the
longest time between two acknowledged writes during the operation. Full resyncs: INFO stats
sync_full deltas over the three nodes. Acknowledged writes lost: writes the load saw acknowledged
that the final master does not have.

${table}

rctl start-up and exit (process wall time minus durationMs), median: ${startup || 'n/a'}.

Targets (rctl): ${targets.join('; ')}.

Machine: ${machine.nproc} cores, ${machine.cpuModel}, Node ${machine.node}, redis ${machine.redis}; load average ${machine.loadAverageStart} at start, ${machine.loadAverageEnd} at the end. ${machine.date}.
`;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'failover.json'), JSON.stringify({ machine, runs: RUNS, sentinelRuns: SENTINEL_RUNS, rows, raw }, null, 2) + '\n');
  writeFileSync(join(resultsDir, 'failover.md'), md);
  process.stdout.write('\n' + md);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
