// Sentinel switchover benchmark (`npm run bench:sentinel`): one master and two replicas under
// three redis-sentinel processes, all launched by the built `rctl up` (passwords through
// passwordEnv, loopback only), switched back and forth, alternating, by
//   - `SENTINEL FAILOVER <masterName>` sent to sentinel-1 (Sentinel picks the replica), and
//   - `rctl failover --promote NEXT --yes --json` (bin/rctl.js; NEXT: the node after the master),
// BENCH_SENTINEL_RUNS times each (default 3). Sets: Debian's redis-server 7.0 under Debian's
// redis-sentinel, bundled nodes under Debian's redis-sentinel, and 6.2.16 / 7.2.6 nodes under their
// own redis-sentinel (scripts/redis-versions.ts; skipped with the reason when one cannot be had).
// BENCH_SENTINEL_SETS=7.2,bundled picks some; --rerender rewrites sentinel.md from sentinel.json.
//
// The load is what an application under Sentinel runs: ioredis with `sentinels`, `name`,
// `sentinelPassword` and `password`, so it asks the sentinels for the master (and checks its role)
// whenever it (re)connects. Two such clients write at once, one write at a time each, awaited,
// 1 ms apart, SET and INCR of fresh keys, recording every acknowledged write:
//   - tuned: failoverDetector (subscribes to +switch-master and reconnects as soon as the sentinels
//     announce a new master), reconnect on READONLY, short retry delays (test/helpers/sentinel-load.ts);
//   - defaults: nothing but the connection settings; it asks the sentinels again only when its
//     connection breaks (Sentinel's CLIENT KILL when it reconfigures a node, or an error reply
//     that ioredis treats as fatal), as many applications run it.
// A direct client (a fixed host:port) is not run as a load: under Sentinel an application that
// pins the master's address is misconfigured, and after any switch it writes to whatever that
// address has become, so its numbers describe the client, not the switch. bench:failover's
// ROLE-probing client is not what applications do either. The reads that judge the outcome do go
// over direct connections to each node.
//
// Per run: acknowledged writes lost (acked to a client but absent, or holding another value, on
// the new master once the set has settled), full resyncs (INFO stats sync_full deltas over the
// three nodes), the longest gap between two acknowledged writes of each client from the start of
// the switch until the set settled, rctl's writesPausedMs, the time until every sentinel names the
// new master (SENTINEL GET-MASTER-ADDR-BY-NAME polled on all three from the moment the switch is
// started: for rctl, from spawning it, so its Node start-up and its steering of replica-priority
// count too; rctl's own sentinel.agreedMs, from its SENTINEL FAILOVER, is reported beside it) and
// until every other node is linked to the new master (role slave, master_port the new master's,
// master_link_status:up). Settled: one master, both replicas linked and caught up, every sentinel
// naming it without failover_in_progress and seeing both replicas healthy and both other sentinels.
// Goals: 0 acknowledged writes lost, 0 full resyncs, every sentinel agreeing within 2 s (judged
// both from rctl's start and from its SENTINEL FAILOVER).
// Writes bench/results/sentinel.json and bench/results/sentinel.md.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import Redis from 'ioredis';
import type { FailoverJson } from '../src/cluster/failover/types';
import { buildRedisVersion, serverVersion } from '../scripts/redis-versions';
import { runProcess } from '../test/helpers/processes';
import { AckedWriteLoad, checkAcked, sentinelClient, type ErrorKind } from '../test/helpers/sentinel-load';
import { currentLoad, machineInfo, markdownTable, median, type MachineInfo } from './lib/report';
import { allLinked, fullSyncs, masterOf, monitorClient, sleep, until } from './lib/replication';
import { freePort, repoRoot } from './lib/servers';

const RUNS = Number(process.env.BENCH_SENTINEL_RUNS ?? 3);
const MASTER_NAME = 'bench-master';
// Fresh each run, and only ever in the environment of the rctl processes and in client options.
const NODE_PASSWORD = randomBytes(12).toString('hex');
const SENTINEL_PASSWORD = randomBytes(12).toString('hex');
const PASSWORD_ENV = { BENCH_NODE_PW: NODE_PASSWORD, BENCH_SENTINEL_PW: SENTINEL_PASSWORD };
const SWITCH_LIMIT_MS = 60_000;
const SETTLE_LIMIT_MS = 90_000;
const AGREE_GOAL_MS = 2000;
const rctlBin = join(repoRoot, 'bin', 'rctl.js');
const resultsDir = join(repoRoot, 'bench', 'results');

type Method = 'SENTINEL FAILOVER' | 'rctl failover';
const METHODS: Method[] = ['SENTINEL FAILOVER', 'rctl failover'];
type Profile = 'tuned' | 'defaults';
const PROFILES: Profile[] = ['tuned', 'defaults'];

interface SetSpec {
  label: string;
  launch: 'embedded' | 'redis-server';
  redisServer?: string;
  redisSentinel: string;
  serverVersion: string;
  sentinelVersion: string;
}

interface Node {
  name: string;
  port: number;
  monitor: Redis;
}

interface Sentinel {
  name: string;
  port: number;
  client: Redis;
}

interface SetUnderTest {
  spec: SetSpec;
  file: string;
  env: NodeJS.ProcessEnv;
  nodes: Node[];
  sentinels: Sentinel[];
}

/** What rctl printed with --json; `sentinel` is there on a Sentinel-managed set. */
type RctlJson = FailoverJson;

interface ClientRun {
  lost: number;
  wrongValue: number;
  acked: number;
  gapMs: number;
  /** When the lost writes had been acknowledged, ms after the start of the switch: first and last. */
  lostBetweenMs: [number, number] | null;
  /** Errors during this run, by kind. */
  errors: Record<string, number>;
}

interface SwitchRun {
  method: Method;
  from: string;
  to: string | null;
  /** From the start of the switch until every sentinel named the new master (bench's own polling). */
  agreedMs: number | null;
  /** From the start until every other node was linked to the new master. */
  linkedMs: number | null;
  /** From the start until the set had settled (see the header). */
  settledMs: number | null;
  fullResyncs: number;
  clients: Record<Profile, ClientRun>;
  rctl?: {
    code: number | null;
    wallMs: number;
    json?: RctlJson;
    error?: { code?: string; message?: string };
  };
  note?: string;
}

interface SetResult {
  label: string;
  serverVersion: string;
  sentinelVersion: string;
  skipped?: string;
  runs: SwitchRun[];
  /** Every acknowledged write of the whole set, checked on the final master (a cross-check of the per-run counts). */
  finalCheck?: Record<Profile, { acked: number; missing: number; wrongValue: number; errors: ErrorKind[] }>;
}

function commandPath(name: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

function sets(): Array<SetSpec | { label: string; skipped: string }> {
  const out: Array<SetSpec | { label: string; skipped: string }> = [];
  const built = (version: '6.2.16' | '7.2.6') => {
    const result = buildRedisVersion(version);
    const label = `redis-server ${version}`;
    if ('problem' in result) return { label, skipped: result.problem };
    const sentinel = join(result.dir, 'redis-sentinel');
    if (!existsSync(sentinel)) return { label, skipped: `${sentinel} is missing` };
    return { label, launch: 'redis-server' as const, redisServer: join(result.dir, 'redis-server'), redisSentinel: sentinel, serverVersion: version, sentinelVersion: version };
  };
  const debianServer = commandPath('redis-server');
  const debianSentinel = commandPath('redis-sentinel');
  const debianVersion = debianServer ? serverVersion(debianServer) : null;
  const sentinelVersion = debianSentinel ? (serverVersion(debianSentinel) ?? 'unknown') : null;
  out.push(built('6.2.16'));
  if (!debianServer || !debianSentinel) out.push({ label: 'redis-server (PATH)', skipped: 'redis-server or redis-sentinel is not on PATH (apt-get install -y redis-server redis-sentinel)' });
  else out.push({ label: `redis-server ${debianVersion}`, launch: 'redis-server', redisServer: debianServer, redisSentinel: debianSentinel, serverVersion: debianVersion ?? 'unknown', sentinelVersion: sentinelVersion as string });
  out.push(built('7.2.6'));
  if (!debianSentinel) out.push({ label: 'bundled node', skipped: 'redis-sentinel is not on PATH (apt-get install -y redis-sentinel)' });
  else out.push({ label: 'bundled node', launch: 'embedded', redisSentinel: debianSentinel, serverVersion: 'bundled', sentinelVersion: sentinelVersion as string });
  const only = process.env.BENCH_SENTINEL_SETS?.split(',').map((s) => s.trim());
  return only ? out.filter((set) => only.some((o) => set.label.includes(o))) : out;
}

function topologyText(spec: SetSpec, name: string, nodePorts: number[], sentinelPorts: number[]): string {
  return [
    `name: ${name}`,
    `launch: ${spec.launch}`,
    ...(spec.redisServer ? [`redisServer: ${spec.redisServer}`] : []),
    'auth: { passwordEnv: BENCH_NODE_PW }',
    'sentinel:',
    `  masterName: ${MASTER_NAME}`,
    '  quorum: 2',
    '  launch: redis-sentinel',
    `  redisSentinel: ${spec.redisSentinel}`,
    // Long enough that a loaded 2-core machine never fails over on its own mid-run.
    '  downAfterMs: 5000',
    '  failoverTimeoutMs: 10000',
    '  auth: { passwordEnv: BENCH_SENTINEL_PW }',
    '  nodes:',
    ...sentinelPorts.map((port) => `    - { host: 127.0.0.1, port: ${port} }`),
    'nodes:',
    ...nodePorts.map((port, i) => `  - { name: n${i + 1}, host: 127.0.0.1, port: ${port}, role: ${i === 0 ? 'master' : 'replica'} }`),
    '',
  ].join('\n');
}

async function runRctl(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string; wallMs: number }> {
  const start = performance.now();
  const result = await runProcess(process.execPath, [rctlBin, ...args], { env, timeoutMs });
  return { ...result, wallMs: performance.now() - start };
}

/** SENTINEL MASTER / REPLICAS entries come as flat [field, value, ...] arrays. */
function fields(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

async function namedPort(sentinel: Sentinel): Promise<number | null> {
  const address = (await sentinel.client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as string[] | null;
  return address ? Number(address[1]) : null;
}

/** The set's quiet state between runs (see the header); returns the master, or throws with what was missing. */
async function settle(set: SetUnderTest): Promise<Node> {
  let master: Node | null = null;
  let missing = '';
  const check = async (): Promise<boolean> => {
    master = await masterOf(set.nodes);
    if (!(await allLinked(set.nodes, master, true))) return ((missing = `replicas of ${master.name} not linked and caught up`), false);
    for (const sentinel of set.sentinels) {
      if ((await namedPort(sentinel)) !== master.port) return ((missing = `${sentinel.name} does not name ${master.name}`), false);
      const view = fields(await sentinel.client.call('SENTINEL', 'MASTER', MASTER_NAME));
      if (view.flags !== 'master') return ((missing = `${sentinel.name} flags ${view.flags}`), false);
      if (Number(view['num-other-sentinels']) !== set.sentinels.length - 1) return ((missing = `${sentinel.name} knows ${view['num-other-sentinels']} other sentinels`), false);
      const replicas = ((await sentinel.client.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[]).map(fields);
      const healthy = replicas.filter((r) => r.flags === 'slave' && r['master-link-status'] === 'ok');
      if (healthy.length !== set.nodes.length - 1) return ((missing = `${sentinel.name} sees ${healthy.length} healthy replicas`), false);
    }
    return true;
  };
  const waited = await until(() => check().catch((error: Error) => ((missing = error.message), false)), SETTLE_LIMIT_MS, 50);
  if (waited === null || !master) throw new Error(`the set did not settle within ${SETTLE_LIMIT_MS / 1000} s: ${missing}`);
  return master;
}

/**
 * Polls, from `start`, until every sentinel names one node other than `old` (agreed) and every
 * other node is linked to it (linked); stops early once `failed()` says the switch will not happen.
 */
async function watchSwitch(set: SetUnderTest, old: Node, start: number, failed: () => boolean): Promise<{ agreedMs: number | null; linkedMs: number | null; newMaster: Node | null }> {
  let agreedMs: number | null = null;
  let linkedMs: number | null = null;
  let newMaster: Node | null = null;
  while (performance.now() - start < SWITCH_LIMIT_MS) {
    if (agreedMs === null) {
      const ports = await Promise.all(set.sentinels.map((s) => namedPort(s).catch(() => null)));
      const named = set.nodes.find((n) => n !== old && ports.includes(n.port)) ?? null;
      newMaster ??= named;
      if (named && ports.every((port) => port === named.port)) agreedMs = performance.now() - start;
    }
    if (linkedMs === null && newMaster && (await allLinked(set.nodes, newMaster).catch(() => false))) linkedMs = performance.now() - start;
    if (agreedMs !== null && linkedMs !== null) break;
    if (newMaster === null && failed()) break;
    await sleep(5);
  }
  return { agreedMs, linkedMs, newMaster };
}

function errorCounts(load: AckedWriteLoad): Record<string, number> {
  return Object.fromEntries(load.errors().map((e) => [e.kind, e.count]));
}

function errorDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, count] of Object.entries(after)) if (count > (before[kind] ?? 0)) out[kind] = count - (before[kind] ?? 0);
  return out;
}

async function switchOnce(set: SetUnderTest, method: Method, loads: Record<Profile, AckedWriteLoad>, cut: Record<Profile, number>): Promise<SwitchRun> {
  const old = await settle(set);
  const next = set.nodes[(set.nodes.indexOf(old) + 1) % set.nodes.length];
  const fullBefore = await fullSyncs(set.nodes.map((n) => n.monitor));
  const errorsBefore = { tuned: errorCounts(loads.tuned), defaults: errorCounts(loads.defaults) };
  let finished = false;
  let failedEarly = false;
  let rctl: SwitchRun['rctl'];
  let note: string | undefined;
  const failed = (why: string) => {
    failedEarly = true;
    note = why;
  };

  const start = performance.now();
  let operation: Promise<void>;
  if (method === 'SENTINEL FAILOVER') {
    operation = set.sentinels[0].client.call('SENTINEL', 'FAILOVER', MASTER_NAME).then(
      (reply) => {
        if (reply !== 'OK') failed(`SENTINEL FAILOVER replied ${String(reply)}`);
      },
      (error: Error) => failed(`SENTINEL FAILOVER: ${error.message}`),
    );
  } else {
    operation = runRctl(['failover', '--promote', next.name, '--yes', '--json', '-t', set.file], set.env).then((result) => {
      rctl = { code: result.code, wallMs: result.wallMs };
      try {
        const parsed = JSON.parse(result.stdout) as RctlJson | { error: { code?: string; message?: string } };
        if ('error' in parsed) rctl.error = parsed.error;
        else rctl.json = parsed;
      } catch {
        rctl.error = { message: (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ') };
      }
      if (result.code !== 0) failed(`rctl exited ${result.code}${rctl.error?.code ? ` ${rctl.error.code}` : ''}: ${rctl.error?.message ?? ''}`);
    }, (error: Error) => failed(`rctl: ${error.message.split('\n')[0]}`));
  }
  operation = operation.finally(() => (finished = true));
  const watched = await watchSwitch(set, old, start, () => finished && failedEarly);
  await operation;

  const settled = await settle(set);
  const settledMs = performance.now() - start;
  const clients = {} as Record<Profile, ClientRun>;
  for (const profile of PROFILES) {
    const load = loads[profile];
    const slice = load.acked.slice(cut[profile]);
    cut[profile] += slice.length;
    const { missing, wrong } = await checkAcked(settled.monitor, slice);
    const lostAt = [...missing, ...wrong].map((write) => write.at - start);
    clients[profile] = {
      lostBetweenMs: lostAt.length > 0 ? [round(Math.min(...lostAt)), round(Math.max(...lostAt))] : null,
      lost: missing.length + wrong.length,
      wrongValue: wrong.length,
      acked: slice.length,
      gapMs: round(load.longestGap(start, start + settledMs)),
      errors: errorDelta(errorsBefore[profile], errorCounts(load)),
    };
  }
  if (watched.newMaster && watched.newMaster !== settled) note = [note, `the sentinels first named ${watched.newMaster.name}, the set settled on ${settled.name}`].filter(Boolean).join('; ');
  if (method === 'rctl failover' && !failedEarly && settled !== next) note = [note, `asked for ${next.name}, got ${settled.name}`].filter(Boolean).join('; ');
  const run: SwitchRun = {
    method,
    from: old.name,
    to: settled === old ? null : settled.name,
    agreedMs: watched.agreedMs === null ? null : round(watched.agreedMs),
    linkedMs: watched.linkedMs === null ? null : round(watched.linkedMs),
    settledMs: round(settledMs),
    fullResyncs: (await fullSyncs(set.nodes.map((n) => n.monitor))) - fullBefore,
    clients,
    rctl,
    note,
  };
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(0)} ms`);
  process.stdout.write(
    `  ${method} ${old.name} -> ${run.to ?? '(none)'}: agreed ${ms(run.agreedMs)}, linked ${ms(run.linkedMs)}, settled ${ms(run.settledMs)}, full resyncs ${run.fullResyncs}` +
      PROFILES.map((p) => `; ${p}: lost ${clients[p].lost}/${clients[p].acked}${lostText(clients[p])}, gap ${ms(clients[p].gapMs)}`).join('') +
      (rctl?.json ? `; rctl paused ${rctl.json.writesPausedMs} ms, duration ${rctl.json.durationMs} ms, steer ${rctl.json.sentinel?.steerMs ?? 'n/a'} ms, promoted ${rctl.json.sentinel?.promotedMs ?? 'n/a'} ms, agreed ${rctl.json.sentinel?.agreedMs ?? 'n/a'} ms` : '') +
      (note ? ` (${note})` : '') +
      '\n',
  );
  return run;
}

const round = (v: number) => Math.round(v * 10) / 10;
const lostText = (client: ClientRun) => (client.lostBetweenMs ? ` (acked ${client.lostBetweenMs[0].toFixed(0)}..${client.lostBetweenMs[1].toFixed(0)} ms after the start)` : '');

async function benchSet(spec: SetSpec, work: string): Promise<SetResult> {
  process.stdout.write(`${spec.label} under redis-sentinel ${spec.sentinelVersion}:\n`);
  const name = `bench-sentinel-${spec.label.replace(/[^A-Za-z0-9]+/g, '-')}`.replace(/-+$/, '');
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const nodePorts = [await freePort(), await freePort(), await freePort()];
  const sentinelPorts = [await freePort(), await freePort(), await freePort()];
  const file = join(dir, 'topology.yml');
  writeFileSync(file, topologyText(spec, name, nodePorts, sentinelPorts));
  const env: NodeJS.ProcessEnv = { ...process.env, ...PASSWORD_ENV, RCTL_HOME: join(dir, 'home') };
  delete env.RCTL_TOPOLOGY;
  const result: SetResult = { label: spec.label, serverVersion: spec.serverVersion, sentinelVersion: spec.sentinelVersion, runs: [] };

  const up = await runRctl(['up', file, '--json'], env);
  const set: SetUnderTest = {
    spec,
    file,
    env,
    nodes: nodePorts.map((port, i) => ({ name: `n${i + 1}`, port, monitor: monitorClient(port, NODE_PASSWORD) })),
    sentinels: sentinelPorts.map((port, i) => ({ name: `sentinel-${i + 1}`, port, client: monitorClient(port, SENTINEL_PASSWORD) })),
  };
  const loads: Partial<Record<Profile, AckedWriteLoad>> = {};
  try {
    if (up.code !== 0) throw new Error(`rctl up exited ${up.code}: ${up.stderr.trim().split('\n').slice(-5).join('\n')}`);
    await settle(set);
    for (const profile of PROFILES) {
      const client = sentinelClient({ sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })), name: MASTER_NAME, sentinelPassword: SENTINEL_PASSWORD, password: NODE_PASSWORD, profile });
      loads[profile] = new AckedWriteLoad(client, profile);
    }
    const running = loads as Record<Profile, AckedWriteLoad>;
    await until(async () => PROFILES.every((p) => running[p].acked.length > 100), 30_000, 20);
    const cut: Record<Profile, number> = { tuned: 0, defaults: 0 };
    for (let i = 0; i < RUNS * METHODS.length; i++) result.runs.push(await switchOnce(set, METHODS[i % METHODS.length], running, cut));
  } finally {
    for (const profile of PROFILES) await loads[profile]?.stop();
    const master = await settle(set).catch(() => null);
    if (master && loads.tuned && loads.defaults) {
      result.finalCheck = {} as NonNullable<SetResult['finalCheck']>;
      for (const profile of PROFILES) {
        const load = loads[profile] as AckedWriteLoad;
        const { missing, wrong } = await checkAcked(master.monitor, load.acked);
        result.finalCheck[profile] = { acked: load.acked.length, missing: missing.length, wrongValue: wrong.length, errors: load.errors() };
        process.stdout.write(`  ${profile} client: ${load.acked.length} acknowledged writes, ${missing.length} missing and ${wrong.length} with another value on the final master, ${load.errorCount()} errors\n`);
      }
    }
    for (const node of set.nodes) node.monitor.disconnect();
    for (const sentinel of set.sentinels) sentinel.client.disconnect();
    const down = await runRctl(['down', file, '--purge', '--yes', '--json'], env).catch((error: Error) => ({ code: -1, stderr: error.message }));
    if (down.code !== 0) process.stderr.write(`rctl down exited ${down.code}: ${down.stderr}\n`);
  }
  return result;
}

interface Summary {
  set: string;
  method: Method;
  runs: number;
  switched: number;
  lostTuned: number;
  lostDefaults: number;
  fullResyncs: number;
  medianAgreedMs: number | null;
  maxAgreedMs: number | null;
  medianRctlAgreedMs: number | null;
  maxRctlAgreedMs: number | null;
  medianSteerMs: number | null;
  medianPromotedMs: number | null;
  medianLinkedMs: number | null;
  medianGapTunedMs: number | null;
  medianGapDefaultsMs: number | null;
  medianWritesPausedMs: number | null;
  medianRctlDurationMs: number | null;
  notes: string;
}

function medianOf(values: Array<number | null | undefined>): number | null {
  const present = values.filter((v): v is number => typeof v === 'number');
  return present.length === 0 ? null : round(median(present));
}

function summarize(set: SetResult, method: Method): Summary {
  const runs = set.runs.filter((r) => r.method === method);
  const switched = runs.filter((r) => r.to !== null);
  const agreed = switched.map((r) => r.agreedMs).filter((v): v is number => v !== null);
  const rctlAgreed = switched.map((r) => r.rctl?.json?.sentinel?.agreedMs).filter((v): v is number => typeof v === 'number');
  const notes = [...new Set(runs.map((r) => r.note).filter((n): n is string => n !== undefined))];
  const longSteers = switched.filter((r) => (r.rctl?.json?.sentinel?.steerMs ?? 0) > AGREE_GOAL_MS).length;
  if (longSteers > 0) notes.push(`in ${longSteers}/${switched.length} runs rctl's steering waited for a sentinel's next INFO of the replicas (every 10 s)`);
  return {
    set: set.label,
    method,
    runs: runs.length,
    switched: switched.length,
    lostTuned: runs.reduce((sum, r) => sum + r.clients.tuned.lost, 0),
    lostDefaults: runs.reduce((sum, r) => sum + r.clients.defaults.lost, 0),
    fullResyncs: runs.reduce((sum, r) => sum + r.fullResyncs, 0),
    medianAgreedMs: medianOf(agreed),
    maxAgreedMs: agreed.length > 0 ? Math.max(...agreed) : null,
    medianRctlAgreedMs: medianOf(rctlAgreed),
    maxRctlAgreedMs: rctlAgreed.length > 0 ? Math.max(...rctlAgreed) : null,
    medianSteerMs: medianOf(switched.map((r) => r.rctl?.json?.sentinel?.steerMs)),
    medianPromotedMs: medianOf(switched.map((r) => r.rctl?.json?.sentinel?.promotedMs)),
    medianLinkedMs: medianOf(switched.map((r) => r.linkedMs)),
    medianGapTunedMs: medianOf(switched.map((r) => r.clients.tuned.gapMs)),
    medianGapDefaultsMs: medianOf(switched.map((r) => r.clients.defaults.gapMs)),
    medianWritesPausedMs: medianOf(switched.map((r) => r.rctl?.json?.writesPausedMs)),
    medianRctlDurationMs: medianOf(switched.map((r) => r.rctl?.json?.durationMs)),
    notes: notes.join('; '),
  };
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(0));
const errorsText = (errors: Record<string, number>) =>
  Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `${kind} x${count}`)
    .join(', ') || '-';

function setTable(set: SetResult): string {
  return markdownTable(
    ['#', 'method', 'from -> to', 'sentinels agree, ms', 'rctl steer / promoted / agreed, ms', 'all linked, ms', 'settled, ms', 'rctl writesPausedMs', 'rctl durationMs', 'gap tuned, ms', 'gap defaults, ms', 'lost tuned', 'lost defaults', 'full resyncs', 'errors tuned', 'errors defaults', 'notes'],
    set.runs.map((r, i) => [
      String(i + 1),
      r.method,
      `${r.from} -> ${r.to ?? '(none)'}`,
      ms(r.agreedMs),
      r.rctl?.json?.sentinel ? `${ms(r.rctl.json.sentinel.steerMs)} / ${ms(r.rctl.json.sentinel.promotedMs)} / ${ms(r.rctl.json.sentinel.agreedMs)}` : 'n/a',
      ms(r.linkedMs),
      ms(r.settledMs),
      ms(r.rctl?.json?.writesPausedMs),
      ms(r.rctl?.json?.durationMs),
      ms(r.clients.tuned.gapMs),
      ms(r.clients.defaults.gapMs),
      `${r.clients.tuned.lost}/${r.clients.tuned.acked}${lostText(r.clients.tuned)}`,
      `${r.clients.defaults.lost}/${r.clients.defaults.acked}${lostText(r.clients.defaults)}`,
      String(r.fullResyncs),
      errorsText(r.clients.tuned.errors),
      errorsText(r.clients.defaults.errors),
      r.note ?? '',
    ]),
  );
}

function ratio(a: number | null, b: number | null): string {
  return a === null || b === null || b === 0 ? 'n/a' : (a / b).toFixed(3);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rctl-bench-sentinel-'));
  const machine = machineInfo();
  // The measured rctl is the working tree's build: its commit, and whether the tree differed from it.
  const git = (...args: string[]) => spawnSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8' }).stdout.trim();
  const commit = `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : ''}`;
  const results: SetResult[] = [];
  try {
    for (const spec of sets()) {
      if ('skipped' in spec) {
        process.stdout.write(`${spec.label}: skipped (${spec.skipped})\n`);
        results.push({ label: spec.label, serverVersion: 'n/a', sentinelVersion: 'n/a', skipped: spec.skipped, runs: [] });
        continue;
      }
      try {
        results.push(await benchSet(spec, work));
      } catch (error) {
        process.stdout.write(`  failed: ${(error as Error).message}\n`);
        results.push({ label: spec.label, serverVersion: spec.serverVersion, sentinelVersion: spec.sentinelVersion, skipped: `failed: ${(error as Error).message}`, runs: [] });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  machine.loadAverageEnd = currentLoad();
  writeResults(machine, RUNS, results, commit);
}

/** sentinel.json holds every measurement; sentinel.md is made from it alone (see rerender). */
function writeResults(machine: MachineInfo, runsPerMethod: number, results: SetResult[], commit: string): void {
  const summaries = results.filter((r) => !r.skipped).flatMap((set) => METHODS.map((method) => summarize(set, method)));
  const summaryTable = markdownTable(
    ['nodes', 'method', 'runs (switched)', 'acked lost tuned', 'acked lost defaults', 'full resyncs', 'sentinels agree median / max, ms', 'rctl steer / promoted median, ms', 'rctl agreedMs median / max', 'all linked median, ms', 'gap tuned median, ms', 'gap defaults median, ms', 'rctl writesPausedMs median', 'rctl durationMs median', 'notes'],
    summaries.map((s) => [s.set, s.method, `${s.runs} (${s.switched})`, String(s.lostTuned), String(s.lostDefaults), String(s.fullResyncs), `${ms(s.medianAgreedMs)} / ${ms(s.maxAgreedMs)}`, s.method === 'rctl failover' ? `${ms(s.medianSteerMs)} / ${ms(s.medianPromotedMs)}` : '-', s.method === 'rctl failover' ? `${ms(s.medianRctlAgreedMs)} / ${ms(s.maxRctlAgreedMs)}` : '-', ms(s.medianLinkedMs), ms(s.medianGapTunedMs), ms(s.medianGapDefaultsMs), ms(s.medianWritesPausedMs), ms(s.medianRctlDurationMs), s.notes]),
  );
  const ratios = results
    .filter((r) => !r.skipped)
    .map((set) => {
      const [plain, rctl] = METHODS.map((m) => summaries.find((s) => s.set === set.label && s.method === m) as Summary);
      return [set.label, ratio(rctl.medianAgreedMs, plain.medianAgreedMs), ratio(rctl.medianRctlAgreedMs, plain.medianAgreedMs), ratio(rctl.medianLinkedMs, plain.medianLinkedMs), ratio(rctl.medianGapTunedMs, plain.medianGapTunedMs), ratio(rctl.medianGapDefaultsMs, plain.medianGapDefaultsMs), `${rctl.lostTuned + rctl.lostDefaults} vs ${plain.lostTuned + plain.lostDefaults}`, `${rctl.fullResyncs} vs ${plain.fullResyncs}`];
    });
  const ratioTable = markdownTable(['nodes', 'sentinels agree', 'sentinels agree, from SENTINEL FAILOVER (rctl agreedMs)', 'all linked', 'gap tuned', 'gap defaults', 'acked lost (both clients)', 'full resyncs'], ratios);
  const goals = summaries
    .filter((s) => s.method === 'rctl failover')
    .map((s) => {
      const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
      const all = s.switched === s.runs && s.runs > 0;
      const within = (v: number | null) => all && v !== null && v <= AGREE_GOAL_MS;
      return (
        `${s.set}: lost ${s.lostTuned + s.lostDefaults} (goal 0) ${met(all && s.lostTuned + s.lostDefaults === 0)}, full resyncs ${s.fullResyncs} (goal 0) ${met(all && s.fullResyncs === 0)}, ` +
        `slowest agreement from rctl's start ${ms(s.maxAgreedMs)} ms (goal <= ${AGREE_GOAL_MS}) ${met(within(s.maxAgreedMs))}, from its SENTINEL FAILOVER (agreedMs) ${ms(s.maxRctlAgreedMs)} ms ${met(within(s.maxRctlAgreedMs))}`
      );
    });
  const perSet = results
    .map((set) => {
      if (set.skipped) return `### ${set.label}\n\nSkipped: ${set.skipped}\n`;
      const final = set.finalCheck
        ? PROFILES.map((p) => {
            const f = set.finalCheck?.[p];
            return f ? `${p} client: ${f.acked} acknowledged writes, ${f.missing} missing and ${f.wrongValue} with another value on the final master; errors over the whole set: ${f.errors.map((e) => `${e.kind} x${e.count} (e.g. "${e.example}")`).join(', ') || 'none'}` : '';
          }).join('. ')
        : 'no final check (the set did not settle)';
      return `### ${set.label} under redis-sentinel ${set.sentinelVersion}\n\n${setTable(set)}\n\n${final}.\n`;
    })
    .join('\n');

  const md = `# Sentinel switchover benchmark

One master and two replicas under three redis-sentinel processes (quorum 2, down-after 5 s,
failover-timeout 10 s), launched by \`rctl up\` on 127.0.0.1 with passwords (nodes and sentinels),
switched back and forth, alternating, by \`SENTINEL FAILOVER ${MASTER_NAME}\` sent to sentinel-1 and by
\`rctl failover --promote NEXT --yes --json\` (the built binary), ${runsPerMethod} runs each per set.

The load is two ioredis clients configured for Sentinel (\`sentinels\`, \`name\`, \`sentinelPassword\`,
\`password\`), writing at the same time, one awaited write at a time each, 1 ms apart, SET and INCR of
fresh keys: **tuned** (\`failoverDetector: true\`, reconnect on READONLY, retry every 20-200 ms) and
**defaults** (no other option). A direct client with a fixed address is not used: under Sentinel
that is a misconfigured application, and what it sees after a switch depends on what its address
has become, not on the switch.

- *sentinels agree*: from the start of the switch (sending SENTINEL FAILOVER; spawning rctl, so
  its Node start-up and its steering are included) until GET-MASTER-ADDR-BY-NAME names the new
  master on all three sentinels (polled every 5 ms).
- *all linked*: until both other nodes report role slave, the new master's port and
  master_link_status:up. *settled*: until, in addition, the replicas are caught up and every
  sentinel shows the master without failover_in_progress, with both replicas healthy.
- *gap*: the longest time without an acknowledged write, per client, from the start until settled.
- *lost*: acknowledged writes of the run absent from (or holding another value on) the new master
  once settled, over the writes the client had acknowledged; *full resyncs*: INFO stats sync_full
  deltas over the three nodes.
- *errors*: what the clients' awaited writes were rejected with during the run (by kind; Redis
  error codes, or ioredis' own messages).
- *rctl steer / promoted / agreed*: rctl's own sentinel.steerMs (until the sentinel it asks would
  choose NEXT: Sentinel reads replica-priority from each replica's INFO every 10 s, so when its
  choice differs this takes up to 10 s), promotedMs and agreedMs (both from its SENTINEL FAILOVER).

How to read the clients' side. Under SENTINEL FAILOVER no write failed: the lost writes had all
been acknowledged. The old master keeps taking writes after the promotion; the tuned client leaves
it when the sentinels announce the new master (its lost writes end near "sentinels agree"), the
defaults client only when Sentinel demotes the old master and drops its clients (near "all
linked"), and the old master's diverged history then costs full resyncs. Under rctl failover the
clients were told: READONLY for a write held by rctl's pause on the old master and answered once it
was a replica; NOREPLICAS for writes of a client that had reconnected (through the sentinels, still
naming the old master) to the old master while rctl's fence (min-replicas-to-write) was on, before
its demotion (Redis checks min-replicas before a pause would hold the write). None of those was
acknowledged. A client that follows Sentinel cannot write before the sentinels name the new
master, so its gap under rctl runs from the pause until then: a little over rctl's agreedMs, well
over writesPausedMs.

${perSet}
## Summary

${summaryTable}

Ratios, rctl failover / SENTINEL FAILOVER (medians; below 1: rctl is faster or shorter):

${ratioTable}

Goals (rctl failover): ${goals.join('; ') || 'n/a'}.

rctl at ${commit}. Machine: ${machine.nproc} cores, ${machine.cpuModel}, Node ${machine.node}, redis ${machine.redis}; load average ${machine.loadAverageStart} at start, ${machine.loadAverageEnd} at the end. ${machine.date}.
`;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'sentinel.json'), JSON.stringify({ machine, commit, runsPerMethod, masterName: MASTER_NAME, summaries, sets: results }, null, 2) + '\n');
  writeFileSync(join(resultsDir, 'sentinel.md'), md);
  process.stdout.write('\n' + md);
}

/** `node dist/bench/sentinel.js --rerender`: sentinel.md again from sentinel.json, for a change of wording without another 7 minutes of runs. */
function rerender(): void {
  const saved = JSON.parse(readFileSync(join(resultsDir, 'sentinel.json'), 'utf8')) as { machine: MachineInfo; commit?: string; runsPerMethod: number; sets: SetResult[] };
  writeResults(saved.machine, saved.runsPerMethod, saved.sets, saved.commit ?? 'unknown');
}

(process.argv.includes('--rerender') ? Promise.resolve().then(rerender) : main()).catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
