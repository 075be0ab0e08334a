// bench:server --eviction: the cache workload (eviction-workload.ts) on a fresh node and a fresh
// redis-server with the same maxmemory, under allkeys-lru and allkeys-lfu, the servers alternating
// for --repeat rounds; medians of throughput and hit ratio, and their node/redis ratios.

import { runEvictionWorkload, type EvictionRun, type EvictionWorkload } from './eviction-workload';
import { startServerProcess, stopServerProcess, type ServerKind } from './servers';
import { formatInt, formatMb, formatRatio, markdownTable, median, type MachineInfo } from './report';

export interface EvictionBenchOptions {
  repeat: number;
  evictionKeys: number;
  evictionReads: number;
  evictionMaxmemory: number;
}

export interface PolicyResult {
  policy: string;
  node: EvictionRun[];
  redis: EvictionRun[];
  medianOps: Record<ServerKind, number>;
  medianHitRatio: Record<ServerKind, number>;
  throughputRatio: number;
  hitRatioRatio: number;
}

const POLICIES = ['allkeys-lru', 'allkeys-lfu'];
const WORKERS = 16;
const VALUE_SIZE = 100;
const SKEW = 4;

const log = (text: string) => process.stderr.write(text + '\n');

function workloadOf(options: EvictionBenchOptions): EvictionWorkload {
  return { keys: options.evictionKeys, reads: options.evictionReads, workers: WORKERS, valueSize: VALUE_SIZE, skew: SKEW };
}

export function evictionParameters(options: EvictionBenchOptions): Record<string, unknown> {
  return { ...workloadOf(options), maxmemory: options.evictionMaxmemory, rounds: options.repeat, warmupReads: options.evictionReads };
}

export async function measureEviction(options: EvictionBenchOptions): Promise<PolicyResult[]> {
  const results: PolicyResult[] = [];
  for (const policy of POLICIES) {
    const runs: Record<ServerKind, EvictionRun[]> = { node: [], redis: [] };
    for (let round = 0; round < options.repeat; round++) {
      for (const kind of ['node', 'redis'] as const) {
        const server = await startServerProcess(kind, {
          extraArgs: ['--maxmemory', String(options.evictionMaxmemory), '--maxmemory-policy', policy],
        });
        try {
          const run = await runEvictionWorkload(server.port, workloadOf(options), options.evictionReads);
          runs[kind].push(run);
          log(`eviction ${policy} round ${round + 1} ${kind}: ${formatInt(run.opsPerSecond)} ops/s, hit ratio ${run.hitRatio.toFixed(3)}, ${formatInt(run.keysHeld)} keys held, ${formatInt(run.evictedKeys)} evicted`);
        } finally {
          await stopServerProcess(server);
        }
      }
    }
    const medianOps = { node: median(runs.node.map((r) => r.opsPerSecond)), redis: median(runs.redis.map((r) => r.opsPerSecond)) };
    const medianHitRatio = { node: median(runs.node.map((r) => r.hitRatio)), redis: median(runs.redis.map((r) => r.hitRatio)) };
    results.push({
      policy,
      ...runs,
      medianOps,
      medianHitRatio,
      throughputRatio: medianOps.node / medianOps.redis,
      hitRatioRatio: medianHitRatio.node / medianHitRatio.redis,
    });
  }
  return results;
}

export function evictionMarkdown(machine: MachineInfo, options: EvictionBenchOptions, results: PolicyResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const kind of ['node', 'redis'] as const) {
      const last = r[kind][r[kind].length - 1];
      rows.push([
        r.policy,
        kind,
        formatInt(r.medianOps[kind]),
        r.medianHitRatio[kind].toFixed(3),
        formatInt(last.keysHeld),
        formatInt(last.evictedKeys),
        formatMb(last.usedMemory),
      ]);
    }
  }
  return [
    '# bench:server --eviction — a cache past maxmemory, bundled node vs redis-server',
    '',
    `- date: ${machine.date}`,
    `- machine: ${machine.nproc} CPUs (${machine.cpuModel}), node ${machine.node}, redis-server ${machine.redis}`,
    `- maxmemory ${formatInt(options.evictionMaxmemory)} bytes; ${formatInt(options.evictionKeys)} keys of ${VALUE_SIZE}-byte values requested with key = floor(N * u^${SKEW}) (56% of reads on 10% of keys); ${WORKERS} connections, each GET then SET on a miss, one request in flight per connection`,
    `- each run: a fresh server, ${formatInt(options.evictionReads)} untimed reads (the cache fills and evicts), then ${formatInt(options.evictionReads)} measured reads; ${options.repeat} rounds alternating node and redis, medians`,
    '- ops/s counts GETs and SETs; hit ratio = GET hits / GETs; keys held, evicted and used_memory are those of the last round',
    '',
    markdownTable(['policy', 'server', 'ops/s (median)', 'hit ratio (median)', 'keys held', 'evicted', 'used_memory MB'], rows),
    '',
    ...results.map((r) => `- ${r.policy}: node/redis throughput ${formatRatio(r.throughputRatio)}, hit ratio ${formatRatio(r.hitRatioRatio)}`),
    '',
  ].join('\n');
}
