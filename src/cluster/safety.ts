// The data-loss rule: a node that holds keys and does not follow the intended master yet would
// discard them when it becomes a replica (the seeds: a new replica flushes its data).

import { sameAddress } from '../topology/model';
import type { ReplicationFacts } from '../node/info';

export interface DataLossRisk {
  name: string;
  address: string;
  keys: number;
  masterName: string;
}

export function followsMaster(facts: ReplicationFacts, host: string, port: number): boolean {
  return facts.role === 'replica' && facts.masterHost !== null && facts.masterPort !== null && sameAddress(facts.masterHost, facts.masterPort, host, port);
}

const NO_REPLID = '0000000000000000000000000000000000000000';

/**
 * True when everything the node holds is a prefix of the master's own history, so repointing it
 * replaces nothing that exists only there:
 *  - its replication id is the master's current or previous one (a replica of the old master
 *    after a failover: the promoted node keeps the old id as replid2), or
 *  - it is a replica of this master that was promoted (REPLICAOF NO ONE keeps the master's id as
 *    replid2) and has taken no write since (its offset has not passed second_repl_offset).
 */
export function sharesHistory(facts: ReplicationFacts, masterFacts: ReplicationFacts | null): boolean {
  if (!masterFacts || !facts.replid || facts.replid === NO_REPLID) return false;
  // Same history only while the node holds nothing the master never saw: an old master that took
  // writes after the promotion point would lose them in the resync.
  if (facts.replid === masterFacts.replid) return facts.offset !== null && masterFacts.offset !== null && facts.offset <= masterFacts.offset;
  if (facts.replid === masterFacts.replid2) {
    return facts.offset !== null && masterFacts.secondReplOffset !== null && facts.offset <= masterFacts.secondReplOffset - 1;
  }
  return (
    facts.replid2 !== null &&
    facts.replid2 !== NO_REPLID &&
    facts.replid2 === masterFacts.replid &&
    facts.secondReplOffset !== null &&
    facts.secondReplOffset > 0 &&
    facts.offset !== null &&
    facts.offset < facts.secondReplOffset
  );
}

export function dataLossRisk(
  node: { name: string; address: string },
  facts: ReplicationFacts,
  master: { name: string; host: string; port: number },
  masterFacts: ReplicationFacts | null,
): DataLossRisk | null {
  if (facts.keys === 0 || followsMaster(facts, master.host, master.port) || sharesHistory(facts, masterFacts)) return null;
  return { name: node.name, address: node.address, keys: facts.keys, masterName: master.name };
}

export function describeRisks(risks: DataLossRisk[]): string {
  return risks
    .map((r) => `${r.name} (${r.address}) holds ${r.keys} key${r.keys === 1 ? '' : 's'} and does not follow ${r.masterName}`)
    .join('; ');
}

/** The question asked on a TTY, and the base of the refusal message. */
export function riskQuestion(risks: DataLossRisk[]): string {
  return `${describeRisks(risks)}. Making ${risks.length === 1 ? 'it a replica discards these keys' : 'them replicas discards these keys'}. Continue?`;
}

/**
 * Bytes of replication history a replica holds that `masterFacts` does not contain, or null when
 * the master's history covers it. Only two shapes count, the ones a master restarted without its
 * data leaves behind: the replica's replid is neither of the master's ids and its offset is past
 * the master's (history reset), or it is the master's own replid at a higher offset (the master
 * went back). A replica of the master's previous id (replid2) is a failover's business, not this.
 */
export function historyAheadOfMaster(facts: ReplicationFacts, masterFacts: ReplicationFacts): number | null {
  if (!facts.replid || facts.replid === NO_REPLID || facts.offset === null || masterFacts.offset === null) return null;
  if (facts.replid === masterFacts.replid2) return null;
  return facts.offset > masterFacts.offset ? facts.offset - masterFacts.offset : null;
}
