// npm run bench:aof [-- --rounds N --quick]: SET throughput with the AOF on, the bundled node next
// to redis-server in the same run, under appendfsync always and everysec.
//
// Both servers start with appendonly yes on a fresh dir of the same disk; redis-benchmark drives
// SET with 50 clients (where batching one fsync across clients matters), with one client (one
// fsync per write, the latency floor), and with 50 clients pipelining 16 deep. Servers run in
// turn, never together, and each configuration is repeated (--rounds, default 3) with the median
// kept. Results: bench/results/aof.md and aof.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRedisBenchmark } from './lib/redis-benchmark';
import { currentLoad, formatInt, formatRatio, machineInfo, markdownTable, median } from './lib/report';
import { repoRoot, startServerProcess, stopServerProcess, type ServerKind } from './lib/servers';

const resultsDir = join(repoRoot, 'bench', 'results');

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const QUICK = process.argv.includes('--quick');
const ROUNDS = option('rounds', QUICK ? 1 : 3);

type Fsync = 'always' | 'everysec';

interface Load {
  name: string;
  clients: number;
  pipeline: number;
  /** Requests per run, by appendfsync: always is bound by the disk's fsync rate. */
  requests: Record<Fsync, number>;
}

const LOADS: Load[] = [
  { name: '50 clients', clients: 50, pipeline: 1, requests: { always: 50_000, everysec: 200_000 } },
  { name: '1 client', clients: 1, pipeline: 1, requests: { always: 5_000, everysec: 50_000 } },
  { name: '50 clients, pipeline 16', clients: 50, pipeline: 16, requests: { always: 200_000, everysec: 1_000_000 } },
];

/** Target from issue 14: the node's SET throughput with the AOF on, relative to redis-server. */
const TARGET_RATIO = 0.5;

interface Result {
  appendfsync: Fsync;
  load: string;
  redisRps: number;
  nodeRps: number;
  redisP50: number;
  nodeP50: number;
  ratio: number;
}

async function measure(kind: ServerKind, appendfsync: Fsync, load: Load): Promise<{ rps: number; p50: number }> {
  const server = await startServerProcess(kind, { extraArgs: ['--appendonly', 'yes', '--appendfsync', appendfsync] });
  try {
    const requests = QUICK ? Math.ceil(load.requests[appendfsync] / 20) : load.requests[appendfsync];
    const run = await runRedisBenchmark({ port: server.port, tests: ['set'], requests, clients: load.clients, pipeline: load.pipeline });
    return { rps: run.rps.SET, p50: run.p50.SET };
  } finally {
    await stopServerProcess(server);
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const results: Result[] = [];
  for (const appendfsync of ['always', 'everysec'] as const) {
    for (const load of LOADS) {
      const samples: Record<ServerKind, Array<{ rps: number; p50: number }>> = { redis: [], node: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of ['redis', 'node'] as const) samples[kind].push(await measure(kind, appendfsync, load));
      }
      const redisRps = median(samples.redis.map((s) => s.rps));
      const nodeRps = median(samples.node.map((s) => s.rps));
      const result: Result = {
        appendfsync,
        load: load.name,
        redisRps,
        nodeRps,
        redisP50: median(samples.redis.map((s) => s.p50)),
        nodeP50: median(samples.node.map((s) => s.p50)),
        ratio: nodeRps / redisRps,
      };
      results.push(result);
      process.stderr.write(`appendfsync ${appendfsync}, ${load.name}: redis ${formatInt(redisRps)}/s, node ${formatInt(nodeRps)}/s (${formatRatio(result.ratio)})\n`);
    }
  }
  machine.loadAverageEnd = currentLoad();

  const table = markdownTable(
    ['appendfsync', 'load', 'redis-server SET/s', 'node SET/s', 'node/redis', 'redis p50 ms', 'node p50 ms'],
    results.map((r) => [r.appendfsync, r.load, formatInt(r.redisRps), formatInt(r.nodeRps), formatRatio(r.ratio), r.redisP50.toFixed(3), r.nodeP50.toFixed(3)]),
  );
  const worst = Math.min(...results.map((r) => r.ratio));
  const markdown = [
    '# bench:aof — SET throughput with the AOF on',
    '',
    `redis-benchmark -t set against each server with appendonly yes, on the same disk, one server at a time; median of ${ROUNDS} round(s).`,
    'Under appendfsync always both servers fsync before any reply leaves, once per event-loop turn for all clients.',
    '',
    table,
    '',
    `Lowest node/redis ratio: ${formatRatio(worst)} (target >= ${TARGET_RATIO}: ${worst >= TARGET_RATIO ? 'met' : 'MISSED'}).`,
    '',
    `Machine: ${machine.nproc} cores, ${machine.cpuModel}, Node ${machine.node}, ${machine.redis}; load average ${machine.loadAverageStart} at start, ${machine.loadAverageEnd} at the end. ${machine.date}.`,
    '',
  ].join('\n');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'aof.md'), markdown);
  writeFileSync(join(resultsDir, 'aof.json'), JSON.stringify({ machine, rounds: ROUNDS, results }, null, 2) + '\n');
  process.stdout.write(markdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:aof failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
