// Which node a replica is added to or removed beside: the master now, not necessarily the file's
// `role: master`. After a failover the roles overlay (roles.json, applied when the topology is
// loaded) names it; on a Sentinel-managed set the master a quorum of sentinels names wins, as for
// `rctl status` and `rctl up` (followSentinels records it the same way).

import { NodeFailureError } from '../../errors';
import type { Topology } from '../../topology/model';
import { withMaster } from '../../state/roles';
import type { TopologyState } from '../../state/topology-state';
import { observeNode } from '../observe';
import { followSentinels } from '../sentinel/status';
import { judgeSentinels, observeSentinels } from '../sentinel/view';

export async function withCurrentMaster(topology: Topology, options: { state: TopologyState; timeoutMs: number }): Promise<Topology> {
  const set = topology.sentinel;
  if (!set) return topology;
  const judgement = judgeSentinels(topology, set, await observeSentinels(set, options.timeoutMs));
  const failingOver = judgement.report.sentinels.filter((s) => s.flags.includes('failover_in_progress')).map((s) => s.name);
  if (failingOver.length > 0) {
    throw new NodeFailureError(
      'SENTINEL_FAILOVER_IN_PROGRESS',
      `the sentinels are failing ${set.masterName} over (${failingOver.join(', ')} report failover_in_progress): nothing is changed until they are done`,
      'watch it with `rctl status --watch 1`, then run the command again',
    );
  }
  const agreed = judgement.agreedNode;
  if (!agreed || agreed.name === topology.master.name) return topology;
  const [facts, previous] = await Promise.all([observeNode(topology, agreed, options), observeNode(topology, topology.master, options)]);
  return followSentinels(topology, agreed, options.state, { record: facts.facts?.role === 'master', previousUnreachable: previous.facts === null });
}

/** `edited` (the file just rewritten) with the master `managed` was working with. */
export function sameMasterAs(edited: Topology, managed: Topology): Topology {
  if (edited.master.name === managed.master.name || !edited.nodes.some((n) => n.name === managed.master.name)) return edited;
  return withMaster(edited, managed.master.name, managed.roles);
}
