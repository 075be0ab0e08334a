// A switchover through the sentinels. rctl keeps what makes its own switch loss-free (writes
// paused on the old master, the candidate caught up to the byte, the old master fenced before
// anything is promoted) and leaves the promotion to the sentinels, so that they agree on the new
// master afterwards instead of undoing it:
//
//   steer     (here) every other replica gets replica-priority 0 and the candidate 1, and rctl
//             waits until each sentinel would itself choose the candidate (sentinel-choice.ts:
//             Sentinel reads priorities from each replica's INFO, every 10 s); the priorities are
//             put back after the switch, or on any rollback;
//   promote   (sentinel-promote.ts) SENTINEL FAILOVER, then the candidate is polled until it is a
//             master. A sentinel that stops answering is replaced by the next one (the candidate
//             is the only replica any of them can choose); one that gives up, or refuses first,
//             rolls the switch back;
//   follow    (sentinel-follow.ts) the other replicas are pointed at the candidate, then the old
//             master is made its replica (its held writes get -READONLY) and its clients
//             disconnected, as Sentinel does when it demotes a master, so that clients that follow
//             Sentinel ask again; then rctl waits until every sentinel that answers names the new
//             master and none is failing over, repoints any replica that does not follow it, and
//             puts every priority back (before CONFIG REWRITE, since Sentinel rewrote the configs
//             with the steered values).

import { performance } from 'node:perf_hooks';
import { RctlError } from '../../errors';
import { sameAddress, type SentinelNode } from '../../topology/model';
import { NodeSession } from '../../node/node-session';
import { knownReplicas, monitoredMaster } from '../../node/sentinel';
import { waitFor, WaitTimeoutError } from '../../node/wait';
import { readSteeringRecord, writeSteeringRecord, type SteeringRecord } from '../../state/steering-record';
import { FailoverError } from './failover-error';
import type { NodeState } from './inspect';
import { choiceBeforeRequest } from './sentinel-choice';
import type { PrioritySteer } from './sentinel-plan';
import type { SentinelRun } from './sentinel-run';
import type { SwitchRun } from './switch-run';
import { sessionOf } from './waits';

const CHOICE_INTERVAL_MS = 200;

export function sentinelOf(run: SwitchRun): SentinelRun {
  if (!run.sentinel) throw new Error('a switch through the sentinels without their plan');
  return run.sentinel;
}

/** The label of a replica a sentinel names: the topology node's name when it is one. */
export function labelAt(run: SwitchRun, host: string, port: number): string {
  return run.plan.topology.nodes.find((n) => sameAddress(n.host, n.port, host, port))?.name ?? `${host}:${port}`;
}

/** Waits until `sentinel`'s own view would promote the candidate (WaitTimeoutError says whom it would pick instead). */
export async function awaitChoice(run: SwitchRun, sentinel: SentinelNode, timeoutMs: number): Promise<void> {
  const sentinels = sentinelOf(run);
  const session = await sentinels.session(sentinel);
  const { masterName } = sentinels.plan.set;
  const to = run.plan.to.node;
  await waitFor(
    async () => {
      const [master, replicas] = await Promise.all([monitoredMaster(session, masterName), knownReplicas(session, masterName)]);
      if (!master) return { done: false, reason: `${sentinel.name} no longer monitors ${masterName}` };
      const choice = choiceBeforeRequest(master, replicas);
      if (choice.chosen && sameAddress(choice.chosen.host, choice.chosen.port, to.host, to.port)) return { done: true, value: undefined };
      const skipped = choice.skipped.find((s) => sameAddress(s.host, s.port, to.host, to.port));
      if (choice.chosen) return { done: false, reason: `${sentinel.name} would promote ${labelAt(run, choice.chosen.host, choice.chosen.port)} (priority ${choice.chosen.priority} in its view)` };
      return { done: false, reason: skipped ? `${sentinel.name} would promote no replica: it skips ${to.name} (${skipped.why})` : `${sentinel.name} does not know ${to.name} as a replica of ${masterName}` };
    },
    { interval: CHOICE_INTERVAL_MS, timeout: timeoutMs },
  );
}

function steeringRecord(run: SwitchRun, steers: PrioritySteer[]): SteeringRecord {
  return {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    candidate: run.plan.to.node.name,
    nodes: steers.map((s) => ({ name: s.state.node.name, host: s.state.node.host, port: s.state.node.port, priority: s.original })),
  };
}

const changed = (steers: PrioritySteer[]) => steers.filter((s) => s.steered !== s.original);

/**
 * Steers the sentinels' choice to the candidate, before anything else changes. Throws with every
 * priority put back when the first sentinel's view does not come to choose it within --wait.
 */
export async function steerSentinels(run: SwitchRun): Promise<void> {
  const sentinels = sentinelOf(run);
  const steers = changed(sentinels.plan.steering);
  const first = sentinels.plan.order[0];
  const started = performance.now();
  if (steers.length > 0) writeSteeringRecord(run.options.state, steeringRecord(run, steers));
  run.log.announce(`steering the sentinels to ${run.plan.to.node.name}`);
  try {
    await Promise.all(steers.map((s) => run.log.run('steer', s.state.node.name, () => sessionOf(s.state).configSet([['replica-priority', String(s.steered)]]))));
    // Every sentinel's view, not only the first's: one that stops answering mid-switch is replaced
    // at once, while writes are paused, by another that already chooses the candidate.
    const choices = await Promise.allSettled(sentinels.plan.order.map((sentinel) => run.log.run('sentinel choice', sentinel.name, () => awaitChoice(run, sentinel, run.options.waitMs))));
    const ready = sentinels.plan.order.filter((_, i) => choices[i].status === 'fulfilled');
    if (ready.length === 0) throw (choices[0] as PromiseRejectedResult).reason;
    for (const [i, sentinel] of sentinels.plan.order.entries()) {
      const choice = choices[i];
      if (choice.status === 'rejected') run.warn(`${sentinel.name} is not asked to fail over: ${(choice.reason as Error).message}`);
    }
    sentinels.ready = ready;
  } catch (error) {
    // Only the steering and the old master's PING period changed so far: both go back.
    const left = await restorePriorities(run, steers);
    const master = await run.restoreMaster().then(
      () => '',
      (failure: unknown) => `; ${run.plan.from.node.name}'s settings could not be put back (${(failure as Error).message}): ${run.restoreFailure(failure, 'roll back').fix}`,
    );
    const leftText = describePrioritiesLeft(left) + master;
    if (error instanceof WaitTimeoutError) {
      throw new FailoverError(
        'SENTINEL_CHOICE_TIMEOUT',
        `${first.name}'s view did not come to choose ${run.plan.to.node.name} within ${run.options.waitMs / 1000}s (${error.lastReason}); nothing was paused, and every priority was put back${leftText}`,
        run.log.steps,
        'Sentinel reads replica-priority from INFO every 10 s: check `rctl status` (every replica reachable, the sentinels agreeing), or raise --wait',
      );
    }
    throw FailoverError.wrap(error, run.log.steps, `stopped while steering the sentinels (nothing paused, priorities put back${leftText}): `);
  } finally {
    sentinels.steerMs = performance.now() - started;
  }
}

/** A priority that could not be put back: the record keeps it for `rctl up`. */
export interface PriorityLeft {
  state: NodeState;
  priority: number;
  error: string;
}

/**
 * Puts every steered replica-priority back, on a fresh connection when Sentinel killed rctl's
 * (it kills the clients of every replica it reconfigures).
 */
export async function restorePriorities(run: SwitchRun, steers = changed(sentinelOf(run).plan.steering)): Promise<PriorityLeft[]> {
  const { state } = run.options;
  const left: PriorityLeft[] = [];
  await Promise.all(
    steers.map(async (s) => {
      try {
        await run.log.run('restore priority', s.state.node.name, () => withFreshSession(run, s.state, (session) => session.configSet([['replica-priority', String(s.original)]])));
      } catch (error) {
        if (!(error instanceof RctlError)) throw error;
        left.push({ state: s.state, priority: s.original, error: error.message });
      }
    }),
  );
  const record = readSteeringRecord(state);
  if (record) writeSteeringRecord(state, { ...record, nodes: record.nodes.filter((n) => left.some((l) => l.state.node.name === n.name)) });
  return left;
}

/** The priorities left, in words. */
export function describePrioritiesLeft(left: PriorityLeft[]): string {
  return left.length > 0 ? `; replica-priority could not be put back on ${left.map((l) => `${l.state.node.name} (${l.error})`).join(', ')}: \`rctl up\` retries` : '';
}

/** Runs `action` on the node's session, reopened first when it was closed under rctl (CLIENT KILL). */
export async function withFreshSession<T>(run: SwitchRun, state: NodeState, action: (session: NodeSession) => Promise<T>): Promise<T> {
  // Sentinel's CLIENT KILL closes rctl's connections, and a reply that timed out leaves one
  // unusable too: either way a new session goes on, or every later call would fail at once.
  if (state.session && !state.session.broken) {
    try {
      return await action(state.session);
    } catch (error) {
      if (!(error instanceof RctlError) || !state.session.broken) throw error;
    }
  }
  await reopen(run, state);
  return action(sessionOf(state));
}

export async function reopen(run: SwitchRun, state: NodeState): Promise<void> {
  const { topology } = run.plan;
  state.session?.close();
  state.session = null;
  const session = await NodeSession.open(state.node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs: run.options.replyTimeoutMs ?? 2000 });
  state.session = session;
  // CONFIG SET takes the version's own form (capabilities.ts).
  await session.supportedCapabilities();
}
