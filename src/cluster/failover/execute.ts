// Carries out a failover plan.
//
// Graceful (the old master answers): writes are paused on it, the candidate catches up to the
// byte, is promoted with REPLICAOF NO ONE (PSYNC2 keeps the old history as its replid2), every
// other node is pointed at it, and only then are writes released on the old master, which is a
// replica by then: writes it held get -READONLY, none is acknowledged and lost. Every node
// continues with a partial resync. A candidate that does not catch up within --timeout is a
// rollback: writes resume, nothing else changed (exit 4).
//
// Forced (the old master does not answer, or --force): the candidate is promoted as it is and the
// reachable nodes are pointed at it; the nodes left behind rejoin later with `rctl up`.

import { performance } from 'node:perf_hooks';
import { ExitCode, NodeFailureError, RctlError } from '../../errors';
import { sameAddress } from '../../topology/model';
import { replicationFacts, type ReplicationFacts } from '../info';
import type { NodeSession } from '../node-session';
import type { Reporter } from '../reporter';
import { persistConfig } from '../up';
import { waitFor, WaitTimeoutError } from '../wait';
import { syncCounters, type NodeState, type SyncCounters } from './inspect';
import type { FailoverPlan } from './plan';
import { recordRoles } from './roles';
import { roundMs, StepLog } from './steps';
import type { FailoverJson, FailoverStep } from './types';

// Real Redis sends its replication PING every repl-ping-replica-period seconds even while writes
// are paused, and each one moves master_repl_offset by 14 bytes. One sent after the candidate's
// last probe would leave the old master ahead of the promoted node's history and force it into a
// full resync. The cron sends it when its seconds counter is a multiple of the period, so the
// largest period Redis accepts (INT_MAX) never fires during a switch, where 3600 could.
export const SWITCH_PING_PERIOD = '2147483647';
const DEFAULT_PING_PERIOD = '10';
// CLIENT PAUSE carries its own deadline so a crashed rctl never leaves the master paused for good.
export const PAUSE_SLACK_MS = 5000;
// Loopback round trips are well under a millisecond: poll tightly, the pause is the cost.
const CATCH_UP_INTERVAL_MS = 2;
// A command that went out without an answer (the node froze or the link broke): its effect is unknown.
const NO_ANSWER_CODES = new Set(['NODE_TIMEOUT', 'NODE_CLOSED']);
const LINK_INTERVAL_MS = 2;

export interface ExecuteOptions {
  home: string;
  /** How long the candidate may take to catch up while writes are paused. */
  timeoutMs: number;
  /** How long the nodes may take to link to the new master. */
  waitMs: number;
  reporter: Reporter;
  /** performance.now() when the operation started (before the observation). */
  startedAt: number;
}

export interface ExecuteResult {
  json: FailoverJson;
  warnings: string[];
}

/** A failover that stopped: exit 4 (or the cause's code), with the steps done so far for the report. */
export class FailoverError extends RctlError {
  constructor(
    code: string,
    message: string,
    readonly steps: FailoverStep[],
    suggestion?: string,
    exitCode: RctlError['exitCode'] = ExitCode.Failed,
  ) {
    super(code, message, exitCode, suggestion);
  }

  static wrap(error: unknown, steps: FailoverStep[], context: string): FailoverError {
    if (error instanceof FailoverError) return error;
    if (error instanceof RctlError) return new FailoverError(error.code, `${context}${error.message}`, steps, error.suggestion, error.exitCode);
    throw error;
  }

  override toJSON() {
    return { ...super.toJSON(), steps: this.steps };
  }
}

function sessionOf(state: NodeState): NodeSession {
  if (!state.session) throw new Error(`${state.node.name} has no session`);
  return state.session;
}

const bytes = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;

async function readCounters(states: NodeState[]): Promise<Map<string, SyncCounters>> {
  const entries = await Promise.all(
    states.map(async (state) => {
      try {
        return [state.node.name, syncCounters(await sessionOf(state).info('stats'))] as const;
      } catch {
        return null;
      }
    }),
  );
  return new Map(entries.filter((entry): entry is readonly [string, SyncCounters] => entry !== null));
}

interface CatchUp {
  caughtUp: boolean;
  lagBytes: number;
}

/**
 * Waits until the candidate has every byte of the master's stream. Both offsets are read on every
 * probe: the master's may still move (a PING sent just before the pause, writes in flight).
 */
async function catchUp(master: NodeSession, candidate: NodeSession, timeoutMs: number, signal?: AbortSignal): Promise<CatchUp> {
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

function linkState(facts: ReplicationFacts, host: string, port: number): string | null {
  if (facts.role !== 'replica') return 'still a master';
  if (facts.masterHost === null || facts.masterPort === null || !sameAddress(facts.masterHost, facts.masterPort, host, port)) return 'follows another node';
  if (facts.linkStatus !== 'up') return facts.syncInProgress ? 'full sync in progress' : 'link down';
  return null;
}

async function waitLinked(state: NodeState, to: NodeState, waitMs: number): Promise<void> {
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

export async function executeFailover(plan: FailoverPlan, options: ExecuteOptions): Promise<ExecuteResult> {
  const log = new StepLog(options.reporter);
  const warnings = [...plan.warnings];
  const warn = (text: string) => {
    warnings.push(text);
    options.reporter.warn(text);
  };
  const { from, to, topology } = plan;
  const candidate = sessionOf(to);
  const reachable = [to, ...plan.repoint];
  const password = topology.password?.reveal();
  const originalPing = from.pingPeriod ?? DEFAULT_PING_PERIOD;
  let pausedAt: number | null = null;
  let resumedAt: number | null = null;

  // --- before the pause: everything that can be done while writes still flow ----------------
  log.announce(`preparing ${reachable.map((s) => s.node.name).join(', ')}`);
  const [before] = await Promise.all([
    readCounters(reachable),
    ...plan.repoint
      .filter((state) => password !== undefined && !state.masterauthOk)
      .map((state) => log.run('prepare', state.node.name, () => sessionOf(state).expect(['CONFIG', 'SET', 'masterauth', password as string], 'CONFIG SET masterauth'))),
    ...(plan.masterLive
      ? [log.run('prepare', from.node.name, () => sessionOf(from).expect(['CONFIG', 'SET', 'repl-ping-replica-period', SWITCH_PING_PERIOD], 'CONFIG SET repl-ping-replica-period'))]
      : []),
  ]).catch(async (error) => {
    if (plan.masterLive) await sessionOf(from).call(['CONFIG', 'SET', 'repl-ping-replica-period', originalPing]).catch(() => undefined);
    throw FailoverError.wrap(error, log.steps, 'stopped while preparing (at most masterauth was set): ');
  });

  // --- the switch ---------------------------------------------------------------------------
  const master = plan.masterLive ? sessionOf(from) : null;
  const restoreMaster = async () => {
    if (!master) return;
    await master.expect(['CLIENT', 'UNPAUSE'], 'CLIENT UNPAUSE');
    resumedAt = performance.now();
    await master.expect(['CONFIG', 'SET', 'repl-ping-replica-period', originalPing], 'CONFIG SET repl-ping-replica-period');
  };

  log.announce(plan.masterLive ? `switching ${from.node.name} → ${to.node.name} (writes paused)` : `promoting ${to.node.name}`);
  let promoteSent = false;
  try {
    if (master) {
      const pauseMs = options.timeoutMs + PAUSE_SLACK_MS;
      pausedAt = performance.now();
      const paused = master.expect(['CLIENT', 'PAUSE', pauseMs, 'WRITE'], 'CLIENT PAUSE');
      // The first probe is pipelined behind CLIENT PAUSE on the same connection, so the master
      // answers it after the pause took effect: one round trip less while writes wait.
      const abandon = new AbortController();
      const caughtUp = catchUp(master, candidate, options.timeoutMs, abandon.signal);
      try {
        await log.run('pause writes', from.node.name, () => paused);
      } catch (error) {
        abandon.abort(error);
        await caughtUp.catch(() => undefined);
        throw error;
      }
      const progress = await log.run('catch up', to.node.name, async () => {
        const result = await caughtUp;
        if (!result.caughtUp && plan.mode === 'graceful') throw new WaitTimeoutError(`${bytes(result.lagBytes)} behind`, options.timeoutMs);
        return result;
      }, (result) => result.caughtUp);
      if (!progress.caughtUp) warn(`${to.node.name} did not catch up within ${options.timeoutMs / 1000}s (${bytes(progress.lagBytes)} behind): promoted anyway (--force); those writes are lost`);
    }
    promoteSent = true;
    await log.run('promote', to.node.name, () => candidate.expect(['REPLICAOF', 'NO', 'ONE'], 'REPLICAOF NO ONE'));
  } catch (error) {
    if (promoteSent && error instanceof RctlError && NO_ANSWER_CODES.has(error.code)) {
      // REPLICAOF NO ONE went out and no answer came back: the candidate may be a master now, so
      // releasing the old master's writes could make two masters. Its pause expires by itself.
      throw new FailoverError(
        'PROMOTION_UNKNOWN',
        `${to.node.name} did not answer REPLICAOF NO ONE (${error.message}): it may or may not be a master now; ${master ? `${from.node.name} stays write-paused until its CLIENT PAUSE expires` : 'nothing else was changed'}`,
        log.steps,
        'check `rctl status`, then run the failover again or `rctl up`',
      );
    }
    // Not promoted: undo the pause and the PING period, change nothing else.
    let undone = true;
    if (master) {
      await log.run('roll back', from.node.name, restoreMaster).catch(() => {
        undone = false;
      });
    }
    const outcome = undone ? (master ? `rolled back: writes resumed on ${from.node.name}, nothing changed` : 'nothing changed') : `and the rollback failed: ${from.node.name} stays write-paused until its CLIENT PAUSE expires`;
    if (error instanceof WaitTimeoutError) {
      throw new FailoverError(
        'CATCH_UP_TIMEOUT',
        `${to.node.name} did not catch up with ${from.node.name} within ${options.timeoutMs / 1000}s (${error.lastReason}); ${outcome}`,
        log.steps,
        'check the replica with `rctl status`, raise --timeout, or promote another replica',
      );
    }
    throw FailoverError.wrap(error, log.steps, `failover stopped before the promotion, ${outcome}: `);
  }

  // --- promoted: from here the candidate is the master whatever else happens ------------------
  const repointed: NodeState[] = [];
  let demotionError: RctlError | null = null;
  const repointOne = async (state: NodeState) => {
    try {
      await log.run('repoint', state.node.name, () => sessionOf(state).expect(['REPLICAOF', to.node.host, to.node.port], 'REPLICAOF'));
      repointed.push(state);
    } catch (error) {
      if (!(error instanceof RctlError)) throw error;
      if (state === from) demotionError = error;
      else warn(`${state.node.name} could not be pointed at ${to.node.name}: ${error.message}; \`rctl up\` repoints it`);
      return;
    }
    // The old master is a replica now: its held writes get -READONLY instead of being lost.
    if (state === from) await log.run('resume writes', from.node.name, restoreMaster).catch((error) => warn(`${from.node.name}: ${(error as Error).message}`));
  };
  // The other replicas first: demoting the old master drops its replicas, and Redis 7 reconnects
  // a dropped replica at once, which would chain it behind the old master for a moment.
  await Promise.all(plan.repoint.filter((state) => state !== from).map(repointOne));
  if (plan.repoint.includes(from)) await repointOne(from);
  // Recorded once writes flow again (a file write has no place in the pause), before anything can fail.
  const roles = recordRoles(plan, options.home);
  if (roles.warning) warn(roles.warning);
  if (demotionError) {
    // Releasing its writes now would make two masters: leave it paused until its pause expires.
    throw new FailoverError(
      'DEMOTION_FAILED',
      `${to.node.name} is the master now, but ${from.node.name} could not be made its replica (${(demotionError as RctlError).message}); ${from.node.name} stays write-paused until its CLIENT PAUSE expires`,
      log.steps,
      `run \`rctl up\` to rejoin ${from.node.name}, and CONFIG SET repl-ping-replica-period ${originalPing} on it`,
    );
  }

  // --- persist and wait for the links, side by side -----------------------------------------
  log.announce(`waiting for ${repointed.map((s) => s.node.name).join(', ') || 'nothing'} to link to ${to.node.name}`);
  const persist = Promise.all(
    [to, ...repointed].map(async (state) => {
      if (!state.facts?.configFile) {
        warn(`${state.node.name} (${state.node.address}) runs without a config file: the change is live but will not survive a restart`);
        return;
      }
      const persisted = await log.run('persist config', state.node.name, () => persistConfig(topology, state.node, sessionOf(state), options.home));
      if (persisted !== true) warn(persisted);
    }),
  );
  try {
    await Promise.all([persist, ...repointed.map((state) => log.run('link up', state.node.name, () => waitLinked(state, to, options.waitMs)))]);
  } catch (error) {
    throw FailoverError.wrap(error, log.steps, `${to.node.name} is the master now, but: `);
  }
  const durationMs = roundMs(performance.now() - options.startedAt);

  const after = await readCounters(reachable);
  let fullResyncs = 0;
  let partialResyncs = 0;
  for (const [name, counters] of after) {
    const base = before.get(name);
    if (!base) continue;
    fullResyncs += Math.max(0, counters.full - base.full);
    partialResyncs += Math.max(0, counters.partial - base.partial);
  }

  return {
    json: {
      from: from.node.name,
      to: to.node.name,
      mode: plan.mode,
      steps: log.steps,
      fullResyncs,
      partialResyncs,
      writesPausedMs: pausedAt !== null && resumedAt !== null ? roundMs((resumedAt as number) - (pausedAt as number)) : 0,
      durationMs,
    },
    warnings,
  };
}
