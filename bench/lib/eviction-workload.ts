// A cache under maxmemory: workers read keys with a skewed popularity (GET) and write the value
// on a miss (SET), cache-aside style, on a server whose maxmemory holds only part of the key
// space. What the eviction policy keeps decides the hit ratio; the throughput includes the
// eviction work every write past maxmemory causes.
//
// Each worker has its own seeded generator, so both servers see the same request sequences.

import { RespClient } from './resp';

export interface EvictionWorkload {
  /** Distinct keys that may be requested. */
  keys: number;
  /** GETs in the measured phase, over all workers (SETs on misses come on top). */
  reads: number;
  workers: number;
  valueSize: number;
  /** Popularity skew: key index = floor(keys * u^skew), u uniform; 4 puts 56% of reads on 10% of keys. */
  skew: number;
}

export interface EvictionRun {
  seconds: number;
  reads: number;
  writes: number;
  hits: number;
  opsPerSecond: number;
  hitRatio: number;
  evictedKeys: number;
  keysHeld: number;
  usedMemory: number;
}

/** mulberry32: tiny, deterministic, good enough to pick keys. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keyName = (i: number) => `cache:${i}`;

async function infoField(client: RespClient, section: string, field: string): Promise<number> {
  const text = await client.command('INFO', section);
  const match = typeof text === 'string' ? new RegExp(`^${field}:(\\d+)`, 'm').exec(text) : null;
  return match ? Number(match[1]) : NaN;
}

/**
 * One pass of `warmupReads` untimed reads (the cache fills and starts evicting), then the measured
 * reads. The server must already run with the maxmemory and policy under test.
 */
export async function runEvictionWorkload(port: number, workload: EvictionWorkload, warmupReads: number): Promise<EvictionRun> {
  const value = 'v'.repeat(workload.valueSize);
  const clients = await Promise.all(Array.from({ length: workload.workers }, () => RespClient.open(port)));
  const counts = { reads: 0, writes: 0, hits: 0 };
  const phase = async (reads: number, seedBase: number, count: boolean) => {
    const perWorker = Math.ceil(reads / workload.workers);
    await Promise.all(
      clients.map(async (client, w) => {
        const random = generator(seedBase + w);
        for (let i = 0; i < perWorker; i++) {
          const key = keyName(Math.floor(workload.keys * random() ** workload.skew));
          const reply = await client.command('GET', key);
          if (count) counts.reads++;
          if (reply !== null && reply !== undefined) {
            if (count) counts.hits++;
            continue;
          }
          const written = await client.command('SET', key, value);
          if (written !== 'OK') throw new Error(`SET answered ${JSON.stringify(written)}`);
          if (count) counts.writes++;
        }
      }),
    );
  };
  try {
    await phase(warmupReads, 1000, false);
    const started = performance.now();
    await phase(workload.reads, 2000, true);
    const seconds = (performance.now() - started) / 1000;
    const admin = clients[0];
    return {
      seconds,
      ...counts,
      opsPerSecond: (counts.reads + counts.writes) / seconds,
      hitRatio: counts.hits / counts.reads,
      evictedKeys: await infoField(admin, 'stats', 'evicted_keys'),
      keysHeld: Number(await admin.command('DBSIZE')),
      usedMemory: await infoField(admin, 'memory', 'used_memory'),
    };
  } finally {
    for (const client of clients) client.close();
  }
}
