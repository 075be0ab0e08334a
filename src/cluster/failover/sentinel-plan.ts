// Whether a failover of a Sentinel-managed set can go through the sentinels, decided before
// anything changes. The sentinels are the authority on who the master is, so rctl switches only
// with them: a quorum must answer and agree on the master, and none may be failing over already.
// Without a quorum rctl refuses, unless --force, which promotes on its own as on a set without
// sentinels (and says what that risks).

import { performance } from 'node:perf_hooks';
import { ExitCode, RctlError, RefusedError } from '../../errors';
import { intField } from '../../node/info';
import { sameAddress, type SentinelNode, type SentinelSet, type Topology } from '../../topology/model';
import { judgeSentinels, observeSentinels, type SentinelJudgement, type SentinelObservation } from '../sentinel/view';
import type { NodeState } from './inspect';

/** A replica's replica-priority before the switch and while the sentinels choose. */
export interface PrioritySteer {
  state: NodeState;
  original: number;
  steered: number;
}

export interface SentinelSwitchPlan {
  set: SentinelSet;
  /** The sentinels that answered and name the master, in topology order: asked to fail over in this order. */
  order: SentinelNode[];
  /** Every reachable replica: the candidate gets priority 1, the others 0 (never chosen). */
  steering: PrioritySteer[];
  /** Sentinels that did not answer or do not monitor the set (warned about; a quorum still does). */
  silent: string[];
}

/** What the sentinels said before the switch: who they agree on, or why rctl cannot switch with them. */
export interface SentinelPrecheck {
  judgement: SentinelJudgement;
  observations: SentinelObservation[];
  /** Sentinels that answered and name the agreed master. */
  agreeing: SentinelNode[];
  /** When the quorum does not answer and --force was given: the warning that goes with a switch without them. */
  withoutSentinels: string | null;
  /** performance.now() when the sentinels were asked. */
  askedAt: number;
}

export const SENTINEL_NO_QUORUM = 'SENTINEL_NO_QUORUM';

function forcedWarning(set: SentinelSet, reason: string): string {
  return (
    `${reason}; --force promotes without them. When they answer again they may undo it: with the old master back they can make the ` +
    `new one its replica, discarding every write it took meanwhile, or fail over again to another replica. Restore a quorum of ` +
    `sentinels and check \`rctl status\` before the old master returns (master name ${set.masterName})`
  );
}

/** Asks every sentinel who the master is; refuses (or, with --force, warns) when the switch cannot go through them. */
export async function precheckSentinels(topology: Topology, set: SentinelSet, options: { timeoutMs: number; force: boolean }): Promise<SentinelPrecheck> {
  const askedAt = performance.now();
  const observations = await observeSentinels(set, options.timeoutMs);
  const judgement = judgeSentinels(topology, set, observations);
  const busy = observations.filter((o) => o.flags.includes('failover_in_progress')).map((o) => o.sentinel.name);
  if (busy.length > 0) {
    throw new RctlError(
      'SENTINEL_FAILOVER_IN_PROGRESS',
      `${busy.join(', ')} ${busy.length === 1 ? 'reports' : 'report'} a failover of ${set.masterName} in progress: rctl does not switch while the sentinels do`,
      ExitCode.Failed,
      'wait until it ends (`rctl status` shows the sentinels\' view), then run the failover again if the sentinels chose another replica than you want',
    );
  }
  const agreed = judgement.agreedNode;
  const agreeing = agreed ? observations.filter((o) => o.error === null && o.names !== null && sameAddress(o.names.host, o.names.port, agreed.host, agreed.port)).map((o) => o.sentinel) : [];
  if (!agreed || agreeing.length < set.quorum) {
    const reason = judgement.report.error ?? `only ${agreeing.length} of the ${set.nodes.length} sentinels answer and agree (quorum ${set.quorum})`;
    if (!options.force) {
      throw new RefusedError(
        SENTINEL_NO_QUORUM,
        `${reason}: a switch the sentinels do not make would be undone by them once they answer again`,
        'restore the sentinels (`rctl status` shows each one\'s view); --force promotes without them, at the risk of them undoing it and discarding the writes taken meanwhile',
      );
    }
    return { judgement, observations, agreeing, withoutSentinels: forcedWarning(set, reason), askedAt };
  }
  return { judgement, observations, agreeing, withoutSentinels: null, askedAt };
}

/** The replica-priority a replica reports (INFO replication's slave_priority); Redis's default when it says none. */
function priorityOf(state: NodeState): number {
  return (state.info ? intField(state.info, 'slave_priority') : null) ?? 100;
}

/** Which sentinels to ask and which priorities to steer, for the failover `plan` decided. */
export function planSentinelSwitch(set: SentinelSet, precheck: SentinelPrecheck, plan: { from: NodeState; to: NodeState; repoint: NodeState[] }): SentinelSwitchPlan {
  const replicas = [plan.to, ...plan.repoint].filter((state) => state.node.name !== plan.from.node.name && state.facts?.role === 'replica');
  const steering = replicas.map((state): PrioritySteer => {
    const original = priorityOf(state);
    // 1, the best priority there is, rather than its own: the sentinels choose it from the first
    // refresh of its INFO on, without waiting for that of every other replica.
    const steered = state === plan.to ? 1 : 0;
    return { state, original, steered };
  });
  const answering = new Set(precheck.agreeing.map((s) => s.name));
  return {
    set,
    order: set.nodes.filter((sentinel) => answering.has(sentinel.name)),
    steering,
    silent: set.nodes.filter((sentinel) => !answering.has(sentinel.name)).map((sentinel) => sentinel.name),
  };
}
