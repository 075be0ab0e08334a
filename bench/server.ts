// npm run bench:server [-- options]: throughput and memory of the bundled node next to a real
// redis-server on the same machine.
//
// Throughput: redis-benchmark -c 50 for each of set,get,incr,lpush,hset at -P 1 and -P 16, the two servers
// alternating (node, redis, node, redis...) for --repeat rounds; the median of each is reported with
// the node/redis ratio. Memory: resident set size (VmRSS) of each fresh server empty and after
// loading the same --keys keys with 16-byte values (DBSIZE checked on both), in bytes per key.
//
// Options:
//   --requests N            requests per test at -P 1 (default 100000)
//   --pipeline-requests N   requests per test at -P 16 (default 500000)
//   --repeat N              alternating rounds, median taken (default 3)
//   --keys N                keys for the memory comparison (default 1000000)
//   --seeds                 also measure the node alone holding the seeds' 10,000,105 keys (slow)
//   --profile               run the node under --cpu-prof and summarize where its time goes (raw
//                           profiles stay in a temporary directory, named in the summary)
//   --blocking              also BLPOP/LPUSH round trips (bench/lib/blocking-roundtrip.ts), node vs redis,
//                           --repeat rounds alternating, median; --blocking-jobs N per round (default 5000)
//   --scripts               also EVALSHA and FCALL of a rate limiter and XADD ~ trimming (bench/lib/
//                           scripts-workloads.ts), node vs redis, -P 1 and -P 16, --repeat rounds, medians
//   --eviction              also a cache under maxmemory (bench/lib/eviction-workload.ts): skewed GETs, SET on
//                           a miss, past maxmemory under allkeys-lru and allkeys-lfu, node vs redis, --repeat
//                           rounds alternating, medians of throughput and hit ratio; --eviction-keys N (default
//                           200000), --eviction-reads N (default 200000), --eviction-maxmemory BYTES (default 10 MB)
//   --skip-throughput, --skip-memory, --quick (small sizes, one round: checks the script works)
//
// Results: bench/results/server.json and server.md (server-seeds.*, server-profile.*,
// server-blocking.* and server-eviction.* for the options).

import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRedisBenchmark, type BenchmarkRun } from './lib/redis-benchmark';
import { cpuSeconds, haveCommand, repoRoot, residentBytes, startServerProcess, stopServerProcess, type ServerKind, type ServerProcess } from './lib/servers';
import { commandOnce, info, loadKeys } from './lib/resp';
import { currentLoad, formatInt, formatMb, formatRatio, machineInfo, markdownTable, median, type MachineInfo } from './lib/report';
import { sourceLocator, summarizeProfile, type ProfileSummary } from './lib/cpu-profile';
import { measureBlockingRoundTrips, type RoundTripRun } from './lib/blocking-roundtrip';
import { measureScripts } from './lib/scripts-bench';
import type { ScriptsRow } from './lib/scripts-workloads';
import { evictionMarkdown, evictionParameters, measureEviction } from './lib/eviction-bench';

const TESTS = ['set', 'get', 'incr', 'lpush', 'hset'];
const PIPELINES = [1, 16];
/** Targets from the issue: throughput ratio by pipeline depth, and memory at most 2x Redis. */
const THROUGHPUT_TARGET: Record<number, number> = { 1: 0.95, 16: 0.5 };
const MEMORY_TARGET = 2;
const SEED_KEYS = 10_000_105;
const VALUE_SIZE = 16;
const resultsDir = join(repoRoot, 'bench', 'results');

interface Options {
  requests: number;
  pipelineRequests: number;
  repeat: number;
  keys: number;
  seeds: boolean;
  profile: boolean;
  throughput: boolean;
  memory: boolean;
  blocking: boolean;
  blockingJobs: number;
  scripts: boolean;
  eviction: boolean;
  evictionKeys: number;
  evictionReads: number;
  evictionMaxmemory: number;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(name);
    if (index === -1) return fallback;
    const parsed = Number(argv[index + 1]);
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} needs a positive integer`);
    return parsed;
  };
  const quick = argv.includes('--quick');
  return {
    requests: value('--requests', quick ? 20_000 : 100_000),
    pipelineRequests: value('--pipeline-requests', quick ? 100_000 : 500_000),
    repeat: value('--repeat', quick ? 1 : 3),
    keys: value('--keys', quick ? 100_000 : 1_000_000),
    seeds: argv.includes('--seeds'),
    profile: argv.includes('--profile'),
    throughput: !argv.includes('--skip-throughput'),
    memory: !argv.includes('--skip-memory'),
    blocking: argv.includes('--blocking'),
    scripts: argv.includes('--scripts'),
    blockingJobs: value('--blocking-jobs', quick ? 1000 : 5000),
    eviction: argv.includes('--eviction'),
    evictionKeys: value('--eviction-keys', quick ? 40_000 : 200_000),
    evictionReads: value('--eviction-reads', quick ? 40_000 : 200_000),
    evictionMaxmemory: value('--eviction-maxmemory', quick ? 3 * 1024 * 1024 : 10 * 1024 * 1024),
  };
}

const log = (text: string) => process.stderr.write(text + '\n');
const keyName = (i: number) => `key:${i}`;
const value16 = (i: number) => String(i).padStart(VALUE_SIZE, '0');

// --- throughput ------------------------------------------------------------------

interface ThroughputRow {
  test: string;
  pipeline: number;
  nodeRuns: number[];
  redisRuns: number[];
  node: number;
  redis: number;
  ratio: number;
  target: number;
  met: boolean;
  /** Server CPU time (user + system) per request, median of the rounds, in microseconds. */
  nodeCpuUs: number;
  redisCpuUs: number;
}

async function measureThroughput(options: Options): Promise<ThroughputRow[]> {
  const servers: Record<ServerKind, ServerProcess> = {
    node: await startServerProcess('node'),
    redis: await startServerProcess('redis'),
  };
  const runs = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  const record = (map: Map<string, number[]>, key: string, value: number) => map.set(key, [...(map.get(key) ?? []), value]);
  try {
    for (let round = 1; round <= options.repeat; round++) {
      for (const pipeline of PIPELINES) {
        const requests = pipeline === 1 ? options.requests : options.pipelineRequests;
        log(`round ${round}/${options.repeat}, -P ${pipeline}, -n ${requests} (load ${currentLoad()})`);
        // One test per redis-benchmark run, so each server's CPU time belongs to one test.
        for (const test of TESTS) {
          const line: string[] = [];
          for (const kind of ['node', 'redis'] as const) {
            const server = servers[kind];
            await commandOnce(server.port, 'FLUSHALL');
            const cpuBefore = cpuSeconds(server.pid);
            const run: BenchmarkRun = await runRedisBenchmark({ port: server.port, tests: [test], requests, clients: 50, pipeline });
            const cpuUs = ((cpuSeconds(server.pid) - cpuBefore) * 1e6) / requests;
            const rps = run.rps[test.toUpperCase()];
            record(runs, `${kind}|${pipeline}|${test}`, rps);
            record(cpu, `${kind}|${pipeline}|${test}`, cpuUs);
            line.push(`${kind} ${formatInt(rps)}/s ${cpuUs.toFixed(2)} us cpu`);
          }
          log(`  ${test.toUpperCase().padEnd(5)} ${line.join(', ')}`);
        }
      }
    }
  } finally {
    await Promise.all([stopServerProcess(servers.node), stopServerProcess(servers.redis)]);
  }
  const rows: ThroughputRow[] = [];
  for (const pipeline of PIPELINES) {
    for (const test of TESTS) {
      const key = (kind: ServerKind) => `${kind}|${pipeline}|${test}`;
      const nodeRuns = runs.get(key('node')) ?? [];
      const redisRuns = runs.get(key('redis')) ?? [];
      const node = median(nodeRuns);
      const redis = median(redisRuns);
      const ratio = node / redis;
      rows.push({
        test: test.toUpperCase(),
        pipeline,
        nodeRuns,
        redisRuns,
        node,
        redis,
        ratio,
        target: THROUGHPUT_TARGET[pipeline],
        met: ratio >= THROUGHPUT_TARGET[pipeline],
        nodeCpuUs: median(cpu.get(key('node')) ?? []),
        redisCpuUs: median(cpu.get(key('redis')) ?? []),
      });
    }
  }
  return rows;
}

// --- memory ------------------------------------------------------------------------

interface MemoryResult {
  kind: ServerKind;
  keys: number;
  emptyRss: number;
  loadedRss: number;
  bytesPerKey: number;
  /** used_memory from INFO memory, when the server reports it. */
  usedMemory: number | null;
  loadSeconds: number;
}

async function settle(): Promise<void> {
  // Give the node's GC a moment after a burst of allocation, as an operator's first look would.
  await new Promise((resolve) => setTimeout(resolve, 2000));
}

async function measureMemory(kind: ServerKind, keys: number, nodeFlags: string[] = []): Promise<MemoryResult> {
  const server = await startServerProcess(kind, { nodeFlags });
  try {
    await settle();
    const emptyRss = residentBytes(server.pid);
    log(`${kind}: loading ${formatInt(keys)} keys with ${VALUE_SIZE}-byte values...`);
    const started = performance.now();
    await loadKeys(server.port, keys, keyName, value16);
    const loadSeconds = (performance.now() - started) / 1000;
    const size = await commandOnce(server.port, 'DBSIZE');
    if (size !== keys) throw new Error(`${kind}: DBSIZE is ${String(size)}, expected ${keys}`);
    // Spot-check content: the same keys and values on both servers.
    for (const i of [0, 1, Math.floor(keys / 2), keys - 1]) {
      const stored = await commandOnce(server.port, 'GET', keyName(i));
      if (stored !== value16(i)) throw new Error(`${kind}: ${keyName(i)} holds ${String(stored)}`);
    }
    await settle();
    const loadedRss = residentBytes(server.pid);
    const used = Number((await info(server.port, 'memory')).used_memory);
    const result: MemoryResult = {
      kind,
      keys,
      emptyRss,
      loadedRss,
      bytesPerKey: (loadedRss - emptyRss) / keys,
      usedMemory: Number.isFinite(used) ? used : null,
      loadSeconds,
    };
    log(`${kind}: RSS ${formatMb(emptyRss)} MB empty, ${formatMb(loadedRss)} MB loaded, ${result.bytesPerKey.toFixed(1)} bytes/key, loaded in ${loadSeconds.toFixed(1)} s`);
    return result;
  } finally {
    await stopServerProcess(server);
  }
}

// --- profile -----------------------------------------------------------------------

/** Maps a bundled source file to the part of the node it belongs to. */
function areaOfSource(source: string): string {
  const path = source.replace(/^(\.\.\/)+/, '');
  if (path.includes('resp/request-parser')) return 'request parser';
  if (path.includes('resp/reply')) return 'reply encoding';
  if (path.includes('resp/')) return 'resp (other)';
  if (path.endsWith('server/dispatch.ts')) return 'dispatch';
  if (path.endsWith('server/client.ts')) return 'client (input loop, socket writes)';
  if (path.includes('server/commands/')) return 'command handlers';
  if (path.includes('server/keyspace/')) return 'keyspace';
  if (path.includes('server/propagation') || path.includes('server/replication')) return 'propagation/replication';
  if (path.includes('node_modules')) return 'dependencies';
  if (path.includes('server/')) return 'server (other)';
  return 'other bundled code';
}

interface ProfileRun {
  pipeline: number;
  profile: string;
  summary: ProfileSummary;
}

async function profileNode(options: Options): Promise<ProfileRun[]> {
  // The raw profiles are large: they stay in a temporary directory, only the summary is kept.
  const profileDir = mkdtempSync(join(tmpdir(), 'rctl-bench-profiles-'));
  const locate = sourceLocator(join(repoRoot, 'dist', 'server.js.map'));
  const results: ProfileRun[] = [];
  for (const pipeline of PIPELINES) {
    const dir = join(profileDir, `P${pipeline}`);
    mkdirSync(dir, { recursive: true });
    const server = await startServerProcess('node', { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    try {
      const requests = pipeline === 1 ? options.requests : options.pipelineRequests;
      log(`profiling node -P ${pipeline} -n ${requests}`);
      await runRedisBenchmark({ port: server.port, tests: TESTS, requests, clients: 50, pipeline });
    } finally {
      await stopServerProcess(server);
    }
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no profile written in ${dir}`);
    results.push({ pipeline, profile: join(dir, file), summary: summarizeProfile(join(dir, file), locate, areaOfSource) });
  }
  return results;
}

// --- reports -----------------------------------------------------------------------

function throughputTable(rows: ThroughputRow[]): string {
  return markdownTable(
    ['test', 'pipeline', 'node req/s', 'redis req/s', 'node/redis', 'target', 'met', 'node CPU us/req', 'redis CPU us/req', 'CPU redis/node'],
    rows.map((row) => [
      row.test,
      `-P ${row.pipeline}`,
      formatInt(row.node),
      formatInt(row.redis),
      formatRatio(row.ratio),
      `>= ${row.target}`,
      row.met ? 'yes' : 'NO',
      row.nodeCpuUs.toFixed(2),
      row.redisCpuUs.toFixed(2),
      formatRatio(row.redisCpuUs / row.nodeCpuUs),
    ]),
  );
}

function memoryTable(results: MemoryResult[]): string {
  return markdownTable(
    ['server', 'keys', 'RSS empty MB', 'RSS loaded MB', 'bytes/key above empty', 'used_memory MB', 'load s'],
    results.map((r) => [
      r.kind,
      formatInt(r.keys),
      formatMb(r.emptyRss),
      formatMb(r.loadedRss),
      r.bytesPerKey.toFixed(1),
      r.usedMemory === null ? 'n/a' : formatMb(r.usedMemory),
      r.loadSeconds.toFixed(1),
    ]),
  );
}

function profileMarkdown(runs: ProfileRun[]): string {
  const parts: string[] = [
    '# Where the node spends its time under redis-benchmark',
    '',
    'Self time per area of the node (source files from the bundle\'s source map) and per function, from',
    '`node --cpu-prof` on the node process while redis-benchmark runs every test. `writeLatin1String` is',
    'the native call that writes a reply to the socket: it contains the write(2) system call, and on',
    'loopback the kernel delivers the data to the reader inside that call. The profiler samples wall',
    'time, so on a busy machine the moments the node waits for a CPU also land there.',
    '',
  ];
  for (const run of runs) {
    parts.push(`## -P ${run.pipeline} (${run.profile})`, '', `Busy ${(run.summary.busyMs / 1000).toFixed(1)} s of ${(run.summary.totalMs / 1000).toFixed(1)} s profiled.`, '');
    parts.push(markdownTable(['area', 'self ms', 'share of busy'], run.summary.areas.map((a) => [a.area, a.ms.toFixed(0), (a.share * 100).toFixed(1) + '%'])), '');
    parts.push(markdownTable(['function', 'location', 'self ms', 'share'], run.summary.functions.map((f) => [f.name, f.location, f.ms.toFixed(0), (f.share * 100).toFixed(1) + '%'])), '');
  }
  return parts.join('\n');
}

function writeResults(name: string, json: unknown, markdown: string): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(join(resultsDir, `${name}.md`), markdown + '\n');
  log(`wrote bench/results/${name}.json and ${name}.md`);
}

function machineLines(machine: MachineInfo): string {
  return [
    `- date: ${machine.date}`,
    `- machine: ${machine.nproc} CPUs (${machine.cpuModel}), node ${machine.node}, redis-server ${machine.redis}`,
    `- 1-minute load average: ${machine.loadAverageStart} at start, ${machine.loadAverageEnd ?? 'n/a'} at end (other work on the machine lowers and scatters both servers' numbers)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  for (const tool of ['redis-server', 'redis-benchmark']) {
    if (!haveCommand(tool)) throw new Error(`${tool} is not on PATH: install redis-server (Redis 7.0) to run this benchmark`);
  }
  const machine = machineInfo();
  log(`bench:server on ${machine.nproc} CPUs, node ${machine.node}, redis ${machine.redis}, load ${machine.loadAverageStart}`);

  let throughput: ThroughputRow[] = [];
  let memory: MemoryResult[] = [];
  if (options.throughput) throughput = await measureThroughput(options);
  if (options.memory) {
    // One after the other, each server fresh, so neither competes with the other's loader.
    memory = [await measureMemory('node', options.keys), await measureMemory('redis', options.keys)];
  }
  let profiles: ProfileRun[] = [];
  if (options.profile) profiles = await profileNode(options);
  let seeds: MemoryResult | null = null;
  if (options.seeds) seeds = await measureMemory('node', SEED_KEYS, ['--max-old-space-size=16384']);
  const blocking = options.blocking ? await measureBlocking(options) : null;
  const scripts = options.scripts ? await measureScripts({ ...options, log }) : null;
  const eviction = options.eviction ? await measureEviction(options) : null;
  machine.loadAverageEnd = currentLoad();

  const sections: string[] = [];
  if (throughput.length > 0 || memory.length > 0) {
    const [nodeMemory, redisMemory] = memory;
    const memoryRatio = memory.length === 2 ? nodeMemory.bytesPerKey / redisMemory.bytesPerKey : NaN;
    const rssRatio = memory.length === 2 ? nodeMemory.loadedRss / redisMemory.loadedRss : NaN;
    const parameters = {
      clients: 50,
      tests: TESTS,
      requestsPipeline1: options.requests,
      requestsPipeline16: options.pipelineRequests,
      rounds: options.repeat,
      memoryKeys: options.keys,
      valueSize: VALUE_SIZE,
    };
    const markdown = [
      '# bench:server — bundled node vs redis-server',
      '',
      machineLines(machine),
      `- redis-benchmark -c 50 -t <one test at a time>, -n ${options.requests} at -P 1 and ${options.pipelineRequests} at -P 16; ${options.repeat} rounds alternating node and redis, medians`,
      '- CPU us/req: the server process\'s user + system CPU time during the run divided by its requests; unlike req/s it',
      '  barely depends on what else the machine is doing, so it is the steadier comparison on a shared machine',
      '',
      ...(throughput.length > 0 ? ['## Throughput', '', throughputTable(throughput), ''] : []),
      ...(memory.length > 0
        ? [
            `## Memory: ${formatInt(options.keys)} keys, ${VALUE_SIZE}-byte values`,
            '',
            memoryTable(memory),
            '',
            `node/redis bytes per key: ${formatRatio(memoryRatio)} (target <= ${MEMORY_TARGET}: ${memoryRatio <= MEMORY_TARGET ? 'met' : 'NOT met'}); loaded RSS ratio ${formatRatio(rssRatio)}`,
            '',
          ]
        : []),
    ].join('\n');
    sections.push(markdown);
    writeResults(
      'server',
      {
        machine,
        parameters,
        throughput,
        memory: memory.length > 0 ? { results: memory, bytesPerKeyRatio: memoryRatio, loadedRssRatio: rssRatio, target: MEMORY_TARGET, met: memoryRatio <= MEMORY_TARGET } : null,
      },
      markdown,
    );
  }
  if (profiles.length > 0) {
    const markdown = profileMarkdown(profiles);
    sections.push(markdown);
    writeResults('server-profile', { machine, profiles }, markdown);
  }
  if (seeds) {
    const markdown = ['# bench:server --seeds — the node holding the seeds\' 10,000,105 keys', '', machineLines(machine), '', memoryTable([seeds]), ''].join('\n');
    sections.push(markdown);
    writeResults('server-seeds', { machine, seeds }, markdown);
  }
  if (scripts) {
    const markdown = scriptsMarkdown(machine, options, scripts);
    sections.push(markdown);
    writeResults('server-scripts', { machine, rounds: options.repeat, rows: scripts }, markdown);
  }
  if (blocking) {
    const markdown = blockingMarkdown(machine, options, blocking);
    sections.push(markdown);
    writeResults('server-blocking', { machine, jobsPerRound: options.blockingJobs, rounds: options.repeat, ...blocking }, markdown);
  }
  if (eviction) {
    const markdown = evictionMarkdown(machine, options, eviction);
    sections.push(markdown);
    writeResults('server-eviction', { machine, options: evictionParameters(options), policies: eviction }, markdown);
  }
  process.stdout.write(sections.join('\n') + '\n');
}

interface BlockingResult {
  node: RoundTripRun[];
  redis: RoundTripRun[];
  medianNode: number;
  medianRedis: number;
  ratio: number;
}

/** Untimed round trips before each measured round, on both servers alike. */
const BLOCKING_WARMUP_JOBS = 3000;

/** BLPOP/LPUSH round trips, the two servers alternating (node, redis, node...) over --repeat rounds. */
async function measureBlocking(options: Options): Promise<BlockingResult> {
  const runs: Record<ServerKind, RoundTripRun[]> = { node: [], redis: [] };
  for (let round = 0; round < options.repeat; round++) {
    for (const kind of ['node', 'redis'] as const) {
      const server = await startServerProcess(kind);
      try {
        const run = await measureBlockingRoundTrips(server.port, options.blockingJobs, BLOCKING_WARMUP_JOBS);
        runs[kind].push(run);
        log(`blocking round ${round + 1} ${kind}: ${formatInt(Math.round(run.roundTripsPerSecond))} BLPOP/LPUSH round trips/s`);
      } finally {
        await stopServerProcess(server);
      }
    }
  }
  const medianNode = median(runs.node.map((r) => r.roundTripsPerSecond));
  const medianRedis = median(runs.redis.map((r) => r.roundTripsPerSecond));
  return { node: runs.node, redis: runs.redis, medianNode, medianRedis, ratio: medianNode / medianRedis };
}

function blockingMarkdown(machine: MachineInfo, options: Options, result: BlockingResult): string {
  return [
    '# bench:server --blocking — BLPOP/LPUSH round trips, bundled node vs redis-server',
    '',
    machineLines(machine),
    `- one consumer in BLPOP, one producer pushing the next job only once the previous was served; ${formatInt(options.blockingJobs)} jobs per round after ${formatInt(BLOCKING_WARMUP_JOBS)} untimed warm-up jobs on each fresh server (V8 compiles the node's hot paths in its first thousands of commands), ${options.repeat} rounds alternating node and redis, medians`,
    '',
    markdownTable(['server', 'round trips/s (median)'], [
      ['node', formatInt(Math.round(result.medianNode))],
      ['redis', formatInt(Math.round(result.medianRedis))],
    ]),
    '',
    `node/redis: ${formatRatio(result.ratio)}`,
    '',
  ].join('\n');
}

function scriptsMarkdown(machine: MachineInfo, options: Options, rows: ScriptsRow[]): string {
  return [
    '# bench:server --scripts — scripting and streams, bundled node vs redis-server',
    '',
    machineLines(machine),
    `- redis-benchmark -c 50 -r 10000 running one command: -n ${options.requests} at -P 1, ${options.pipelineRequests} at -P 16, after 20,000 untimed requests on each fresh server; ${options.repeat} rounds alternating node and redis, medians`,
    '- EVALSHA and FCALL run the same rate limiter: INCR the key, EXPIRE it on the first hit, return the count',
    '',
    markdownTable(
      ['workload', 'pipeline', 'node req/s', 'redis req/s', 'node/redis', 'node CPU us/req', 'redis CPU us/req', 'CPU redis/node'],
      rows.map((row) => [row.workload, `-P ${row.pipeline}`, formatInt(row.medianNode), formatInt(row.medianRedis), formatRatio(row.ratio), row.cpuUsNode.toFixed(2), row.cpuUsRedis.toFixed(2), formatRatio(row.cpuUsRedis / row.cpuUsNode)]),
    ),
    '',
  ].join('\n');
}

main().catch((error) => {
  process.stderr.write(`bench:server failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
