// `rctl status` of any set, and of a Sentinel-managed one in particular: the sentinels are asked
// alongside the nodes, and the master a quorum of them names is the master the nodes are judged
// against. rctl's roles record follows that master once the node itself answers as a master.

import type { Topology, TopologyNode } from '../../topology/model';
import { clearRolesOverlay, readRolesOverlay, rolesPath, withMaster, writeRolesOverlay } from '../../state/roles';
import type { TopologyState } from '../../state/topology-state';
import { observeTopology, type NodeObservation } from '../observe';
import { buildStatus, type StatusView } from '../status';
import { judgeSentinels, observeSentinels, type SentinelJudgement } from './view';

export interface ObserveStatusOptions {
  timeoutMs: number;
  state: TopologyState;
  /** See StatusOptions.ignoreInterruptedRolling. */
  ignoreInterruptedRolling?: boolean;
}

export async function observeStatus(topology: Topology, options: ObserveStatusOptions): Promise<StatusView> {
  const set = topology.sentinel;
  if (!set) return buildStatus(topology, await observeTopology(topology, { timeoutMs: options.timeoutMs }), { state: options.state, ignoreInterruptedRolling: options.ignoreInterruptedRolling });
  const [observations, sentinels] = await Promise.all([observeTopology(topology, { timeoutMs: options.timeoutMs }), observeSentinels(set, options.timeoutMs)]);
  const judgement = judgeSentinels(topology, set, sentinels);
  const answersAsMaster = (node: TopologyNode) => observations.find((o) => o.node.name === node.name)?.facts?.role === 'master';
  const previousUnreachable = observations.find((o) => o.node.name === topology.master.name)?.facts === null;
  const effective = judgement.agreedNode ? followSentinels(topology, judgement.agreedNode, options.state, { record: answersAsMaster(judgement.agreedNode), previousUnreachable }) : topology;
  return withSentinelView(buildStatus(effective, asObservedIn(effective, observations), { state: options.state, ignoreInterruptedRolling: options.ignoreInterruptedRolling }), judgement);
}

/** The observations with each node as `topology` declares it (its role, after following the sentinels). */
function asObservedIn(topology: Topology, observations: NodeObservation[]): NodeObservation[] {
  return observations.map((observation) => ({ ...observation, node: topology.nodes[observation.node.index] }));
}

export function withSentinelView(view: StatusView, judgement: SentinelJudgement): StatusView {
  return { ...view, report: { ...view.report, healthy: view.report.healthy && judgement.healthy, sentinel: judgement.report } };
}

/**
 * The topology with the sentinels' master as its master. With `record`, roles.json says so too
 * (removed when they agree on the file's own master), so later commands start from it; a master
 * the sentinels name but that does not answer as one yet is judged against, never recorded.
 * The old master, when it was unreachable, is listed to rejoin, as after a forced failover.
 */
export function followSentinels(topology: Topology, master: TopologyNode, state: TopologyState, options: { record: boolean; previousUnreachable: boolean }): Topology {
  if (master.name === topology.master.name) return topology;
  const fileMaster = topology.roles?.fileMaster ?? topology.master.name;
  const changedAt = new Date().toISOString();
  const rejoin = options.previousUnreachable ? [topology.master.name] : [];
  if (options.record) {
    try {
      if (master.name === fileMaster) clearRolesOverlay(state);
      else if (readRolesOverlay(state)?.master !== master.name) writeRolesOverlay(state, { master: master.name, changedAt, by: 'sentinel', fileMaster, previous: topology.master.name, rejoin });
    } catch {
      // a read-only RCTL_HOME: the sentinels stay the authority, the next command follows them again
    }
  }
  if (master.name === fileMaster) {
    const { roles: _applied, ...asFiled } = topology;
    return withMaster(asFiled, master.name);
  }
  return withMaster(topology, master.name, { master: master.name, fileMaster, changedAt, file: rolesPath(state), rejoin });
}
