// bench:server --scripts: each workload of scripts-workloads.ts on a fresh node and a fresh
// redis-server, alternating, --repeat rounds, at -P 1 and -P 16; medians and node/redis ratios.

import { cpuSeconds, startServerProcess, stopServerProcess } from './servers';
import { median } from './report';
import { runCommandBenchmark } from './command-throughput';
import { SCRIPT_WORKLOADS, type ScriptsRow } from './scripts-workloads';

const PIPELINES = [1, 16];
/** Untimed requests before the measured ones (a fresh node runs cold until V8 compiles its hot paths). */
const WARMUP_REQUESTS = 20_000;
const KEYSPACE = 10_000;

export async function measureScripts(options: { requests: number; pipelineRequests: number; repeat: number; log: (line: string) => void }): Promise<ScriptsRow[]> {
  const samples = new Map<string, { node: number[]; redis: number[]; cpuNode: number[]; cpuRedis: number[] }>();
  for (let round = 0; round < options.repeat; round++) {
    for (const kind of ['node', 'redis'] as const) {
      const server = await startServerProcess(kind);
      try {
        for (const workload of SCRIPT_WORKLOADS) {
          const command = await workload.prepare(server.port);
          await runCommandBenchmark({ port: server.port, command, requests: WARMUP_REQUESTS, clients: 50, pipeline: 1, keyspace: KEYSPACE });
          for (const pipeline of PIPELINES) {
            const requests = pipeline === 1 ? options.requests : options.pipelineRequests;
            const cpuBefore = cpuSeconds(server.pid);
            const rps = await runCommandBenchmark({ port: server.port, command, requests, clients: 50, pipeline, keyspace: KEYSPACE });
            const cpuUs = ((cpuSeconds(server.pid) - cpuBefore) * 1e6) / requests;
            const key = `${workload.name}\0${pipeline}`;
            if (!samples.has(key)) samples.set(key, { node: [], redis: [], cpuNode: [], cpuRedis: [] });
            const sample = samples.get(key)!;
            sample[kind].push(rps);
            (kind === 'node' ? sample.cpuNode : sample.cpuRedis).push(cpuUs);
            options.log(`scripts round ${round + 1} ${kind}: ${workload.name} -P ${pipeline}: ${Math.round(rps)} req/s`);
          }
        }
      } finally {
        await stopServerProcess(server);
      }
    }
  }
  return [...samples.entries()].map(([key, { node, redis, cpuNode, cpuRedis }]) => {
    const [workload, pipeline] = key.split('\0');
    const medianNode = median(node);
    const medianRedis = median(redis);
    return { workload, pipeline: Number(pipeline), node, redis, medianNode, medianRedis, ratio: medianNode / medianRedis, cpuUsNode: median(cpuNode), cpuUsRedis: median(cpuRedis) };
  });
}
