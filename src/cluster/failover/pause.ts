// How a graceful switch holds the old master's writes, by version (capabilities.ts).
//
// From 6.2, CLIENT PAUSE ms WRITE holds writes only and CLIENT UNPAUSE ends it: the pause gets a
// generous deadline (the catch-up limit plus slack, so a crashed rctl never leaves it for good)
// and is ended as soon as the old master is a replica.
//
// Before 6.2, CLIENT PAUSE holds every command of every client, reads and rctl's own included,
// and nothing ends it before its deadline. So the pause is sized to the switch itself (a few
// round trips), and it starts in one MULTI/EXEC with the fence and an INFO replication: the node
// is paused and fenced at once, and the offset it reports is final, since nothing moves it while
// every client waits and the replication PING is quiet. If the candidate needs longer, the pause
// ends with the node fenced: writes then get -NOREPLICAS until it is a replica. None is lost.

import { describeVersion, pauseCommand, propagatedBytes, type Capabilities, type Command } from '../capabilities';

// CLIENT PAUSE WRITE carries its own deadline so a crashed rctl never leaves the master paused for good.
export const PAUSE_SLACK_MS = 5000;
// A pause that cannot be ended early covers this many round trips to the master and the
// candidate (the transaction, a probe, the promotion, the demotion reaching the master)...
const SIZED_PAUSE_ROUND_TRIPS = 8;
// ...and at least this long: the nodes' own work (the promotion, INFO) is not in a PING's time.
const SIZED_PAUSE_MIN_MS = 10;
const SIZED_PAUSE_MAX_MS = 1000;

export interface PausePlan {
  /** 'writes': CLIENT PAUSE WRITE, ended with CLIENT UNPAUSE; 'all': every command, until the deadline. */
  holds: 'writes' | 'all';
  ms: number;
  command: Command;
  /** Why reads pause too, for the plan's step; null when only writes do. */
  note: string | null;
}

export function sizedPauseMs(masterRttMs: number, candidateRttMs: number): number {
  const ms = Math.ceil(SIZED_PAUSE_ROUND_TRIPS * (masterRttMs + candidateRttMs));
  return Math.min(SIZED_PAUSE_MAX_MS, Math.max(SIZED_PAUSE_MIN_MS, ms));
}

export function planPause(master: Capabilities, masterRttMs: number, candidateRttMs: number, timeoutMs: number): PausePlan {
  if (master.pauseWritesOnly) {
    const ms = timeoutMs + PAUSE_SLACK_MS;
    return { holds: 'writes', ms, command: pauseCommand(master, ms), note: null };
  }
  const ms = sizedPauseMs(masterRttMs, candidateRttMs);
  return {
    holds: 'all',
    ms,
    command: pauseCommand(master, ms),
    note: `${describeVersion(master)} has no CLIENT PAUSE WRITE: reads pause too, for ${ms} ms (it cannot be ended early, so it is sized to the switch; if the switch takes longer, writes get -NOREPLICAS until the old master is a replica)`,
  };
}

/** The offset a pre-6.2 master ends at after the pause transaction: its INFO counted the propagated MULTI, not the EXEC that follows. */
export function offsetAfterPauseTransaction(reportedOffset: number): number {
  return reportedOffset + propagatedBytes(['EXEC']);
}
