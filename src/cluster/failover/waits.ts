// The waits of a graceful switch: the candidate catching up with the old master's stream while
// writes are paused, and every repointed node linking to the new master.

import { NodeFailureError } from '../../errors';
import { sameAddress } from '../../topology/model';
import { replicationFacts, type ReplicationFacts } from '../../node/info';
import type { NodeSession } from '../../node/node-session';
import { waitFor, WaitTimeoutError } from '../../node/wait';
import type { NodeState } from './inspect';
import type { FailoverPlan } from './plan';
import type { StepLog } from './steps';

// Loopback round trips are well under a millisecond: poll tightly, the pause is the cost.
const CATCH_UP_INTERVAL_MS = 2;
const LINK_INTERVAL_MS = 2;

export const bytes = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;

export function sessionOf(state: NodeState): NodeSession {
  if (!state.session) throw new Error(`${state.node.name} has no session`);
  return state.session;
}

export interface CatchUp {
  caughtUp: boolean;
  lagBytes: number;
}

/**
 * Waits until the candidate has every byte of the master's stream. Both offsets are read on every
 * probe: the master's may still move (a PING sent just before the pause, writes in flight).
 */
export async function catchUp(master: NodeSession, candidate: NodeSession, timeoutMs: number, signal?: AbortSignal): Promise<CatchUp> {
  let lagBytes = 0;
  try {
    await waitFor(
      async () => {
        const [masterInfo, candidateInfo] = await Promise.all([master.info('replication'), candidate.info('replication')]);
        const m = replicationFacts(masterInfo);
        const c = replicationFacts(candidateInfo);
        const masterOffset = m.offset ?? 0;
        const candidateOffset = c.offset ?? 0;
        lagBytes = Math.max(0, masterOffset - candidateOffset);
        // Same history and every byte: promoting it loses nothing, even with its link down.
        if (c.replid === m.replid && candidateOffset >= masterOffset) return { done: true, value: undefined };
        return { done: false, reason: c.replid !== m.replid ? 'a different replication history' : `${bytes(lagBytes)} behind` };
      },
      { interval: CATCH_UP_INTERVAL_MS, timeout: timeoutMs, signal },
    );
    return { caughtUp: true, lagBytes: 0 };
  } catch (error) {
    if (error instanceof WaitTimeoutError) return { caughtUp: false, lagBytes };
    throw error;
  }
}

/**
 * Before 6.2 the paused master cannot be asked (it holds rctl's commands too): the candidate is
 * polled until it has the offset the master stopped at, on the same history.
 */
export async function catchUpTo(candidate: NodeSession, target: { offset: number; replid: string | null }, timeoutMs: number): Promise<CatchUp> {
  let lagBytes = 0;
  try {
    await waitFor(
      async () => {
        const c = replicationFacts(await candidate.info('replication'));
        const candidateOffset = c.offset ?? 0;
        lagBytes = Math.max(0, target.offset - candidateOffset);
        if ((target.replid === null || c.replid === target.replid) && candidateOffset >= target.offset) return { done: true, value: undefined };
        return { done: false, reason: target.replid !== null && c.replid !== target.replid ? 'a different replication history' : `${bytes(lagBytes)} behind` };
      },
      { interval: CATCH_UP_INTERVAL_MS, timeout: timeoutMs },
    );
    return { caughtUp: true, lagBytes: 0 };
  } catch (error) {
    if (error instanceof WaitTimeoutError) return { caughtUp: false, lagBytes };
    throw error;
  }
}

/** The catch-up step: a graceful switch that does not catch up is a rollback; a forced one goes on, with a warning. */
export async function awaitCatchUp(log: StepLog, plan: FailoverPlan, timeoutMs: number, caughtUp: Promise<CatchUp>, warn: (text: string) => void): Promise<void> {
  const progress = await log.run(
    'catch up',
    plan.to.node.name,
    async () => {
      const result = await caughtUp;
      if (!result.caughtUp && plan.mode === 'graceful') throw new WaitTimeoutError(`${bytes(result.lagBytes)} behind`, timeoutMs);
      return result;
    },
    (result) => result.caughtUp,
  );
  if (!progress.caughtUp) warn(`${plan.to.node.name} did not catch up within ${timeoutMs / 1000}s (${bytes(progress.lagBytes)} behind): promoted anyway (--force); those writes are lost`);
}

function linkState(facts: ReplicationFacts, host: string, port: number): string | null {
  if (facts.role !== 'replica') return 'still a master';
  if (facts.masterHost === null || facts.masterPort === null || !sameAddress(facts.masterHost, facts.masterPort, host, port)) return 'follows another node';
  if (facts.linkStatus !== 'up') return facts.syncInProgress ? 'full sync in progress' : 'link down';
  return null;
}

export async function waitLinked(state: NodeState, to: NodeState, waitMs: number): Promise<void> {
  const session = sessionOf(state);
  try {
    await waitFor(
      async () => {
        const problem = linkState(replicationFacts(await session.info('replication')), to.node.host, to.node.port);
        return problem === null ? { done: true, value: undefined } : { done: false, reason: problem };
      },
      { interval: LINK_INTERVAL_MS, timeout: waitMs },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new NodeFailureError('LINK_TIMEOUT', `${state.node.name} (${state.node.address}) did not link to ${to.node.name} within ${waitMs / 1000}s (${error.lastReason})`, 'check `rctl status` and the node logs, or raise --wait');
    }
    throw error;
  }
}

