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
