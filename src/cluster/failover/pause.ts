// How a graceful switch stops the old master's writes, by version (capabilities.ts).
//
// From 6.2 ('pause-writes'): CLIENT PAUSE ms WRITE holds writes only (scripts and transactions
// that write included, and key expiry), and CLIENT UNPAUSE ends it. The pause gets a generous
// deadline (the catch-up limit plus slack, so a crashed rctl never leaves it for good) and is
// ended once the old master is a replica: the writes it held then get -READONLY.
//
// Before 6.2 ('pause-and-demote'): CLIENT PAUSE holds every command of every client, reads and
// rctl's own included, nothing ends it before its deadline, and Redis lifts it only at its next
// cron tick after that (up to 100 ms later). Nor does min-replicas-to-write stop a script or the
// EXEC of a transaction queued earlier. So the old master must be a replica before any client
// command runs again:
//   0. hz 100 a cron tick ahead, so the pause lifts within 10 ms of its deadline
//      (switch-settings.ts);
//   1. one MULTI/EXEC: the fence, active expiry off (STOP_ACTIVE_EXPIRE), CLIENT PAUSE, CLIENT
//      KILL TYPE normal (every client's held
//      commands are dropped unanswered: they were never acknowledged, and the clients reconnect
//      behind rctl's connection), and INFO replication, whose offset is final but for the 14
//      bytes of the EXEC that 5.0 propagates after a transaction holding INFO;
//   2. the candidate catches up to that offset (the pause freezes it: no writes, no expiry);
//   3. the demotion, REPLICAOF <candidate>, queued while paused: rctl's connection is now the
//      oldest, so when the cron lifts the pause it runs before any client's command, which then
//      gets -READONLY. That order is likely, not certain: a replica's REPLCONF ACK refreshes Redis's
//      clock, and a client's command arriving next lifts the pause itself and runs first; so does a
//      command that arrives when the pause already expired. The guarantee is the next point.
//   4. Demoting drops the old master's replication links, so the candidate is promoted only once
//      it holds every byte the old master ended with as a replica; else the switch rolls back.
// The candidate must be linked straight to the old master (candidates.ts): its link, cut by the
// demotion, makes it refuse the old master's sync until it is promoted (NOMASTERLINK).
// The candidate, still a replica without its master, refuses the old master's sync until it is
// promoted (NOMASTERLINK), so nothing is copied the wrong way meanwhile.

import { describeVersion, pauseCommand, propagatedBytes, type Capabilities, type Command } from '../../node/capabilities';

// CLIENT PAUSE WRITE carries its own deadline so a crashed rctl never leaves the master paused for good.
export const PAUSE_SLACK_MS = 5000;
// A pause that cannot be ended early covers this many round trips to the master and the
// candidate (the transaction, a probe or two, the demotion reaching the master)...
const SIZED_PAUSE_ROUND_TRIPS = 8;
// ...and at least this long: the nodes' own work is not in a PING's time.
const SIZED_PAUSE_MIN_MS = 10;
const SIZED_PAUSE_MAX_MS = 1000;

export const DISCONNECT_CLIENTS: Command = ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'];
// A pub/sub client may leave subscribe mode and write as the pause lifts: it goes too.
export const DISCONNECT_SUBSCRIBERS: Command = ['CLIENT', 'KILL', 'TYPE', 'pubsub'];
// Redis 5.0 lifts an expired pause inside its fast expire cycle, which then deletes expired keys
// before any held command runs: those DELs would follow the candidate's catch-up and be dropped
// by the demotion. Expiry stops for the switch where DEBUG is available (a replica expires
// nothing anyway, so it goes back on right after the demotion).
export const STOP_ACTIVE_EXPIRE: Command = ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'];
export const START_ACTIVE_EXPIRE: Command = ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'];

export type SwitchHold =
  | { kind: 'pause-writes'; ms: number; command: Command }
  | { kind: 'pause-and-demote'; ms: number; command: Command; note: string };

/** `maxMs`: the demotion's answer waits for the pause, so it must stay well inside the reply timeout. */
export function sizedPauseMs(masterRttMs: number, candidateRttMs: number, maxMs = SIZED_PAUSE_MAX_MS): number {
  const ms = Math.ceil(SIZED_PAUSE_ROUND_TRIPS * (masterRttMs + candidateRttMs));
  return Math.max(1, Math.min(SIZED_PAUSE_MAX_MS, maxMs, Math.max(SIZED_PAUSE_MIN_MS, ms)));
}

export function planHold(master: Capabilities, masterRttMs: number, candidateRttMs: number, timeoutMs: number, replyTimeoutMs = Infinity): SwitchHold {
  if (master.pauseWritesOnly) {
    const ms = timeoutMs + PAUSE_SLACK_MS;
    return { kind: 'pause-writes', ms, command: pauseCommand(master, ms) };
  }
  const ms = sizedPauseMs(masterRttMs, candidateRttMs, Math.floor(replyTimeoutMs / 4));
  return {
    kind: 'pause-and-demote',
    ms,
    command: pauseCommand(master, ms),
    note: `${describeVersion(master)} has no CLIENT PAUSE WRITE: its reads pause too, for ${ms} ms and until Redis lifts the pause at its next cron tick (hz 100 for the switch: up to 10 ms more); its clients are disconnected (their held commands were never answered) and it is made a replica before any of them runs again`,
  };
}

/** The offset a pre-6.2 master ends at after the pause transaction: its INFO counted the propagated MULTI, not the EXEC that follows. */
export function offsetAfterPauseTransaction(reportedOffset: number): number {
  return reportedOffset + propagatedBytes(['EXEC']);
}
