// Carries out a failover plan.
//
// Graceful (the old master answers): writes are paused on it, the candidate catches up to the
// byte, the old master is fenced (it refuses writes for good, not just until the pause deadline),
// the candidate is promoted with REPLICAOF NO ONE (PSYNC2 keeps the old history as its replid2),
// every other node is pointed at it, and only then are writes released on the old master, which
// is a replica by then: writes it held get -READONLY, none is acknowledged and lost. Every node
// continues with a partial resync. A candidate that does not catch up within --timeout is a
// rollback: writes resume, nothing else changed (exit 4).
//
// Never two writable masters, whatever fails when (a partition can cut the old master off at any
// step): before the fence is confirmed nothing is promoted, so the worst case is the old master
// resuming writes at its pause deadline (a rollback); once it is confirmed, the old master refuses
// writes until rctl restores it, so the promotion goes ahead and a node that cannot be demoted is
// left behind fenced for `rctl up` to rejoin. What is left to undo stays in switch-<node>.json.
//
// Forced (the old master does not answer, or --force): the candidate is promoted as it is and the
// reachable nodes are pointed at it; the nodes left behind rejoin later with `rctl up`.
//
// What differs by version (how the pause holds writes, how settings are set together) comes from
// the node's capabilities (pause.ts, capabilities.ts). No failed step passes for success: a
// setting that could not be put back, or a config that could not be rewritten, ends the command
// with exit 4 naming the node, the server's own error and the command that fixes it.

import { performance } from 'node:perf_hooks';
import { ExitCode, NodeFailureError, RctlError } from '../../errors';
import { unpauseCommand } from '../capabilities';
import { redisCliCommand } from '../fix-command';
import { parseInfo, replicationFacts } from '../info';
import type { Reporter } from '../reporter';
import type { NodeSession } from '../node-session';
import { ReplyError } from '../resp';
import { persistConfig } from '../persist-config';
import { sleep, WaitTimeoutError } from '../wait';
import { syncCounters, UNREACHABLE_CODES, type NodeState, type SyncCounters } from './inspect';
import type { FailoverPlan } from './plan';
import { recordRoles, restoreRoles, rolesBefore } from './roles';
import { roundMs, StepLog } from './steps';
import { clearSwitchRecord, readSwitchRecord, writeSwitchRecord, type SwitchRecord } from './switch-record';
import { DISCONNECT_CLIENTS, DISCONNECT_SUBSCRIBERS, offsetAfterPauseTransaction, planHold, START_ACTIVE_EXPIRE, STOP_ACTIVE_EXPIRE } from './pause';
import { describeFailures, restoreFix, type StepFailure } from './step-failures';
import { awaitCatchUp, bytes, catchUp, catchUpTo, sessionOf, waitLinked } from './waits';
import { fenceSettings, pauseLiftSettings, quietPingSettings, readOnlySettings, restoreSettings, switchedSettings, withDefaults } from './switch-settings';
import type { FailoverJson, FailoverStep } from './types';

// A command that went out without an answer (the node froze or the link broke): its effect is unknown.
const NO_ANSWER_CODES = new Set(['NODE_TIMEOUT', 'NODE_CLOSED']);

// After a pre-6.2 demotion, bytes in flight to the candidate still arrive; none come after.
const TAIL_GRACE_MS = 500;

/** The demoted old master holds writes the candidate did not get before their link ended. */
class TailLostError extends Error {
  constructor(
    readonly lagBytes: number,
    readonly takenBytes: number,
  ) {
    super(`the candidate is ${lagBytes} bytes short of the demoted master`);
  }
}

/** The command exists under its own name (not renamed or removed): COMMAND INFO knows it. */
async function hasCommand(session: NodeSession, name: string): Promise<boolean> {
  const reply = await session.call(['COMMAND', 'INFO', name]);
  return Array.isArray(reply) && Array.isArray(reply[0]);
}

/** The node answered, with an error: a refusal, as opposed to silence or a lost connection. */
function refusedByNode(error: unknown): boolean {
  return error instanceof RctlError && !NO_ANSWER_CODES.has(error.code) && !UNREACHABLE_CODES.has(error.code);
}

export interface ExecuteOptions {
  home: string;
  /** The sessions' reply limit (--connect-timeout): a pause that holds rctl's commands stays well inside it. */
  replyTimeoutMs?: number;
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
    code: RctlError['code'],
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

export async function executeFailover(plan: FailoverPlan, options: ExecuteOptions): Promise<ExecuteResult> {
  const log = new StepLog(options.reporter);
  const warnings = [...plan.warnings];
  const warn = (text: string) => {
    warnings.push(text);
    options.reporter.warn(text);
  };
  const failures: StepFailure[] = [];
  const { from, to, topology } = plan;
  const candidate = sessionOf(to);
  const reachable = [to, ...plan.repoint];
  const password = topology.password?.reveal();
  // An earlier switch left this node unrepaired (only with --force): its record has the originals,
  // where the node now shows that switch's values.
  const previous = plan.masterLive ? readSwitchRecord(options.home, topology.name, from.node.name) : null;
  // A previous record keeps the originals of what it changed; the node shows the rest as it is.
  const original = previous ? withDefaults({ ...from.settings, ...previous.restore }) : from.settings;
  if (plan.masterLive && !from.capabilities) throw new Error(`${from.node.name} answers but its capabilities were not read: no switch without a pause`);
  const hold = plan.masterLive && from.capabilities ? planHold(from.capabilities, from.rttMs, to.rttMs, options.timeoutMs, options.replyTimeoutMs) : null;
  const switched = switchedSettings(original, hold?.kind ?? 'none');
  const restore = restoreSettings(switched);
  // Made read-only for the switch (switch-settings.ts): put back only if the switch rolls back.
  const readOnly = readOnlySettings(original);
  let pausedAt: number | null = null;
  let resumedAt: number | null = null;

  // Written before the old master is touched, removed once it is restored: what a repair needs.
  let record: SwitchRecord | null = null;
  const noteRecord = (change: Partial<SwitchRecord>) => {
    if (!record) return;
    record = { ...record, ...change };
    writeSwitchRecord(options.home, topology.name, record);
  };
  const noteStage = (stage: SwitchRecord['stage']) => noteRecord({ stage });
  if (plan.masterLive) {
    record = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      node: { name: from.node.name, host: from.node.host, port: from.node.port },
      candidate: to.node.name,
      stage: 'pausing',
      restore: { ...switched } as Record<string, string>,
    };
    writeSwitchRecord(options.home, topology.name, record);
  }

  /**
   * The PING period, and before 6.2 hz: Redis takes a new hz at its next cron tick, one old period
   * later, so the wait (reads and writes still flowing) makes the pause lift within 10 ms of its deadline.
   */
  let stopsExpiry = false;
  const prepareMaster = async (session: NodeSession) => {
    const lift = hold?.kind === 'pause-and-demote' ? pauseLiftSettings(original) : [];
    await session.configSet([...quietPingSettings(), ...lift]);
    if (hold?.kind === 'pause-and-demote') stopsExpiry = await hasCommand(session, 'DEBUG');
    if (lift.length > 0) await sleep(Math.ceil(1000 / Math.max(1, Number(original.hz))) + 2);
  };

  // --- before the pause: everything that can be done while writes still flow ----------------
  log.announce(`preparing ${reachable.map((s) => s.node.name).join(', ')}`);
  const [before] = await Promise.all([
    readCounters(reachable),
    ...plan.repoint
      .filter((state) => password !== undefined && !state.masterauthOk)
      .map((state) => log.run('prepare', state.node.name, () => sessionOf(state).configSet([['masterauth', password as string]]))),
    ...(plan.masterLive ? [log.run('prepare', from.node.name, () => prepareMaster(sessionOf(from)))] : []),
  ]).catch(async (error) => {
    if (plan.masterLive) {
      const restored = await sessionOf(from).configSet(restore).then(
        () => true,
        () => false,
      );
      if (restored) clearSwitchRecord(options.home, topology.name, from.node.name);
    }
    throw FailoverError.wrap(error, log.steps, 'stopped while preparing (at most masterauth was set): ');
  });

  // --- the switch ---------------------------------------------------------------------------
  const master = plan.masterLive ? sessionOf(from) : null;
  /**
   * Every switch setting as it was, then writes back on; the record goes once nothing is left to
   * undo. The settings go first, pipelined ahead of CLIENT UNPAUSE (one round trip), so that
   * writes the pause held are not refused by the fence on a rollback.
   */
  const restoreMaster = async () => {
    if (!master || !hold) return;
    const unpause = from.capabilities ? unpauseCommand(from.capabilities) : null;
    const replies = await Promise.allSettled([master.configSet(restore), ...(unpause ? [master.expect(unpause, 'CLIENT UNPAUSE')] : [])]);
    const failed = replies.find((reply): reply is PromiseRejectedResult => reply.status === 'rejected');
    if (failed) {
      // Only a refusal is the node's own answer; silence says nothing about its settings.
      if (refusedByNode(failed.reason)) noteRecord({ failure: (failed.reason as Error).message });
      throw failed.reason;
    }
    resumedAt ??= performance.now();
    clearSwitchRecord(options.home, topology.name, from.node.name);
  };
  const restoreFailure = (error: unknown, what: string): StepFailure => ({
    node: from.node.name,
    address: from.node.address,
    what,
    error: (error as Error).message,
    fix: `${restoreFix(topology, from.node, from, restore)}${hold?.kind === 'pause-writes' ? ` && ${redisCliCommand(topology, from.node, ['CLIENT', 'UNPAUSE'])}` : ''}   (or \`rctl up\`)`,
  });

  log.announce(plan.masterLive ? `switching ${from.node.name} → ${to.node.name} (${hold?.kind === 'pause-and-demote' ? 'reads and writes' : 'writes'} paused)` : `promoting ${to.node.name}`);
  let fenceSent = false;
  let demoteSent = false;
  let promoteSent = false;
  let rolesRecorded = false;
  let stopReplid: string | null = null;
  const previousRoles = rolesBefore(plan, options.home);
  try {
    if (master && hold?.kind === 'pause-writes') {
      pausedAt = performance.now();
      const paused = master.expect(hold.command, 'CLIENT PAUSE');
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
      await awaitCatchUp(log, plan, options.timeoutMs, caughtUp, warn);
      noteStage('fencing');
      fenceSent = true;
      // With the fence, a writable replica-to-be turns read-only: the writes the pause holds meet either.
      await log.run('fence', from.node.name, () => master.configSet([...fenceSettings(original), ...readOnlySettings(original)]));
    } else if (master && hold?.kind === 'pause-and-demote') {
      // Before 6.2 (pause.ts): paused (reads too), fenced and rid of its clients at once, with the
      // offset it stops at; then demoted ahead of every client; then the candidate must hold all.
      noteStage('fencing');
      fenceSent = true;
      pausedAt = performance.now();
      const fence = fenceSettings(original);
      const stop = await log.run('pause and fence', from.node.name, async () => {
        const settings = [...fence.map(([name, value]) => ['CONFIG', 'SET', name, value]), ...(stopsExpiry ? [STOP_ACTIVE_EXPIRE] : [])];
        if (stopsExpiry) noteRecord({ activeExpireStopped: true });
        const commands = [...settings, hold.command, DISCONNECT_CLIENTS, DISCONNECT_SUBSCRIBERS, ['INFO', 'replication']];
        const replies = await master.transaction(commands, 'CLIENT PAUSE and fence');
        const refused = replies.findIndex((reply) => reply instanceof ReplyError);
        if (refused !== -1) throw master.replyFailure(replies[refused] as ReplyError, commands[refused].slice(0, refused < settings.length ? 3 : 2).join(' '));
        const facts = replicationFacts(parseInfo(String(replies[replies.length - 1])));
        if (facts.role !== 'master' || facts.offset === null || facts.replid === null) {
          throw new NodeFailureError('NODE_COMMAND_FAILED', `${from.node.name} (${from.node.address}) is no longer a master with a replication offset (role ${facts.role ?? 'unknown'})`);
        }
        return { offset: offsetAfterPauseTransaction(facts.offset), replid: facts.replid };
      });
      stopReplid = stop.replid;
      await awaitCatchUp(log, plan, options.timeoutMs, catchUpTo(candidate, stop, options.timeoutMs), warn);
      noteStage('demoting');
      demoteSent = true;
      const demoted = await log.run('demote', from.node.name, async () => {
        const settings = readOnlySettings(original);
        const commands = [...settings.map(([name, value]) => ['CONFIG', 'SET', name, value]), ['REPLICAOF', to.node.host, to.node.port], ...(stopsExpiry ? [START_ACTIVE_EXPIRE] : [])];
        // Held until the pause lifts, then run before any client's command; INFO right after it.
        const [replies, info] = await Promise.all([master.transaction(commands, 'REPLICAOF'), master.info('replication')]);
        const refused = replies.findIndex((reply) => reply instanceof ReplyError);
        if (refused !== -1) throw master.replyFailure(replies[refused] as ReplyError, commands[refused].slice(0, 3).join(' '));
        return replicationFacts(info);
      });
      resumedAt = performance.now();
      // Demoting dropped its links: what the candidate lacks now it can no longer get.
      if (demoted.offset === null || demoted.offset > stop.offset) {
        const final = { offset: demoted.offset ?? Number.MAX_SAFE_INTEGER, replid: stop.replid };
        const confirmed = await log.run('confirm', to.node.name, () => catchUpTo(candidate, final, TAIL_GRACE_MS), (result) => result.caughtUp);
        if (!confirmed.caughtUp) throw new TailLostError(confirmed.lagBytes, (demoted.offset ?? stop.offset) - stop.offset);
      }
    }
    // The candidate holds every byte: recorded as the master before it becomes one, so that an rctl
    // killed from here on leaves `rctl up` to finish the switch, never to undo it.
    const recorded = recordRoles(plan, options.home);
    if (recorded.warning) warn(recorded.warning);
    rolesRecorded = true;
    // From here the candidate may be a master: a repair must not lift the fence unless it is not.
    noteStage('promoting');
    promoteSent = true;
    await log.run('promote', to.node.name, () => candidate.expect(['REPLICAOF', 'NO', 'ONE'], 'REPLICAOF NO ONE'));
  } catch (error) {
    const noAnswer = error instanceof RctlError && NO_ANSWER_CODES.has(error.code);
    if (promoteSent && noAnswer) {
      // REPLICAOF NO ONE went out and no answer came back: the candidate may be a master now. The
      // old master is fenced, so at most one of them takes writes; which one is for the operator.
      throw new FailoverError(
        'PROMOTION_UNKNOWN',
        `${to.node.name} did not answer REPLICAOF NO ONE (${error.message}): it may or may not be a master now; it holds every write${master ? `, and ${from.node.name} is fenced and refuses writes until repaired` : ''}; ${to.node.name} is recorded as the master`,
        log.steps,
        master
          ? `once ${to.node.name} answers, \`rctl up\` finishes the switch (promotes it, makes ${from.node.name} its replica) and lifts the fence`
          : 'once it answers, `rctl up` finishes the switch',
      );
    }
    if (demoteSent && noAnswer) {
      // The demotion may or may not have run: the old master is fenced, or a replica. Either way
      // it takes no write, and with the candidate not promoted there is no other master.
      throw new FailoverError(
        'DEMOTION_UNKNOWN',
        `${from.node.name} stopped answering while being made a replica (${error.message}): ${to.node.name} was not promoted; ${from.node.name} is fenced or a replica of ${to.node.name}, so no node takes writes until it is repaired`,
        log.steps,
        `once ${from.node.name} answers, \`rctl up\` makes it the master again and lifts the fence; then run the failover again`,
      );
    }
    if (fenceSent && noAnswer) {
      // The fence may or may not have been applied, so the promotion must not happen: if it was
      // not, the old master takes writes again at its pause deadline. One master either way.
      throw new FailoverError(
        'FENCE_UNKNOWN',
        `${from.node.name} stopped answering while being fenced (${error.message}): ${to.node.name} was not promoted, so ${from.node.name} is still the only master; ${hold?.kind === 'pause-and-demote' ? `it may be paused (reads too) for up to ${hold.ms} ms` : 'it is write-paused until its CLIENT PAUSE expires'} and may refuse writes (-NOREPLICAS) after that until repaired`,
        log.steps,
        `once ${from.node.name} answers, \`rctl up\` repairs it; then run the failover again`,
      );
    }
    // Not promoted, and the old master answers: undo the demotion, the pause and the settings.
    if (rolesRecorded) restoreRoles(plan, options.home, previousRoles);
    let undoError: unknown = null;
    let resynced: string | null = null;
    if (master) {
      const undo = async () => {
        if (demoteSent) {
          // A demoted master that began copying another node's data has lost what only it had.
          const now = replicationFacts(await master.info('replication'));
          if (now.syncInProgress || (stopReplid !== null && now.replid !== stopReplid)) resynced = `${from.node.name} had begun a full resync from ${to.node.name}, discarding what only it held`;
          await master.expect(['REPLICAOF', 'NO', 'ONE'], 'REPLICAOF NO ONE');
        }
        if (stopsExpiry) await master.expect(START_ACTIVE_EXPIRE, 'DEBUG SET-ACTIVE-EXPIRE 1');
        // Still the master: its own replica-read-only comes back (it applies only once it is a replica).
        if (readOnly.length > 0 && (fenceSent || demoteSent)) await master.configSet([['replica-read-only', original['replica-read-only']]]);
        await restoreMaster();
      };
      await log.run('roll back', from.node.name, undo).catch((failure: unknown) => {
        undoError = failure;
      });
    }
    const outcome =
      undoError === null
        ? master
          ? resynced
            ? `rolled back, but ${resynced}: writes acknowledged by it after the pause may be lost`
            : `rolled back: writes resumed on ${from.node.name}, nothing changed`
          : 'nothing changed'
        : `and the rollback failed (${(undoError as Error).message}): ${from.node.name} may refuse writes until its settings are restored: ${restoreFailure(undoError, 'roll back').fix}`;
    if (error instanceof TailLostError) {
      throw new FailoverError(
        'CATCH_UP_TIMEOUT',
        `${from.node.name} took ${bytes(error.takenBytes)} of writes as its pause lifted (scripts or transactions, which min-replicas-to-write does not stop before Redis 6.2), and ${to.node.name} was ${bytes(error.lagBytes)} short when ${from.node.name} became a replica, which ended their link; ${outcome}`,
        log.steps,
        resynced ? 'check the data on both nodes' : 'run the failover again: nothing was lost',
      );
    }
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
  const leftFenced: NodeState[] = [];
  const repointOne = async (state: NodeState) => {
    try {
      await log.run('repoint', state.node.name, () => sessionOf(state).expect(['REPLICAOF', to.node.host, to.node.port], 'REPLICAOF'));
      repointed.push(state);
    } catch (error) {
      if (!(error instanceof RctlError)) throw error;
      if (refusedByNode(error)) {
        failures.push({ node: state.node.name, address: state.node.address, what: `REPLICAOF ${to.node.host} ${to.node.port}`, error: error.message, fix: '`rctl up` repoints it' });
      }
      if (state === from) {
        // Fenced, so it cannot take a write: the switch stands and the node rejoins later.
        leftFenced.push(state);
        warn(
          `${from.node.name} could not be made a replica of ${to.node.name} (${error.message}): it stays fenced, refusing every write, until \`rctl up\` rejoins it and restores its settings`,
        );
      } else {
        warn(`${state.node.name} could not be pointed at ${to.node.name}: ${error.message}; \`rctl up\` repoints it`);
      }
      return;
    }
    // The old master is a replica now: its held writes get -READONLY instead of being lost.
    if (state === from) {
      await log.run('resume writes', from.node.name, restoreMaster).catch((error: unknown) => {
        // Refused or unanswered, the step failed: the switch stands, the command does not pass.
        if (!(error instanceof RctlError)) throw error;
        failures.push(restoreFailure(error, `restoring ${restore.map(([name, value]) => `${name} ${value}`).join(', ')}`));
      });
    }
  };
  // The old master alongside the others: from the fence until its demotion it answers new writes
  // with -NOREPLICAS, so that window stays one round trip. (A replica it drops on its demotion may
  // reconnect to it for a moment; its own REPLICAOF, in flight, moves it on with a partial resync.)
  await Promise.all(plan.repoint.map(repointOne));
  // An old master that could not be demoted rejoins with `rctl up`: the record says so.
  if (leftFenced.length > 0) {
    const roles = recordRoles(plan, options.home, leftFenced.map((state) => state.node.name));
    if (roles.warning) warn(roles.warning);
  }

  // --- persist and wait for the links, side by side -----------------------------------------
  log.announce(`waiting for ${repointed.map((s) => s.node.name).join(', ') || 'nothing'} to link to ${to.node.name}`);
  const persist = Promise.all(
    [to, ...repointed].map(async (state) => {
      if (!state.facts?.configFile) {
        warn(`${state.node.name} (${state.node.address}) runs without a config file: the change is live but will not survive a restart`);
        return;
      }
      const persisted = await log.run('persist config', state.node.name, () => persistConfig(topology, state.node, sessionOf(state), options.home), (result) => result === true);
      if (persisted !== true) {
        failures.push({ node: state.node.name, address: state.node.address, what: 'CONFIG REWRITE', error: persisted, fix: redisCliCommand(topology, state.node, ['CONFIG', 'REWRITE']) });
      }
    }),
  );
  try {
    await Promise.all([persist, ...repointed.map((state) => log.run('link up', state.node.name, () => waitLinked(state, to, options.waitMs)))]);
  } catch (error) {
    // A link that did not come up must not hide a step that failed before it.
    const also = failures.length > 0 ? `; also ${describeFailures(failures)} (${failures.map((f) => `${f.node}: ${f.fix}`).join('; ')})` : '';
    const wrapped = FailoverError.wrap(error, log.steps, `${to.node.name} is the master now, but: `);
    throw also ? new FailoverError(wrapped.code, wrapped.message + also, log.steps, wrapped.suggestion, wrapped.exitCode) : wrapped;
  }
  const durationMs = roundMs(performance.now() - options.startedAt);
  if (readOnly.length > 0 && repointed.includes(from)) {
    warn(
      `${from.node.name} had replica-read-only ${original['replica-read-only']}: it stays read-only, so that clients still connected to it get -READONLY instead of having writes acknowledged and lost; \`CONFIG SET replica-read-only ${original['replica-read-only']}\` on it makes it a writable replica again`,
    );
  }

  if (failures.length > 0) {
    const restoreFailed = failures.some((f) => f.node === from.node.name && f.what.startsWith('restoring'));
    throw new FailoverError(
      restoreFailed ? 'RESTORE_FAILED' : 'FAILOVER_STEP_FAILED',
      `${to.node.name} is the master now, but ${describeFailures(failures)}`,
      log.steps,
      failures.map((f) => `${f.node}: ${f.fix}`).join('; '),
    );
  }

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
      // Before 6.2 the pause held reads too, until the demotion (queued behind it) got its answer.
      readsPausedMs: pausedAt !== null && resumedAt !== null && hold?.kind === 'pause-and-demote' ? roundMs((resumedAt as number) - (pausedAt as number)) : 0,
      durationMs,
    },
    warnings,
  };
}
