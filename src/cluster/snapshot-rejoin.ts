// `up` step 1, before launching: which stopped replicas start straight as replicas of the master.
//
// Redis takes the replication id and offset of the RDB it loads only when it starts as a replica
// (replicaof in its config); a node started as a master gets a new history, and when it is then
// made a replica it must copy the whole dataset (a full resync). A stopped old master has no
// replicaof line (it was a master when its config was last written), so `up` would cost it a full
// resync after every failover. When its snapshot is a prefix of the master's history (the same
// id up to the master's offset, or the master's previous id up to where the master took over), it
// holds nothing the master lacks: starting it as a replica loses nothing and lets it continue with
// a partial resync. Any other node starts as its config says, and the data-loss checks of `up`
// look at it once it answers.

import { portAnswers } from '../launch/launch';
import { predictRelaunch } from '../launch/persisted-data';
import type { Topology } from '../topology/model';
import { observeNode } from './observe';
import { sharesHistory } from './safety';
import type { TopologyState } from '../state/topology-state';

export interface SnapshotRejoin {
  node: string;
  /** Where it will start from, for the action log. */
  detail: string;
}

export interface SnapshotRejoinPlan {
  replicaOf: Map<string, { host: string; port: number }>;
  rejoins: SnapshotRejoin[];
}

const NO_PLAN: SnapshotRejoinPlan = { replicaOf: new Map(), rejoins: [] };

export async function planSnapshotRejoins(topology: Topology, options: { state: TopologyState; timeoutMs: number }): Promise<SnapshotRejoinPlan> {
  const stopped = (
    await Promise.all(
      topology.replicas
        .filter((node) => node.launch !== 'external')
        .map(async (node) => ((await portAnswers(node.host, node.port, Math.min(500, options.timeoutMs))) ? null : node)),
    )
  ).filter((node) => node !== null);
  if (stopped.length === 0) return NO_PLAN;
  const master = await observeNode(topology, topology.master, { timeoutMs: options.timeoutMs });
  if (master.facts?.role !== 'master') return NO_PLAN;

  const plan: SnapshotRejoinPlan = { replicaOf: new Map(), rejoins: [] };
  for (const node of stopped) {
    const relaunch = predictRelaunch(options.state.nodePaths(node.name));
    // An AOF carries no replication id: such a node starts as its config says.
    if (relaunch.persistence === 'aof' || !relaunch.history) continue;
    const snapshot = { ...master.facts, role: 'master' as const, replid: relaunch.history.replid, replid2: null, offset: relaunch.history.offset, secondReplOffset: null };
    if (!sharesHistory(snapshot, master.facts)) continue;
    plan.replicaOf.set(node.name, { host: topology.master.host, port: topology.master.port });
    plan.rejoins.push({
      node: node.name,
      detail: `starts as a replica of ${topology.master.name}: its snapshot (${relaunch.history.replid.slice(0, 8)} at offset ${relaunch.history.offset}) is part of ${topology.master.name}'s history, so it continues with a partial resync`,
    });
  }
  return plan;
}
