// The shapes `rctl failover` works with: the plan it makes from what it observed, the steps it
// records while executing, and the result it reports (--json prints FailoverJson as is).

import type { TopologyNode } from '../../topology/model';

export type FailoverMode = 'graceful' | 'forced';

/** One executed step: `rctl failover --json` lists them in the order they started. */
export interface FailoverStep {
  step: string;
  node: string;
  ms: number;
  ok: boolean;
}

/** `rctl failover --json`. The key set and order are a stable interface. */
export interface FailoverJson {
  from: string;
  to: string;
  mode: FailoverMode;
  steps: FailoverStep[];
  /** Full resyncs during the switch, from INFO stats sync_full deltas of every reachable node. */
  fullResyncs: number;
  /** Partial resyncs accepted during the switch (sync_partial_ok deltas). */
  partialResyncs: number;
  /** From CLIENT PAUSE to CLIENT UNPAUSE on the old master; 0 when it was unreachable. Before 6.2: the pause's fixed length. */
  writesPausedMs: number;
  /** Reads held too: the old master's version has no CLIENT PAUSE WRITE (before 6.2); else 0. */
  readsPausedMs: number;
  /** From the start of the operation until every reachable node is linked to the new master. */
  durationMs: number;
  /** On a Sentinel-managed set: how the sentinels made the switch. */
  sentinel?: SentinelSwitchJson;
}

/** `sentinel` in `rctl failover --json` on a Sentinel-managed set. The key set and order are a stable interface. */
export interface SentinelSwitchJson {
  masterName: string;
  /** The sentinels sent SENTINEL FAILOVER, in order (more than one when the first stopped answering). */
  asked: string[];
  /** From the first priority change until the sentinel's own view chose the candidate. */
  steerMs: number;
  /** From the first SENTINEL FAILOVER until the candidate answered as a master. */
  promotedMs: number | null;
  /** From the first SENTINEL FAILOVER until every sentinel that answers named the new master. */
  agreedMs: number | null;
  /** Each replica's replica-priority before and during the switch; every one is put back. */
  priorities: Array<{ node: string; priority: number; steeredTo: number }>;
}

/** A replica that may be promoted, with what ranks it. */
export interface Candidate {
  node: TopologyNode;
  priority: number;
  offset: number;
  /** Bytes behind the master (graceful) or behind the most advanced replica (forced). */
  lagBytes: number;
  replid: string | null;
}

/** One line of the plan `--dry-run` prints and the confirmation prompt shows. */
export interface PlannedStep {
  step: string;
  node: string;
  /** The exact commands, the password shown as <password>. */
  command: string;
}
