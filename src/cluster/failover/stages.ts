// The stages of a switch up to and including the promotion, one function each, in order. Each
// says what the switch record reads from the moment its command may have run (what a repair of
// an interrupted switch starts from), what undoes it when a later stage fails, and what it means
// when its command went out and no answer came back (its effect unknown: nothing may be undone).
//
// Graceful from 6.2: pause writes → catch up → fence → record roles → promote.
// Graceful before 6.2 (pause.ts): pause and fence → catch up → demote → record roles → promote.
// Forced: record roles → promote.

import { performance } from 'node:perf_hooks';
import { NodeFailureError } from '../../errors';
import type { Command } from '../../node/capabilities';
import { parseInfo, replicationFacts } from '../../node/info';
import type { NodeSession } from '../../node/node-session';
import { ReplyError } from '../../node/resp';
import { sleep } from '../../node/wait';
import type { SwitchStage } from '../../state/switch-record';
import { FailoverError, TailLostError } from './failover-error';
import { syncCounters, type NodeState, type SyncCounters } from './inspect';
import { DISCONNECT_CLIENTS, DISCONNECT_SUBSCRIBERS, offsetAfterPauseTransaction, START_ACTIVE_EXPIRE, STOP_ACTIVE_EXPIRE } from './pause';
import { recordRoles, restoreRoles } from './roles';
import { describePrioritiesLeft, restorePriorities } from './sentinel-steering';
import type { SwitchRun } from './switch-run';
import { fenceSettings, pauseLiftSettings, quietPingSettings, readOnlySettings } from './switch-settings';
import { awaitCatchUp, catchUp, catchUpTo, sessionOf } from './waits';

// After a pre-6.2 demotion, bytes in flight to the candidate still arrive; none come after.
const TAIL_GRACE_MS = 500;

export interface SwitchStep {
  name: string;
  /** The switch record's stage from the moment this step's command may have run. */
  records?: SwitchStage;
  perform(run: SwitchRun): Promise<void>;
  /** Undoes this step on the old master when a later one fails before the promotion. */
  undoOnMaster?(run: SwitchRun, master: NodeSession): Promise<void>;
  /** Undoes what this step recorded in RCTL_HOME (it runs whether or not the old master answers). */
  undoRecord?(run: SwitchRun): void;
  /** Its command, or a later one, went out unanswered: the error that stops the switch as it stands. */
  ifUnanswered?(run: SwitchRun, error: Error): FailoverError;
}

export async function readCounters(states: NodeState[]): Promise<Map<string, SyncCounters>> {
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

/** The command exists under its own name (not renamed or removed): COMMAND INFO knows it. */
async function hasCommand(session: NodeSession, name: string): Promise<boolean> {
  const reply = await session.call(['COMMAND', 'INFO', name]);
  return Array.isArray(reply) && Array.isArray(reply[0]);
}

/**
 * Everything that can be done while writes still flow: resync counters, masterauth on nodes to
 * repoint, and on the old master the PING period (and before 6.2 hz: Redis takes a new hz at its
 * next cron tick, one old period later, so the wait makes the pause lift within 10 ms of its
 * deadline). A failure here puts the old master's settings back and stops; at most masterauth
 * was set.
 */
export async function prepare(run: SwitchRun): Promise<void> {
  const { plan, log, original, hold } = run;
  const password = plan.topology.password?.reveal();
  const prepareMaster = async (session: NodeSession) => {
    const lift = hold?.kind === 'pause-and-demote' ? pauseLiftSettings(original) : [];
    await session.configSet([...quietPingSettings(), ...lift]);
    if (hold?.kind === 'pause-and-demote') run.stopsExpiry = await hasCommand(session, 'DEBUG');
    if (lift.length > 0) await sleep(Math.ceil(1000 / Math.max(1, Number(original.hz))) + 2);
  };
  log.announce(`preparing ${run.reachable.map((s) => s.node.name).join(', ')}`);
  try {
    const [before] = await Promise.all([
      readCounters(run.reachable),
      ...plan.repoint
        .filter((state) => password !== undefined && !state.masterauthOk)
        .map((state) => log.run('prepare', state.node.name, () => sessionOf(state).configSet([['masterauth', password as string]]))),
      ...(run.master ? [log.run('prepare', plan.from.node.name, () => prepareMaster(run.master as NodeSession))] : []),
    ]);
    run.countersBefore = before;
  } catch (error) {
    const prioritiesLeft = run.sentinel ? await restorePriorities(run) : [];
    if (run.master) {
      const restored = await run.master.configSet(run.restore).then(
        () => true,
        () => false,
      );
      if (restored) run.forgetRecord();
    }
    throw FailoverError.wrap(error, log.steps, `stopped while preparing (at most masterauth was set${run.sentinel ? ', and the steered priorities were put back' : ''}${describePrioritiesLeft(prioritiesLeft)}): `);
  }
}

/**
 * A transaction's commands each answer on their own inside EXEC: the first refused one fails the
 * step, named by its first `words(index)` words (CONFIG SET name, CLIENT PAUSE, REPLICAOF host port).
 */
function throwIfRefused(master: NodeSession, commands: ReadonlyArray<Command>, replies: unknown[], words: (index: number) => number): void {
  const refused = replies.findIndex((reply) => reply instanceof ReplyError);
  if (refused !== -1) throw master.replyFailure(replies[refused] as ReplyError, commands[refused].slice(0, words(refused)).join(' '));
}

/** 6.2+: CLIENT PAUSE … WRITE, with the catch-up's first probe pipelined behind it on the same connection. */
const pauseWrites: SwitchStep = {
  name: 'pause writes',
  async perform(run) {
    const master = run.master as NodeSession;
    const hold = run.hold as Extract<SwitchRun['hold'], { kind: 'pause-writes' }>;
    run.pausedAt = performance.now();
    const paused = master.expect(hold.command, 'CLIENT PAUSE');
    // The master answers the probe after the pause took effect: one round trip less while writes wait.
    const abandon = new AbortController();
    const caughtUp = catchUp(master, run.candidate, run.options.timeoutMs, abandon.signal);
    try {
      await run.log.run('pause writes', run.plan.from.node.name, () => paused);
    } catch (error) {
      abandon.abort(error);
      await caughtUp.catch(() => undefined);
      throw error;
    }
    run.catchingUp = caughtUp;
  },
};

/** The candidate holds every byte the old master took before it stopped (WaitTimeoutError if not). */
const catchUpWithMaster: SwitchStep = {
  name: 'catch up',
  async perform(run) {
    const catchingUp = run.catchingUp;
    if (!catchingUp) throw new Error('catch up before the pause');
    await awaitCatchUp(run.log, run.plan, run.options.timeoutMs, catchingUp, (text) => run.warn(text));
  },
};

function fenceUnknown(run: SwitchRun, error: Error): FailoverError {
  // The fence may or may not have been applied, so the promotion must not happen: if it was
  // not, the old master takes writes again at its pause deadline. One master either way.
  const { from, to } = run.plan;
  const hold = run.hold;
  return new FailoverError(
    'FENCE_UNKNOWN',
    `${from.node.name} stopped answering while being fenced (${error.message}): ${to.node.name} was not promoted, so ${from.node.name} is still the only master; ${hold?.kind === 'pause-and-demote' ? `it may be paused (reads too) for up to ${hold.ms} ms` : 'it is write-paused until its CLIENT PAUSE expires'} and may refuse writes (-NOREPLICAS) after that until repaired`,
    run.log.steps,
    `once ${from.node.name} answers, \`rctl up\` repairs it; then run the failover again`,
  );
}

/** Still the master: its own replica-read-only comes back (it applies only once it is a replica). */
async function undoReadOnly(run: SwitchRun, master: NodeSession): Promise<void> {
  if (run.readOnly.length > 0) await master.configSet([['replica-read-only', run.original['replica-read-only']]]);
}

/** 6.2+: the old master refuses writes for good (min-replicas-to-write), not just until the pause deadline. */
const fence: SwitchStep = {
  name: 'fence',
  records: 'fencing',
  async perform(run) {
    const master = run.master as NodeSession;
    // With the fence, a writable replica-to-be turns read-only: the writes the pause holds meet either.
    await run.log.run('fence', run.plan.from.node.name, () => master.configSet([...fenceSettings(run.original), ...readOnlySettings(run.original)]));
  },
  undoOnMaster: undoReadOnly,
  ifUnanswered: fenceUnknown,
};

/**
 * Before 6.2: paused (reads too), fenced and rid of its clients in one MULTI, which also reports
 * the offset the old master stops at; the candidate then catches up to that offset.
 */
const pauseAndFence: SwitchStep = {
  name: 'pause and fence',
  records: 'fencing',
  async perform(run) {
    const master = run.master as NodeSession;
    const hold = run.hold as Extract<SwitchRun['hold'], { kind: 'pause-and-demote' }>;
    const { from } = run.plan;
    run.pausedAt = performance.now();
    const fenced = fenceSettings(run.original);
    const stop = await run.log.run('pause and fence', from.node.name, async () => {
      const settings = [...fenced.map(([name, value]) => ['CONFIG', 'SET', name, value]), ...(run.stopsExpiry ? [STOP_ACTIVE_EXPIRE] : [])];
      if (run.stopsExpiry) run.noteRecord({ activeExpireStopped: true });
      const commands = [...settings, hold.command, DISCONNECT_CLIENTS, DISCONNECT_SUBSCRIBERS, ['INFO', 'replication']];
      const replies = await master.transaction(commands, 'CLIENT PAUSE and fence');
      throwIfRefused(master, commands, replies, (index) => (index < settings.length ? 3 : 2));
      const facts = replicationFacts(parseInfo(String(replies[replies.length - 1])));
      if (facts.role !== 'master' || facts.offset === null || facts.replid === null) {
        throw new NodeFailureError('NODE_COMMAND_FAILED', `${from.node.name} (${from.node.address}) is no longer a master with a replication offset (role ${facts.role ?? 'unknown'})`);
      }
      return { offset: offsetAfterPauseTransaction(facts.offset), replid: facts.replid };
    });
    run.stopReplid = stop.replid;
    run.stopOffset = stop.offset;
    run.catchingUp = catchUpTo(run.candidate, stop, run.options.timeoutMs);
  },
  async undoOnMaster(run, master) {
    if (run.stopsExpiry) await master.expect(START_ACTIVE_EXPIRE, 'DEBUG SET-ACTIVE-EXPIRE 1');
    await undoReadOnly(run, master);
  },
  ifUnanswered: fenceUnknown,
};

/**
 * Before 6.2: one MULTI, queued behind the pause so it runs before any client's command, makes
 * the old master a read-only replica of the candidate. Its demotion ends their link, so the
 * candidate must then hold every byte the old master ended with, or the switch rolls back.
 */
const demote: SwitchStep = {
  name: 'demote',
  records: 'demoting',
  async perform(run) {
    const master = run.master as NodeSession;
    const { from, to } = run.plan;
    const stopOffset = run.stopOffset as number;
    const demoted = await run.log.run('demote', from.node.name, async () => {
      const settings = readOnlySettings(run.original);
      const commands = [...settings.map(([name, value]) => ['CONFIG', 'SET', name, value]), ['REPLICAOF', to.node.host, to.node.port], ...(run.stopsExpiry ? [START_ACTIVE_EXPIRE] : [])];
      // Held until the pause lifts, then run before any client's command; INFO right after it.
      const [replies, info] = await Promise.all([master.transaction(commands, 'REPLICAOF'), master.info('replication')]);
      throwIfRefused(master, commands, replies, () => 3);
      return replicationFacts(info);
    });
    run.resumedAt = performance.now();
    // Demoting dropped its links: what the candidate lacks now it can no longer get.
    if (demoted.offset === null || demoted.offset > stopOffset) {
      const final = { offset: demoted.offset ?? Number.MAX_SAFE_INTEGER, replid: run.stopReplid as string };
      const confirmed = await run.log.run('confirm', to.node.name, () => catchUpTo(run.candidate, final, TAIL_GRACE_MS), (result) => result.caughtUp);
      if (!confirmed.caughtUp) throw new TailLostError(confirmed.lagBytes, (demoted.offset ?? stopOffset) - stopOffset);
    }
  },
  async undoOnMaster(run, master) {
    // A demoted master that began copying another node's data has lost what only it had.
    const now = replicationFacts(await master.info('replication'));
    if (now.syncInProgress || (run.stopReplid !== null && now.replid !== run.stopReplid)) {
      run.resyncedOnRollback = `${run.plan.from.node.name} had begun a full resync from ${run.plan.to.node.name}, discarding what only it held`;
    }
    await master.expect(['REPLICAOF', 'NO', 'ONE'], 'REPLICAOF NO ONE');
  },
  ifUnanswered(run, error) {
    // The demotion may or may not have run: the old master is fenced, or a replica. Either way
    // it takes no write, and with the candidate not promoted there is no other master.
    const { from, to } = run.plan;
    return new FailoverError(
      'DEMOTION_UNKNOWN',
      `${from.node.name} stopped answering while being made a replica (${error.message}): ${to.node.name} was not promoted; ${from.node.name} is fenced or a replica of ${to.node.name}, so no node takes writes until it is repaired`,
      run.log.steps,
      `once ${from.node.name} answers, \`rctl up\` makes it the master again and lifts the fence; then run the failover again`,
    );
  },
};

/**
 * The candidate holds every byte: recorded as the master before it becomes one, so that an rctl
 * killed from here on leaves `rctl up` to finish the switch, never to undo it.
 */
const recordNewMaster: SwitchStep = {
  name: 'record roles',
  async perform(run) {
    const recorded = recordRoles(run.plan, run.options.state);
    if (recorded.warning) run.warn(recorded.warning);
  },
  undoRecord(run) {
    restoreRoles(run.plan, run.options.state, run.rolesBefore);
  },
};

/** REPLICAOF NO ONE: PSYNC2 keeps the old history as the new master's replid2. */
const promote: SwitchStep = {
  name: 'promote',
  // From here the candidate may be a master: a repair must not lift the fence unless it is not.
  records: 'promoting',
  async perform(run) {
    await run.log.run('promote', run.plan.to.node.name, () => run.candidate.expect(['REPLICAOF', 'NO', 'ONE'], 'REPLICAOF NO ONE'));
  },
  ifUnanswered(run, error) {
    // The candidate may be a master now. The old master is fenced, so at most one of them takes
    // writes; which one is for the operator.
    const { from, to } = run.plan;
    return new FailoverError(
      'PROMOTION_UNKNOWN',
      `${to.node.name} did not answer REPLICAOF NO ONE (${error.message}): it may or may not be a master now; it holds every write${run.master ? `, and ${from.node.name} is fenced and refuses writes until repaired` : ''}; ${to.node.name} is recorded as the master`,
      run.log.steps,
      run.master ? `once ${to.node.name} answers, \`rctl up\` finishes the switch (promotes it, makes ${from.node.name} its replica) and lifts the fence` : 'once it answers, `rctl up` finishes the switch',
    );
  },
};

/** The stages up to the promotion, for how the old master's writes are held; `promotion` replaces REPLICAOF NO ONE (the sentinels'). */
export function stagesToPromotion(hold: SwitchRun['hold'], promotion: SwitchStep = promote): SwitchStep[] {
  switch (hold?.kind) {
    case 'pause-writes':
      return [pauseWrites, catchUpWithMaster, fence, recordNewMaster, promotion];
    case 'pause-and-demote':
      return [pauseAndFence, catchUpWithMaster, demote, recordNewMaster, promotion];
    case undefined:
      return [recordNewMaster, promotion];
  }
}
