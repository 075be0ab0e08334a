// What a rolling restart or upgrade has done so far, kept in RCTL_HOME/<topology>/rolling.json
// from before the first node is stopped until the last one is back. A killed rctl leaves it
// behind: `rctl status` then names what was done and the exact command that finishes the job,
// and that rerun skips the nodes listed as done.

import { processAlive } from './pid';
import { readRecordObject, removeRecord, writePrivateJson } from './private-file';
import type { TopologyState } from './topology-state';

const ROLLING_FILE = 'rolling.json';

export type RollingKind = 'restart' | 'upgrade';

/** A node's repl-backlog-size before the operation raised it. */
export interface BacklogOriginal {
  node: string;
  bytes: number;
}

export interface RollingRecord {
  pid: number;
  kind: RollingKind;
  startedAt: string;
  /** upgrade: what every node moves to ("embedded", or a redis-server path). */
  target: string | null;
  /** Every node of the operation, in the order they are restarted. */
  order: string[];
  /** The nodes already back, linked and caught up. */
  done: string[];
  /** The node being restarted now, if any. */
  current: string | null;
  /** The command that finishes what is left. */
  resume: string;
  /** The backlog sizes to put back when the operation ends (the rerun of an interrupted one too). */
  backlog: BacklogOriginal[];
}

export function rollingRecordPath(state: TopologyState): string {
  return state.recordPath(ROLLING_FILE);
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

export function readRollingRecord(state: TopologyState): RollingRecord | null {
  const data = readRecordObject(rollingRecordPath(state));
  if (!data || typeof data.pid !== 'number' || (data.kind !== 'restart' && data.kind !== 'upgrade')) return null;
  return {
    pid: data.pid,
    kind: data.kind,
    startedAt: String(data.startedAt ?? ''),
    target: typeof data.target === 'string' ? data.target : null,
    order: strings(data.order),
    done: strings(data.done),
    current: typeof data.current === 'string' ? data.current : null,
    resume: String(data.resume ?? ''),
    backlog: Array.isArray(data.backlog)
      ? data.backlog.filter((b): b is BacklogOriginal => typeof b === 'object' && b !== null && typeof b.node === 'string' && typeof b.bytes === 'number')
      : [],
  };
}

export function writeRollingRecord(state: TopologyState, record: RollingRecord): void {
  writePrivateJson(rollingRecordPath(state), record);
}

export function clearRollingRecord(state: TopologyState): void {
  removeRecord(rollingRecordPath(state));
}

/** A record whose rctl is gone: the operation stopped half way. */
export function interruptedRolling(state: TopologyState): RollingRecord | null {
  const record = readRollingRecord(state);
  return record && record.pid !== process.pid && !processAlive(record.pid) ? record : null;
}

export function interruptedRollingProblem(record: RollingRecord): string {
  const left = record.order.filter((name) => !record.done.includes(name));
  const during = record.current ? `, stopped while restarting ${record.current}` : '';
  return `a rolling ${record.kind} started ${record.startedAt} was interrupted${during} (done: ${record.done.join(', ') || 'none'}; left: ${left.join(', ')}): run \`${record.resume}\``;
}
