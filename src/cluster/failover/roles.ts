// Records the new master in RCTL_HOME's roles overlay just before the promotion (the candidate
// holds every byte by then), so every later command (up, status, the next failover) works from the
// roles as they are about to be: an rctl killed after the promotion leaves `rctl up` to finish the
// switch forward, never to undo it. A rollback puts the overlay back.

import { clearRolesOverlay, readRolesOverlay, writeRolesOverlay, type RolesOverlay } from '../../state/roles';
import type { FailoverPlan } from './plan';
import type { TopologyState } from '../../state/topology-state';

/** The master the operator's file declares (the overlay may have moved it). */
export function fileMasterOf(plan: Pick<FailoverPlan, 'topology'>): string {
  return plan.topology.roles?.fileMaster ?? plan.topology.master.name;
}

/** `alsoRejoin`: reachable nodes the switch could not repoint (an old master cut off mid-switch). */
export function recordRoles(plan: FailoverPlan, state: TopologyState, alsoRejoin: string[] = []): { warning: string | null } {
  const fileMaster = fileMasterOf(plan);
  const rejoin = [...plan.leftBehind.map((state) => state.node.name), ...alsoRejoin];
  try {
    if (plan.to.node.name === fileMaster && rejoin.length === 0) {
      // Back to the file's own roles: no overlay needed.
      clearRolesOverlay(state);
    } else {
      writeRolesOverlay(state, {
        master: plan.to.node.name,
        changedAt: new Date().toISOString(),
        by: 'failover',
        fileMaster,
        previous: plan.from.node.name,
        rejoin,
      });
    }
    return { warning: null };
  } catch (error) {
    return { warning: `could not record the new master in ${state.dir}: ${(error as Error).message}; until it is, \`rctl up\` would switch the roles back` };
  }
}

/** The overlay as it was before a switch recorded its candidate, to put back if the switch rolls back. */
export function rolesBefore(plan: FailoverPlan, state: TopologyState): RolesOverlay | null {
  return readRolesOverlay(state);
}

/** Undoes recordRoles after a rollback: the overlay as it was, or none. */
export function restoreRoles(plan: FailoverPlan, state: TopologyState, before: RolesOverlay | null): void {
  try {
    if (before) writeRolesOverlay(state, before);
    else clearRolesOverlay(state);
  } catch {
    // The recorded candidate stays: `rctl status` then shows the roles as drifted, `rctl up` asks.
  }
}
