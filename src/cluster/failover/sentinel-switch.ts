// A switchover through the sentinels. rctl keeps what makes its own switch loss-free (writes
// paused on the old master, the candidate caught up to the byte, the old master fenced before
// anything is promoted) and leaves the promotion to the sentinels, so that they agree on the new
// master afterwards instead of undoing it:
//
//   steer     every other replica gets replica-priority 0, and rctl waits until the sentinel it
//             will ask would itself choose the candidate (sentinel-choice.ts: Sentinel reads
//             priorities from each replica's INFO, every 10 s);
//   promote   SENTINEL FAILOVER, then the candidate is polled until it is a master. A sentinel
//             that stops answering is replaced by the next one (the candidate is the only replica
//             any of them can choose); one that gives up, or refuses first, rolls the switch back;
//   follow    the old master is made the candidate's replica (its held writes get -READONLY) and
//             its clients disconnected, as Sentinel does when it demotes a master, so that clients
//             that follow Sentinel ask again; then rctl waits until every sentinel that answers
//             names the new master and none is failing over, repoints any replica Sentinel did
//             not, and puts every priority back (before CONFIG REWRITE, since Sentinel rewrote
//             the configs with the steered values).

import { performance } from 'node:perf_hooks';
import { RctlError } from '../../errors';
import { sameAddress, type SentinelNode, type TopologyNode } from '../../topology/model';
import { NodeSession } from '../../node/node-session';
import { knownReplicas, masterAddressByName, monitoredMaster, flagsOf, requestFailover } from '../../node/sentinel';
import { waitFor, WaitTimeoutError } from '../../node/wait';
import { readSteeringRecord, writeSteeringRecord, type SteeringRecord } from '../../state/steering-record';
import { FailoverError, OutcomeUnknownError } from './failover-error';
import type { NodeState } from './inspect';
import { choiceBeforeRequest } from './sentinel-choice';
import type { PrioritySteer, SentinelSwitchPlan } from './sentinel-plan';
import { roundMs } from './steps';
import type { SwitchRun } from './switch-run';
import type { SwitchStep } from './stages';
import type { SentinelSwitchJson } from './types';

const CHOICE_INTERVAL_MS = 200;
// A sentinel that chose the candidate while rctl steered still does, but for a refresh of its view.
const RECHECK_MS = 2000;
const PROMOTION_INTERVAL_MS = 5;
const SENTINEL_INTERVAL_MS = 50;
// What Sentinel sends a master it demotes, so that clients ask the sentinels again.
const DISCONNECT_KILL = [
  ['CLIENT', 'KILL', 'TYPE', 'normal'],
  ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
] as const;

/** The sentinels' side of one switch: sessions to them, whom rctl asked, and when things happened. */
export class SentinelRun {
  private readonly sessions = new Map<string, NodeSession>();
  readonly asked: string[] = [];
  /** The sentinels whose own view chose the candidate, in the order they are asked. */
  ready: SentinelNode[] = [];
  steerMs = 0;
  requestedAt: number | null = null;
  promotedAt: number | null = null;
  agreedAt: number | null = null;

  constructor(
    readonly plan: SentinelSwitchPlan,
    private readonly timeoutMs: number,
  ) {}

  async session(sentinel: SentinelNode): Promise<NodeSession> {
    const open = this.sessions.get(sentinel.name);
    if (open) return open;
    const session = await NodeSession.open(sentinel, { password: this.plan.set.password, passwordSource: this.plan.set.passwordSource, timeoutMs: this.timeoutMs });
    this.sessions.set(sentinel.name, session);
    return session;
  }

  /** Forgets a session that failed, so that the next call reconnects. */
  drop(sentinel: SentinelNode): void {
    this.sessions.get(sentinel.name)?.close();
    this.sessions.delete(sentinel.name);
  }

  close(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }

  json(): SentinelSwitchJson {
    const since = (at: number | null) => (at !== null && this.requestedAt !== null ? roundMs(at - this.requestedAt) : null);
    return {
      masterName: this.plan.set.masterName,
      asked: [...this.asked],
      steerMs: roundMs(this.steerMs),
      promotedMs: since(this.promotedAt),
      agreedMs: since(this.agreedAt),
      priorities: this.plan.steering.map((s) => ({ node: s.state.node.name, priority: s.original, steeredTo: s.steered })),
    };
  }
}

const describeNode = (node: TopologyNode) => `${node.name} (${node.address})`;

function sentinelOf(run: SwitchRun): SentinelRun {
  if (!run.sentinel) throw new Error('a switch through the sentinels without their plan');
  return run.sentinel;
}

/** The label of a replica a sentinel names: the topology node's name when it is one. */
function labelAt(run: SwitchRun, host: string, port: number): string {
  return run.plan.topology.nodes.find((n) => sameAddress(n.host, n.port, host, port))?.name ?? `${host}:${port}`;
}

/** Waits until `sentinel`'s own view would promote the candidate (WaitTimeoutError says whom it would pick instead). */
async function awaitChoice(run: SwitchRun, sentinel: SentinelNode, timeoutMs: number): Promise<void> {
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
    await Promise.all(steers.map((s) => run.log.run('steer', s.state.node.name, () => sessionOfState(s.state).configSet([['replica-priority', String(s.steered)]]))));
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

function sessionOfState(state: NodeState): NodeSession {
  if (!state.session) throw new Error(`${state.node.name} has no session`);
  return state.session;
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
async function withFreshSession<T>(run: SwitchRun, state: NodeState, action: (session: NodeSession) => Promise<T>): Promise<T> {
  if (state.session) {
    try {
      return await action(state.session);
    } catch (error) {
      if (!(error instanceof RctlError) || error.code !== 'NODE_CLOSED') throw error;
    }
  }
  await reopen(run, state);
  return action(sessionOfState(state));
}

async function reopen(run: SwitchRun, state: NodeState): Promise<void> {
  const { topology } = run.plan;
  state.session?.close();
  state.session = null;
  const session = await NodeSession.open(state.node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs: run.options.replyTimeoutMs ?? 2000 });
  state.session = session;
  // CONFIG SET takes the version's own form (capabilities.ts).
  await session.supportedCapabilities();
}

type PromotionOutcome = 'promoted' | 'sentinel-lost' | 'gave-up' | { other: string };

/** Watches the candidate (every 5 ms) and the asked sentinel (every 50 ms) until one of them settles it. */
async function watchPromotion(run: SwitchRun, sentinel: SentinelNode, timeoutMs: number): Promise<PromotionOutcome> {
  const sentinels = sentinelOf(run);
  const { masterName } = sentinels.plan.set;
  const to = run.plan.to;
  let lastSentinelProbe = 0;
  return waitFor<PromotionOutcome>(
    async () => {
      const facts = await withFreshSession(run, to, (session) => session.facts()).catch((error: unknown) => {
        if (error instanceof RctlError) return null;
        throw error;
      });
      if (facts?.role === 'master') return { done: true, value: 'promoted' };
      if (performance.now() - lastSentinelProbe < SENTINEL_INTERVAL_MS) return { done: false, reason: `${to.node.name} is still a replica` };
      lastSentinelProbe = performance.now();
      try {
        const session = await sentinels.session(sentinel);
        const [master, named] = await Promise.all([monitoredMaster(session, masterName), masterAddressByName(session, masterName)]);
        if (named && !sameAddress(named.host, named.port, to.node.host, to.node.port) && !sameAddress(named.host, named.port, run.plan.from.node.host, run.plan.from.node.port)) {
          return { done: true, value: { other: labelAt(run, named.host, named.port) } };
        }
        if (master && !flagsOf(master).includes('failover_in_progress')) {
          // It may have promoted the candidate just now: one last look before calling it given up.
          const last = await withFreshSession(run, to, (s) => s.facts()).catch(() => null);
          return { done: true, value: last?.role === 'master' ? 'promoted' : 'gave-up' };
        }
        return { done: false, reason: `${sentinel.name} is failing over (${master?.['failover-state'] ?? 'state unknown'}), ${to.node.name} still a replica` };
      } catch (error) {
        if (!(error instanceof RctlError)) throw error;
        sentinels.drop(sentinel);
        return { done: true, value: 'sentinel-lost' };
      }
    },
    { interval: PROMOTION_INTERVAL_MS, timeout: timeoutMs },
  );
}

/**
 * SENTINEL FAILOVER, replacing the promote stage: the old master is fenced and the candidate holds
 * every byte, so whichever sentinel promotes it, nothing is lost. Refused or given up before any
 * promotion: an ordinary rollback. Not settled within --wait, or another replica promoted: the
 * old master stays fenced (OutcomeUnknownError), since the candidate may still become a master.
 */
export const promoteThroughSentinels: SwitchStep = {
  name: 'sentinel failover',
  records: 'promoting',
  async perform(run) {
    const sentinels = sentinelOf(run);
    const { masterName } = sentinels.plan.set;
    const to = run.plan.to.node;
    const deadline = performance.now() + run.options.waitMs;
    const remaining = () => Math.max(1, deadline - performance.now());
    const lost: string[] = [];
    for (const sentinel of sentinels.ready) {
      let session: NodeSession;
      try {
        session = await sentinels.session(sentinel);
        // Checked again: the first one's view may have moved since the steering, a later one's was never read.
        await run.log.run('sentinel choice', sentinel.name, () => awaitChoice(run, sentinel, Math.min(remaining(), RECHECK_MS)));
      } catch (error) {
        if (!(error instanceof RctlError) && !(error instanceof WaitTimeoutError)) throw error;
        sentinels.drop(sentinel);
        lost.push(`${sentinel.name}: ${error.message}`);
        run.warn(`${sentinel.name} cannot be asked to fail over (${error.message}); asking the next sentinel`);
        continue;
      }
      const request = await run.log.run('sentinel failover', sentinel.name, () => requestFailover(session, masterName)).catch((error: unknown) => {
        if (!(error instanceof RctlError)) throw error;
        return error;
      });
      if (request instanceof RctlError) {
        // Sent and unanswered: it may have started, and then it can only promote the candidate.
        sentinels.drop(sentinel);
        sentinels.requestedAt ??= performance.now();
        lost.push(`${sentinel.name}: ${request.message}`);
        run.warn(`${sentinel.name} did not answer SENTINEL FAILOVER (${request.message}); asking the next sentinel`);
        continue;
      }
      if (!request.started) {
        if (sentinels.requestedAt === null) {
          throw new FailoverError('SENTINEL_REFUSED', `${sentinel.name} refused SENTINEL FAILOVER ${masterName}: ${request.refusal}`, run.log.steps, 'see `rctl status` for the sentinels\' view');
        }
        lost.push(`${sentinel.name}: ${request.refusal}`);
        continue;
      }
      sentinels.requestedAt ??= performance.now();
      sentinels.asked.push(sentinel.name);
      const outcome = await run.log.run('promotion', to.name, () => watchPromotion(run, sentinel, remaining()), (o) => o === 'promoted').catch((error: unknown) => {
        if (error instanceof WaitTimeoutError) return error;
        throw error;
      });
      if (outcome === 'promoted') {
        sentinels.promotedAt = performance.now();
        return;
      }
      if (outcome instanceof WaitTimeoutError) {
        throw new OutcomeUnknownError(`${to.name} was not promoted within ${run.options.waitMs / 1000}s of asking ${sentinels.asked.join(', ')} (${outcome.lastReason})`);
      }
      if (outcome === 'gave-up') {
        if (sentinels.asked.length === 1 && lost.length === 0) {
          throw new FailoverError('SENTINEL_GAVE_UP', `${sentinel.name} accepted SENTINEL FAILOVER ${masterName} but ended it without promoting ${to.name} (its log says why, e.g. -failover-abort-no-good-slave)`, run.log.steps, 'see `rctl status`; then run the failover again');
        }
        throw new OutcomeUnknownError(`${sentinel.name} ended its failover without promoting ${to.name}, and ${lost.length > 0 ? `sentinels asked before it could not be followed (${lost.join('; ')})` : 'another sentinel was asked before it'}`);
      }
      if (outcome === 'sentinel-lost') {
        lost.push(`${sentinel.name}: stopped answering while failing over`);
        run.warn(`${sentinel.name} stopped answering before ${to.name} was promoted; asking the next sentinel`);
        continue;
      }
      throw new OutcomeUnknownError(`${sentinel.name} names ${outcome.other} as the master of ${masterName}, not ${to.name}`);
    }
    if (sentinels.requestedAt === null) {
      throw new FailoverError('SENTINEL_REFUSED', `no sentinel could be asked to fail over (${lost.join('; ')}); rolled back`, run.log.steps, 'restore the sentinels (`rctl status`), then run the failover again');
    }
    throw new OutcomeUnknownError(`every sentinel asked stopped answering before ${to.name} was promoted (${lost.join('; ')})`);
  },
  ifUnanswered(run, error) {
    const { from, to } = run.plan;
    const fenced = run.master ? `; ${from.node.name} stays fenced and refuses writes until repaired, so at most one master takes writes` : '';
    return new FailoverError(
      'PROMOTION_UNKNOWN',
      `the sentinels' failover did not settle: ${error.message}; ${to.node.name} may or may not become the master${fenced}; ${to.node.name} is recorded as the master`,
      run.log.steps,
      '`rctl status` shows whom the sentinels name; once they agree, `rctl up` follows them, rejoins the old master and lifts its fence, and puts back the replica priorities',
    );
  },
};

/** The old master, a replica of the new one now: its clients are dropped so that those following Sentinel ask again, as Sentinel does. */
export async function disconnectOldClients(run: SwitchRun): Promise<void> {
  const master = run.master;
  if (!master || !run.repointed.includes(run.plan.from)) return;
  await run.log
    .run('disconnect clients', run.plan.from.node.name, () => Promise.all(DISCONNECT_KILL.map((command) => master.call([...command]))))
    .catch((error: unknown) => {
      if (!(error instanceof RctlError)) throw error;
      run.warn(`${run.plan.from.node.name}'s clients could not be disconnected (${error.message}): clients still connected to it get -READONLY on writes`);
    });
}

/** Every sentinel that answers names the new master, and none is failing over (ends when Sentinel has reconfigured the replicas). */
export async function awaitSentinelAgreement(run: SwitchRun): Promise<void> {
  const sentinels = sentinelOf(run);
  const { set } = sentinels.plan;
  const to = run.plan.to.node;
  await run.log
    .run('sentinels agree', to.name, () =>
      waitFor(
        async () => {
          const views = await Promise.all(
            set.nodes.map(async (sentinel) => {
              try {
                const session = await sentinels.session(sentinel);
                const [named, master] = await Promise.all([masterAddressByName(session, set.masterName), monitoredMaster(session, set.masterName)]);
                return { sentinel, named, busy: master ? flagsOf(master).includes('failover_in_progress') : false };
              } catch (error) {
                if (!(error instanceof RctlError)) throw error;
                sentinels.drop(sentinel);
                return null;
              }
            }),
          );
          const answering = views.filter((v) => v !== null);
          const naming = answering.filter((v) => v.named && sameAddress(v.named.host, v.named.port, to.host, to.port));
          if (naming.length === answering.length && naming.length >= set.quorum) sentinels.agreedAt ??= performance.now();
          else {
            const other = answering.filter((v) => !naming.includes(v)).map((v) => `${v.sentinel.name} names ${v.named ? labelAt(run, v.named.host, v.named.port) : 'nothing'}`);
            return { done: false, reason: `${naming.length} of ${answering.length} answering sentinels name ${to.name} (quorum ${set.quorum})${other.length > 0 ? `: ${other.join(', ')}` : ''}` };
          }
          const busy = answering.filter((v) => v.busy).map((v) => v.sentinel.name);
          if (busy.length > 0) return { done: false, reason: `${busy.join(', ')} still reconfiguring the replicas` };
          return { done: true, value: undefined };
        },
        { interval: SENTINEL_INTERVAL_MS, timeout: run.options.waitMs },
      ),
    )
    .catch((error: unknown) => {
      if (!(error instanceof WaitTimeoutError)) throw error;
      run.failures.push({
        node: to.name,
        address: to.address,
        what: 'the sentinels agreeing',
        error: `not within ${run.options.waitMs / 1000}s: ${error.lastReason}`,
        fix: '`rctl status` shows each sentinel\'s view; a sentinel that names the old master catches up from the others\' hello messages once it reaches the nodes',
      });
    });
}

/**
 * After the sentinels agree: fresh sessions to the nodes Sentinel reconfigured (it killed their
 * clients, rctl's too), and the replicas it left alone pointed at the new master by rctl.
 * Returns the replicas to point at it (the caller repoints them with its usual step).
 */
export async function replicasAfterSentinels(run: SwitchRun): Promise<{ linked: NodeState[]; stray: NodeState[] }> {
  const { to, from } = run.plan;
  const linked: NodeState[] = [];
  const stray: NodeState[] = [];
  await reopen(run, to).catch((error: unknown) => {
    if (!(error instanceof RctlError)) throw error;
  });
  await Promise.all(
    run.plan.repoint
      .filter((state) => state !== from)
      .map(async (state) => {
        try {
          await reopen(run, state);
          const facts = await sessionOfState(state).facts();
          if (facts.role === 'replica' && facts.masterHost !== null && facts.masterPort !== null && sameAddress(facts.masterHost, facts.masterPort, to.node.host, to.node.port)) linked.push(state);
          else stray.push(state);
        } catch (error) {
          if (!(error instanceof RctlError)) throw error;
          run.warn(`${describeNode(state.node)} could not be reached after the sentinels' failover (${error.message}): \`rctl up\` repoints it`);
        }
      }),
  );
  return { linked, stray };
}
