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
//
// On a Sentinel-managed set the sentinels promote the candidate, steered to it beforehand, and
// rctl follows them afterwards (sentinel-switch.ts); the pause, catch-up and fence are the same.
//
// The stages themselves are one function each: prepare and those up to the promotion in
// stages.ts (each with its undo and its meaning when unanswered), the rollback in rollback.ts,
// and repoint, resume, persist and verify in after-promotion.ts. A new kind of switch adds
// stages there; this file only says their order.

import { followSentinels, persistAndLink, repoint, verify } from './after-promotion';
import type { FailoverPlan } from './plan';
import { rollBack } from './rollback';
import { prepare, stagesToPromotion, type SwitchStep } from './stages';
import { promoteThroughSentinels } from './sentinel-promote';
import { steerSentinels } from './sentinel-steering';
import { SwitchRun, type ExecuteOptions } from './switch-run';
import type { FailoverJson } from './types';

export { FailoverError } from './failover-error';
export type { ExecuteOptions } from './switch-run';

export interface ExecuteResult {
  json: FailoverJson;
  warnings: string[];
}

export async function executeFailover(plan: FailoverPlan, options: ExecuteOptions): Promise<ExecuteResult> {
  const run = new SwitchRun(plan, options);
  try {
    return await switchOver(run);
  } finally {
    run.sentinel?.close();
  }
}

async function switchOver(run: SwitchRun): Promise<ExecuteResult> {
  const { plan } = run;
  const { from, to } = plan;
  // Steered first: the sentinels' view may take seconds to follow, and nothing else has changed yet.
  if (run.sentinel) await steerSentinels(run);
  await prepare(run);

  run.log.announce(plan.masterLive ? `switching ${from.node.name} to ${to.node.name} (${run.hold?.kind === 'pause-and-demote' ? 'reads and writes' : 'writes'} paused)` : `promoting ${to.node.name}`);
  const attempted: SwitchStep[] = [];
  try {
    for (const stage of stagesToPromotion(run.hold, run.sentinel ? promoteThroughSentinels : undefined)) {
      if (stage.records) run.recordStage(stage.records);
      attempted.push(stage);
      await stage.perform(run);
    }
  } catch (error) {
    throw await rollBack(run, attempted, error);
  }

  if (run.sentinel) await followSentinels(run);
  else await repoint(run);
  await persistAndLink(run);
  const json = await verify(run);
  return { json: run.sentinel ? { ...json, sentinel: run.sentinel.json() } : json, warnings: run.warnings };
}
