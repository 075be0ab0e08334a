// The --json results of the commands whose shape is assembled in commands/ (up, down) rather than
// returned whole by src/. Kept here, beside their zod schemas, so every output contract has one home.

import type { StatusReport } from '../cluster/status';
import type { UpAction } from '../cluster/up';
import type { StopResult } from '../launch/stop';

/** `rctl up --json`. */
export interface UpJson {
  topology: string;
  file: string;
  changed: boolean;
  actions: UpAction[];
  warnings: string[];
  status: StatusReport;
}

/** `rctl down --json`. */
export interface DownJson {
  topology: string;
  file: string;
  nodes: StopResult[];
  /** Sentinel-managed sets only: the sentinels, stopped first (launch: redis-sentinel) or left alone (external). */
  sentinels?: StopResult[];
}

/** `rctl server --json`: the node's exit code once it stopped. */
export interface ServerJson {
  exitCode: number;
}
