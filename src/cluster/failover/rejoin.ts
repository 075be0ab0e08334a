// `rctl up` after a failover: nodes that stopped following the master (the old master of a
// forced failover, a replica that was left behind) rejoin as replicas. What each one holds that
// the master never saw is reported, and a rejoin that discards writes needs confirmation, like
// any other data loss.

import type { TopologyNode } from '../../topology/model';
import type { ReplicationFacts } from '../../node/info';
import { followsMaster } from '../safety';
import { describeDivergence, divergenceFrom, type Divergence } from './divergence';

export interface RejoinAssessment {
  name: string;
  address: string;
  keys: number;
  divergence: Divergence;
  /** For the action line: what the rejoin costs. */
  note: string;
}

/**
 * The nodes to report: those a failover left behind (the overlay's rejoin list), and any node
 * holding writes the master never saw. Other nodes (a first `up` of fresh nodes) are not rejoins.
 */
export function assessRejoins(
  nodes: TopologyNode[],
  factsOf: (node: TopologyNode) => ReplicationFacts,
  master: TopologyNode,
  masterFacts: ReplicationFacts,
  leftBehind: readonly string[] = [],
): RejoinAssessment[] {
  // Divergence is measured against a node that is a master now; a replica about to be promoted has no final history yet.
  if (masterFacts.role !== 'master') return [];
  const out: RejoinAssessment[] = [];
  for (const node of nodes) {
    const facts = factsOf(node);
    if (followsMaster(facts, master.host, master.port)) continue;
    const divergence = divergenceFrom(facts, masterFacts);
    if (!leftBehind.includes(node.name) && divergence.kind !== 'ahead') continue;
    out.push({ name: node.name, address: node.address, keys: facts.keys, divergence, note: `rejoins: it holds ${describeDivergence(divergence, master.name, facts.keys)}` });
  }
  return out;
}

const bytes = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;

/** Rejoins that discard writes only that node has. */
export function lossyRejoins(rejoins: RejoinAssessment[]): Array<RejoinAssessment & { divergence: { kind: 'ahead'; bytes: number } }> {
  return rejoins.filter((r): r is RejoinAssessment & { divergence: { kind: 'ahead'; bytes: number } } => r.divergence.kind === 'ahead');
}

export function describeLosses(losses: ReturnType<typeof lossyRejoins>, masterName: string): string {
  return losses.map((r) => `${r.name} (${r.address}) has ${bytes(r.divergence.bytes)} of writes ${masterName} never saw`).join('; ');
}
