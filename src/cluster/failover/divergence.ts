// What a node that stopped following the master holds that the master never saw: the old master
// of a forced failover coming back, or a replica that was ahead of the promoted one. PSYNC2 tells:
// the promoted node keeps the old history's id as master_replid2, valid up to
// second_repl_offset - 1. A node of that history at or below that offset loses nothing when it
// rejoins (partial resync); beyond it, the extra bytes exist only on that node and a rejoin
// (always a full resync then) discards them.

import type { ReplicationFacts } from '../../node/info';

const NO_REPLID = '0000000000000000000000000000000000000000';

export type Divergence =
  /** Same history, nothing extra: rejoins with a partial resync. */
  | { kind: 'none' }
  /** Same history, but `bytes` of replication stream the master never received. */
  | { kind: 'ahead'; bytes: number }
  /** No common replication id: a full resync replaces everything it holds. */
  | { kind: 'unrelated' };

export function divergenceFrom(node: ReplicationFacts, master: ReplicationFacts): Divergence {
  const offset = node.offset ?? 0;
  if (!node.replid || node.replid === NO_REPLID) return { kind: 'unrelated' };
  if (node.replid === master.replid) {
    const extra = offset - (master.offset ?? 0);
    return extra > 0 ? { kind: 'ahead', bytes: extra } : { kind: 'none' };
  }
  if (node.replid === master.replid2 && master.secondReplOffset !== null && master.secondReplOffset > 0) {
    const extra = offset - (master.secondReplOffset - 1);
    return extra > 0 ? { kind: 'ahead', bytes: extra } : { kind: 'none' };
  }
  // The node was promoted from this master's history and took writes since (split brain the other way).
  if (node.replid2 !== null && node.replid2 === master.replid && node.secondReplOffset !== null && node.secondReplOffset > 0) {
    const extra = offset - (node.secondReplOffset - 1);
    return extra > 0 ? { kind: 'ahead', bytes: extra } : { kind: 'none' };
  }
  return { kind: 'unrelated' };
}

const bytes = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;

/** One phrase for status and up: what rejoining `nodeName` as a replica of `masterName` costs. */
export function describeDivergence(divergence: Divergence, masterName: string, keys: number): string {
  switch (divergence.kind) {
    case 'none':
      return `nothing ${masterName} lacks: it rejoins with a partial resync`;
    case 'ahead':
      return `${bytes(divergence.bytes)} of writes ${masterName} never saw, discarded by a rejoin (full resync)`;
    case 'unrelated':
      return `a history unrelated to ${masterName}'s: a rejoin is a full resync${keys > 0 ? ` that discards its ${keys} key${keys === 1 ? '' : 's'}` : ''}`;
  }
}
