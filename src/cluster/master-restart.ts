// A master that restarted without its data: without persistence it comes back empty, with a new
// run id and replid at offset 0; from an old snapshot it comes back behind. Its replicas reconnect
// within a second, get FULLRESYNC, copy what it has and wipe their own data, and real Redis offers
// no way to stop a connected replica from doing so. rctl can only see it and say so: `status`
// flags the master, `up` refuses to carry on (src/cluster/up-guard.ts).
//
// Two signals, from facts alone (pure functions):
//  - live: a replica following the master holds history the master does not contain (safety.ts
//    historyAheadOfMaster), which a restart that reset or rewound the master leaves behind;
//  - recorded: master.json (the master as of the last healthy `up`) names this node, the run id
//    changed and the offset is below the recorded one.

import type { Topology } from '../topology/model';
import type { ReplicationFacts } from '../node/info';
import type { MasterRecord } from '../state/master-record';
import { followsMaster, historyAheadOfMaster } from './safety';

export interface RecordedRestart {
  /** reset: the recorded history is gone (new replid); older: same history, rewound. */
  kind: 'reset' | 'older';
  record: MasterRecord;
  offset: number;
  behindBytes: number;
}

export interface ReplicaAhead {
  name: string;
  address: string;
  offset: number;
  replid: string;
  aheadBytes: number;
  keys: number;
}

export interface MasterRestart {
  master: string;
  address: string;
  keys: number;
  offset: number | null;
  replid: string | null;
  recorded: RecordedRestart | null;
  ahead: ReplicaAhead[];
}

/**
 * Signal 2: the record says this master restarted and lost history: its run id changed and either
 * the recorded replid is gone from its history (reset: it started empty, or from an AOF, which
 * Redis 7.0 loads without its replication ids), or it kept that history at a lower offset (it
 * loaded an older snapshot). Not the offset alone for a reset: the record is written at `up`,
 * often before the writes, so an empty master at offset 0 may be "ahead" of it.
 */
export function recordedRestart(record: MasterRecord | null, masterName: string, masterFacts: ReplicationFacts): RecordedRestart | null {
  // A record of another node (a failover moved the master) says nothing about this one.
  if (!record || record.name !== masterName) return null;
  if (!record.runId || !masterFacts.runId || record.runId === masterFacts.runId) return null;
  if (!record.replid || !masterFacts.replid || masterFacts.offset === null) return null;
  const behindBytes = record.offset === null ? 0 : Math.max(0, record.offset - masterFacts.offset);
  // Redis 7 and the bundled node keep the loaded history as replid2 when a master restarts from an RDB.
  const kept = masterFacts.replid === record.replid || masterFacts.replid2 === record.replid;
  if (!kept) return { kind: 'reset', record, offset: masterFacts.offset, behindBytes };
  return behindBytes > 0 ? { kind: 'older', record, offset: masterFacts.offset, behindBytes } : null;
}

/** Signal 1: replicas of the master holding history it does not contain. */
export function replicasAhead(topology: Topology, factsOf: (name: string) => ReplicationFacts | null, masterFacts: ReplicationFacts): ReplicaAhead[] {
  const master = topology.master;
  const ahead: ReplicaAhead[] = [];
  for (const node of topology.replicas) {
    const facts = factsOf(node.name);
    // A linked replica took the master's history as it is now: being ahead of it is only the two
    // INFO reads landing a few writes apart.
    if (!facts || facts.keys === 0 || !followsMaster(facts, master.host, master.port) || facts.linkStatus === 'up') continue;
    const bytes = historyAheadOfMaster(facts, masterFacts);
    if (bytes !== null) ahead.push({ name: node.name, address: node.address, offset: facts.offset as number, replid: facts.replid as string, aheadBytes: bytes, keys: facts.keys });
  }
  return ahead;
}

/** Both signals for the topology's master, or null when it shows neither (or is not an observed master). */
export function detectMasterRestart(topology: Topology, factsOf: (name: string) => ReplicationFacts | null, record: MasterRecord | null): MasterRestart | null {
  const master = topology.master;
  const masterFacts = factsOf(master.name);
  // A loading master reports offset 0 until its dataset is in: not a verdict yet.
  if (!masterFacts || masterFacts.role !== 'master' || masterFacts.loading) return null;
  let recorded = recordedRestart(record, master.name, masterFacts);
  const ahead = replicasAhead(topology, factsOf, masterFacts);
  // A master that came back with data under new ids (Redis 7.0 reloads an AOF without its
  // replication ids) and that every replica has copied since: a routine restart, nothing lost.
  const allCopied = topology.replicas.every((node) => {
    const facts = factsOf(node.name);
    return facts !== null && copiedMaster(facts, master, masterFacts);
  });
  if (recorded?.kind === 'reset' && masterFacts.keys > 0 && ahead.length === 0 && allCopied) recorded = null;
  if (!recorded && ahead.length === 0) return null;
  return { master: master.name, address: master.address, keys: masterFacts.keys, offset: masterFacts.offset, replid: masterFacts.replid, recorded, ahead };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What replicas following the master do with what it has now. */
function consequence(restart: MasterRestart): string {
  return restart.keys === 0 ? 'replicas following it copy its empty dataset and wipe their own' : 'replicas following it copy its dataset and discard what they hold beyond it';
}

function describeAhead(ahead: ReplicaAhead[]): string {
  return ahead.map((r) => `${r.name} holds offset ${r.offset} of replid ${r.replid.slice(0, 8)}`).join(', ');
}

/** One sentence for the master's line in `rctl status`. */
export function describeMasterRestart(restart: MasterRestart): string {
  const { recorded } = restart;
  const now = `offset ${restart.offset ?? 0}, ${plural(restart.keys, 'key')}`;
  if (recorded) {
    const rec = recorded.record;
    const was = `recorded at offset ${rec.offset ?? 0}, ${plural(rec.keys, 'key')}${rec.recordedAt ? ` at ${rec.recordedAt}` : ''}`;
    const oldId = (rec.replid ?? '').slice(0, 8);
    const what =
      recorded.kind === 'reset'
        ? `restarted with its history reset: run id changed, replid ${oldId} gone (now ${(restart.replid ?? '').slice(0, 8)} at ${now}; ${was})`
        : `restarted from an older snapshot, ${plural(recorded.behindBytes, 'byte')} behind: run id changed, replid ${oldId} kept at ${now} (${was})`;
    const still = restart.ahead.length > 0 ? `; ${describeAhead(restart.ahead)}` : '';
    return `${what}${still}; ${consequence(restart)}`;
  }
  return `restarted with its history reset or went back: it is at ${now}, but ${describeAhead(restart.ahead)}; ${consequence(restart)}`;
}

/** The problem `rctl status` shows on the master, or null. */
export function masterRestartProblem(topology: Topology, observations: ReadonlyArray<{ node: { name: string }; facts: ReplicationFacts | null }>, record: MasterRecord | null): string | null {
  const byName = new Map(observations.map((o) => [o.node.name, o.facts]));
  const restart = detectMasterRestart(topology, (name) => byName.get(name) ?? null, record);
  return restart ? describeMasterRestart(restart) : null;
}

/** True when the node holds the master's current history with its link up: it has nothing older left to protect. */
export function copiedMaster(facts: ReplicationFacts, master: { host: string; port: number }, masterFacts: ReplicationFacts): boolean {
  return followsMaster(facts, master.host, master.port) && facts.linkStatus === 'up' && facts.replid === masterFacts.replid;
}
