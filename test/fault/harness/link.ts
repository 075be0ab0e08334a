// A master and a replica whose replication link goes through a fault proxy, in the three mixes
// the suite covers, plus what every scenario measures: sync state, resync counters, the time
// until the replica is back in sync, and a key-by-key comparison of both datasets.

import { dumpKeyspace, type DumpedKey } from '../../helpers/keyspace-dump';
import { FaultProxy } from '../proxy';
import { FaultNode, type NodeKind } from './nodes';

export interface Topology {
  master: NodeKind;
  replica: NodeKind;
  /** Overrides the "master -> replica" label (e.g. for a scripted fake master). */
  label?: string;
}

/** Bundled + bundled, bundled master + real replica, real master + bundled replica. */
export const MIXED_TOPOLOGIES: readonly Topology[] = [
  { master: 'bundled', replica: 'bundled' },
  { master: 'bundled', replica: 'redis' },
  { master: 'redis', replica: 'bundled' },
];

export function topologyLabel(topology: Topology): string {
  return topology.label ?? `${topology.master} -> ${topology.replica}`;
}

export interface LinkedPair {
  master: FaultNode;
  replica: FaultNode;
  /** Between the replica and the master: the replica's `replicaof` points here. */
  proxy: FaultProxy;
  close(): Promise<void>;
}

export interface PairOptions {
  master?: Record<string, string>;
  replica?: Record<string, string>;
  /** Runs once the proxy exists and before the replica connects (e.g. to delay the first sync too). */
  beforeReplica?: (proxy: FaultProxy) => void;
}

/**
 * Starts the master, the proxy in front of it, then the replica with `replicaof <proxy>` in its
 * config file (so a restart follows the same master), and waits for the first sync.
 */
export async function startLinkedPair(topology: Topology, options: PairOptions = {}): Promise<LinkedPair> {
  const master = await FaultNode.start(topology.master, 'master', options.master);
  let proxy: FaultProxy | null = null;
  let replica: FaultNode | null = null;
  const close = async () => {
    await proxy?.close();
    await Promise.all([replica?.close(), master.close()]);
  };
  try {
    proxy = await FaultProxy.start({ host: master.host, port: master.port });
    options.beforeReplica?.(proxy);
    replica = await FaultNode.start(topology.replica, 'replica', { replicaof: `${proxy.host} ${proxy.port}`, ...options.replica });
    await waitInSync(master, replica);
    return { master, replica, proxy, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface SyncState {
  inSync: boolean;
  linkUp: boolean;
  masterOffset: number;
  replicaOffset: number;
  /** The master's own line for this replica (slaveN:...), if it lists it. */
  replicaLine: string | null;
}

export async function syncState(master: FaultNode, replica: FaultNode): Promise<SyncState> {
  // The replica first: then its offset can only be behind the master's, never ahead, when both move.
  const r = await replica.info();
  const m = await master.info();
  const replicaLine = Object.entries(m).find(([key, value]) => /^slave\d+$/.test(key) && value.includes(`port=${replica.port},`))?.[1] ?? null;
  const masterOffset = Number(m.master_repl_offset);
  const replicaOffset = Number(r.master_repl_offset);
  const linkUp = r.master_link_status === 'up';
  const online = replicaLine?.includes('state=online') ?? false;
  return { inSync: linkUp && online && masterOffset === replicaOffset, linkUp, masterOffset, replicaOffset, replicaLine };
}

/** Polls until the replica is linked, online on the master, and at the master's offset. Returns when. */
export async function waitInSync(master: FaultNode, replica: FaultNode, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last: SyncState | null = null;
  let lastError = '';
  for (;;) {
    try {
      last = await syncState(master, replica);
      if (last.inSync) return Date.now();
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${replica.label} not in sync with ${master.label} after ${timeoutMs} ms: ${JSON.stringify(last)} ${lastError}\n` +
          `--- replica log tail ---\n${replica.log().slice(-3000)}\n--- master log tail ---\n${master.log().slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface ResyncCounters {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
}

export async function resyncCounters(master: FaultNode): Promise<ResyncCounters> {
  const stats = await master.info('stats');
  return { syncFull: Number(stats.sync_full), syncPartialOk: Number(stats.sync_partial_ok), syncPartialErr: Number(stats.sync_partial_err) };
}

/** "1 partial" / "1 full" / "none", from the master's counters before and after. */
export function describeResyncs(before: ResyncCounters, after: ResyncCounters): string {
  const partial = after.syncPartialOk - before.syncPartialOk;
  const full = after.syncFull - before.syncFull;
  const parts: string[] = [];
  if (partial > 0) parts.push(`${partial} partial`);
  if (full > 0) parts.push(`${full} full`);
  return parts.length > 0 ? parts.join(' + ') + ' resync' : 'no resync';
}

export type Dump = Record<string, Record<string, DumpedKey>>;

export function dumpNode(node: FaultNode): Promise<Dump> {
  return dumpKeyspace(node.host, node.port);
}

/** Keys (db:key) whose type, value or TTL presence differ between two dumps. */
export function differingKeys(a: Dump, b: Dump): string[] {
  const out: string[] = [];
  const dbs = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const db of dbs) {
    const keys = new Set([...Object.keys(a[db] ?? {}), ...Object.keys(b[db] ?? {})]);
    for (const key of keys) {
      if (JSON.stringify(a[db]?.[key]) !== JSON.stringify(b[db]?.[key])) out.push(`${db}:${key}`);
    }
  }
  return out.sort();
}
