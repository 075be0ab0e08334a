// The plan and the report of a rolling restart or upgrade (`rctl restart`, `rctl upgrade`).

import type { RollingKind } from '../../state/rolling-record';
import type { FailoverJson } from '../failover/types';

export type { RollingKind };

/** How a node is stopped and brought back. */
export type RestartMethod =
  /** rctl launched it: SHUTDOWN SAVE, then rctl starts it again (on the new binary for an upgrade). */
  | 'launched'
  /** The operator's --exec command restarts it; rctl prepares the snapshot and verifies. */
  | 'exec';

export interface LaunchChoice {
  launch: 'embedded' | 'redis-server';
  /** launch: redis-server: the executable. */
  redisServer?: string;
  /** The Redis version it runs (the bundled node: the version it emulates). */
  version: string;
  bundled: boolean;
}

export interface RollingNodePlan {
  name: string;
  address: string;
  /** Its role when its turn comes: the master goes last, as a replica of the new master. */
  turnRole: 'replica' | 'old master';
  method: RestartMethod;
  /** What rctl runs for it, in order, as shown by --dry-run (no secret ever appears). */
  commands: string[];
  versionBefore: string | null;
  /** upgrade: the version it moves to. */
  versionAfter: string | null;
  /**
   * appendonly yes on a launched node: started once with --appendonly no (it then loads the RDB
   * with its replication ID), and its AOF rebuilt with CONFIG SET appendonly yes once it caught up.
   */
  reenableAof: boolean;
  /** What its master should see when it is back: a partial resync, or a full one (and why). */
  expectedResync: 'partial' | 'full';
  reason: string;
  /** Already done by an interrupted earlier run (or already on the target version): skipped. */
  skip: string | null;
}

export interface RollingPlan {
  kind: RollingKind;
  /** The master when the operation starts. */
  master: string;
  /** The nodes in the order they are restarted. */
  nodes: RollingNodePlan[];
  /** Before the old master's turn: a graceful switchover to a replica that is already done. */
  switchover: { from: string; to: string } | null;
  /** upgrade: where the nodes move to. */
  target: LaunchChoice | null;
  warnings: string[];
}

export interface RollingNodeResult {
  name: string;
  address: string;
  skipped: boolean;
  /** From stopping it to its link being up again and caught up. */
  ms: number;
  /** Not accepting connections (stop until it answers again). */
  downMs: number;
  resync: 'partial' | 'full' | 'none';
  versionBefore: string | null;
  versionAfter: string | null;
}

export interface RollingJson {
  kind: RollingKind;
  dryRun: boolean;
  masterBefore: string;
  masterAfter: string;
  target: LaunchChoice | null;
  plan: RollingNodePlan[];
  nodes: RollingNodeResult[];
  switchover: FailoverJson | null;
  /** Full resyncs seen on the masters while the nodes came back (INFO stats sync_full deltas), the switchover's included. */
  fullResyncs: number;
  partialResyncs: number;
  /** Writes were held only during the switchover (its pause). */
  writesPausedMs: number;
  durationMs: number;
  warnings: string[];
  /** The write rate measured on the master and the repl-backlog-size every node ran with (null: unchanged); null on a dry run. */
  backlog: { writeRate: number; raisedTo: number | null } | null;
}
