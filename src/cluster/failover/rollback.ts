// A switch that failed before its promotion. Either a command went out unanswered, and the stage
// it belongs to says what the set may now be (nothing may be undone: FENCE_UNKNOWN,
// DEMOTION_UNKNOWN, PROMOTION_UNKNOWN), or every stage that ran is undone in reverse order and the
// old master takes writes again with nothing changed.

import { WaitTimeoutError } from '../../node/wait';
import { FailoverError, OutcomeUnknownError, TailLostError, unanswered } from './failover-error';
import type { SwitchStep } from './stages';
import type { SwitchRun } from './switch-run';
import { describePrioritiesLeft, restorePriorities } from './sentinel-steering';
import { bytes } from './waits';

/** The error that ends the switch, after undoing what may be undone. `attempted`: in the order they ran. */
export async function rollBack(run: SwitchRun, attempted: SwitchStep[], error: unknown): Promise<FailoverError> {
  const undoing = [...attempted].reverse();
  if (unanswered(error) || error instanceof OutcomeUnknownError) {
    // The latest stage whose command may have had an effect decides what the set may now be.
    const unknown = undoing.find((stage) => stage.ifUnanswered);
    if (unknown?.ifUnanswered) return unknown.ifUnanswered(run, error);
  }
  const { from, to } = run.plan;
  for (const stage of undoing) stage.undoRecord?.(run);
  let undoError: unknown = null;
  const master = run.master;
  if (master) {
    const undo = async () => {
      for (const stage of undoing) await stage.undoOnMaster?.(run, master);
      await run.restoreMaster();
    };
    await run.log.run('roll back', from.node.name, undo).catch((failure: unknown) => {
      undoError = failure;
    });
  }
  // The sentinels gave up or refused: nothing of theirs is left to wait for, so the steering goes too.
  const prioritiesLeft = run.sentinel ? await restorePriorities(run) : [];
  const resynced = run.resyncedOnRollback;
  const priorities = describePrioritiesLeft(prioritiesLeft);
  const outcome =
    (undoError === null
      ? master
        ? resynced
          ? `rolled back, but ${resynced}: writes acknowledged by it after the pause may be lost`
          : `rolled back: writes resumed on ${from.node.name}, nothing changed`
        : 'nothing changed'
      : `and the rollback failed (${(undoError as Error).message}): ${from.node.name} may refuse writes until its settings are restored: ${run.restoreFailure(undoError, 'roll back').fix}`) + priorities;
  if (error instanceof TailLostError) {
    return new FailoverError(
      'CATCH_UP_TIMEOUT',
      `${from.node.name} took ${bytes(error.takenBytes)} of writes as its pause lifted (scripts or transactions, which min-replicas-to-write does not stop before Redis 6.2), and ${to.node.name} was ${bytes(error.lagBytes)} short when ${from.node.name} became a replica, which ended their link; ${outcome}`,
      run.log.steps,
      resynced ? 'check the data on both nodes' : 'run the failover again: nothing was lost',
    );
  }
  if (error instanceof WaitTimeoutError) {
    return new FailoverError(
      'CATCH_UP_TIMEOUT',
      `${to.node.name} did not catch up with ${from.node.name} within ${run.options.timeoutMs / 1000}s (${error.lastReason}); ${outcome}`,
      run.log.steps,
      'check the replica with `rctl status`, raise --timeout, or promote another replica',
    );
  }
  return FailoverError.wrap(error, run.log.steps, `failover stopped before the promotion, ${outcome}: `);
}
