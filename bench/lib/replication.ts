// What the failover benchmarks ask the nodes while a switch runs: INFO fields, polling until a
// condition holds, full-resync counts, over ioredis connections that survive Sentinel's CLIENT KILL.

import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection for watching a node: Sentinel kills normal clients when it reconfigures a node, so it reconnects and retries. */
export function monitorClient(port: number, password: string | undefined, host = '127.0.0.1'): Redis {
  const client = new Redis({ host, port, password, maxRetriesPerRequest: null, retryStrategy: () => 20 });
  client.on('error', () => {});
  return client;
}

export async function infoOf(client: Redis, section: string): Promise<Record<string, string>> {
  const text = await client.info(section);
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

/** A node as the benchmarks watch it: its port on 127.0.0.1 and a monitorClient to it. */
export interface WatchedNode {
  port: number;
  monitor: Redis;
}

export async function masterOf<T extends WatchedNode>(nodes: readonly T[]): Promise<T> {
  for (const node of nodes) if ((await infoOf(node.monitor, 'replication')).role === 'master') return node;
  throw new Error('no master');
}

/** True when every node but `master` replicates it with its link up (and, when `caughtUp`, at its offset). */
export async function allLinked(nodes: readonly WatchedNode[], master: WatchedNode, caughtUp = false): Promise<boolean> {
  const masterInfo = await infoOf(master.monitor, 'replication');
  if (masterInfo.role !== 'master') return false;
  for (const node of nodes) {
    if (node === master) continue;
    const r = await infoOf(node.monitor, 'replication');
    if (r.role !== 'slave' || Number(r.master_port) !== master.port || r.master_link_status !== 'up') return false;
    // At least where the master was when asked: under a write load an exact match is a race.
    if (caughtUp && Number(r.slave_repl_offset) < Number(masterInfo.master_repl_offset)) return false;
  }
  return true;
}

/** Polls `check` until it holds: the ms it took, or null after `limitMs`. */
export async function until(check: () => Promise<boolean>, limitMs: number, intervalMs = 2): Promise<number | null> {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    if (await check()) return performance.now() - start;
    await sleep(intervalMs);
  }
  return null;
}

/** INFO stats sync_full summed over the nodes: its delta across a switch counts full resyncs. */
export async function fullSyncs(clients: readonly Redis[]): Promise<number> {
  let total = 0;
  for (const client of clients) total += Number((await infoOf(client, 'stats')).sync_full);
  return total;
}
