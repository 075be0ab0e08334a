// What a graceful switch changed on the old master, kept in RCTL_HOME/<topology>/switch-<node>.json
// from just before the pause until every change is undone. A failover that cannot undo them (rctl
// killed, the old master cut off by a partition) leaves the file behind: `rctl status` shows it,
// and `rctl up` or the next `rctl failover` repairs the node from it (repair.ts).
//
// It lives apart from the lock on purpose: the lock ends with its process, while a node left
// fenced or paused needs repairing whenever it becomes reachable again, across later failovers,
// hence one file per node: a later switch never overwrites what an earlier one left elsewhere.

import { readdirSync, readFileSync } from 'node:fs';
import { processAlive } from './pid';
import { removeRecord, writePrivateJson } from './private-file';
import type { TopologyState } from './topology-state';

const RECORD_FILE = /^switch-(.+)\.json$/;

/** How far the switch got on the old master: each stage implies the ones before it. */
export type SwitchStage =
  /** About to pause writes (CLIENT PAUSE with a deadline) and raise the PING period. */
  | 'pausing'
  /** About to refuse writes for good (min-replicas-to-write), so a promotion cannot make two writable masters. */
  | 'fencing'
  /** Before 6.2: fenced, and about to be made a replica of the candidate (pause.ts). */
  | 'demoting'
  /** Fenced, and about to promote the candidate: it may be a master from here on. */
  | 'promoting';

export interface SwitchRecord {
  pid: number;
  startedAt: string;
  /** The old master: the node whose settings must come back. */
  node: { name: string; host: string; port: number };
  /** The candidate being promoted. */
  candidate: string;
  stage: SwitchStage;
  /** CONFIG SET arguments that put the node's settings back as they were before the switch. */
  restore: Record<string, string>;
  /** Set when the node answered but refused to have its settings put back: the server's own error. */
  failure?: string;
  /** Before 6.2: its active expiry was stopped for the switch (DEBUG SET-ACTIVE-EXPIRE 0), to start again. */
  activeExpireStopped?: boolean;
}

/** Node names are file-name safe (the topology schema's name pattern). */
export function switchRecordPath(state: TopologyState, nodeName: string): string {
  return state.recordPath(`switch-${nodeName}.json`);
}

export const SWITCH_STAGES: readonly SwitchStage[] = ['pausing', 'fencing', 'demoting', 'promoting'];

export function readSwitchRecord(state: TopologyState, nodeName: string): SwitchRecord | null {
  let data: Partial<SwitchRecord>;
  try {
    data = JSON.parse(readFileSync(switchRecordPath(state, nodeName), 'utf8')) as Partial<SwitchRecord>;
  } catch {
    return null;
  }
  const node = data.node;
  if (
    typeof data.pid !== 'number' ||
    !node ||
    typeof node.host !== 'string' ||
    typeof node.port !== 'number' ||
    typeof data.stage !== 'string' ||
    !SWITCH_STAGES.includes(data.stage) ||
    typeof data.restore !== 'object' ||
    data.restore === null
  ) {
    return null;
  }
  const restore: Record<string, string> = {};
  for (const [name, value] of Object.entries(data.restore)) if (typeof value === 'string') restore[name] = value;
  return {
    pid: data.pid,
    startedAt: String(data.startedAt ?? ''),
    node: { name: String(node.name ?? ''), host: node.host, port: node.port },
    candidate: String(data.candidate ?? ''),
    stage: data.stage,
    restore,
    ...(typeof data.failure === 'string' ? { failure: data.failure } : {}),
    ...(data.activeExpireStopped === true ? { activeExpireStopped: true } : {}),
  };
}

/** Written whole and renamed into place: a reader never sees half a record. */
export function writeSwitchRecord(state: TopologyState, record: SwitchRecord): void {
  writePrivateJson(switchRecordPath(state, record.node.name), record);
}

export function clearSwitchRecord(state: TopologyState, nodeName: string): void {
  removeRecord(switchRecordPath(state, nodeName));
}

/** One line for `rctl status` and warnings: what the node may still be left with. */
export function describeLeftover(record: SwitchRecord): string {
  switch (record.stage) {
    case 'pausing':
      return 'write-paused until its CLIENT PAUSE deadline, with its replication PING period raised';
    case 'fencing':
      return record.activeExpireStopped
        ? 'possibly fenced (min-replicas-to-write: it refuses writes, but before Redis 6.2 not those of scripts), with its active expiry stopped and hz raised'
        : 'write-paused until its CLIENT PAUSE deadline and possibly fenced (min-replicas-to-write: it refuses writes)';
    case 'demoting':
      return `fenced (min-replicas-to-write: it refuses writes) and possibly made a replica of ${record.candidate || 'the candidate'}, which was not promoted`;
    case 'promoting':
      return `fenced (min-replicas-to-write: it refuses writes) while ${record.candidate || 'the candidate'} was being promoted`;
  }
}

/** Every node's record, in name order. */
export function readSwitchRecords(state: TopologyState): SwitchRecord[] {
  let names: string[];
  try {
    names = readdirSync(state.dir);
  } catch {
    return [];
  }
  return names
    .map((file) => RECORD_FILE.exec(file)?.[1])
    .filter((node): node is string => node !== undefined)
    .sort()
    .map((node) => readSwitchRecord(state, node))
    .filter((record): record is SwitchRecord => record !== null);
}

/** Switch records nobody is working on any more: their rctl is gone. */
export function abandonedSwitches(state: TopologyState): SwitchRecord[] {
  return readSwitchRecords(state).filter((record) => record.pid === process.pid || !processAlive(record.pid));
}

/** Which switch left the node so, and, when the node refused to be restored, what it said. */
export function switchOrigin(record: SwitchRecord): string {
  const which = `failover (pid ${record.pid}, started ${record.startedAt})`;
  return record.failure ? `a ${which} that could not restore its settings (${record.failure})` : `an interrupted ${which}`;
}

/** The problem `rctl status` shows on the node an interrupted switch left behind. */
export function leftoverProblem(record: SwitchRecord): string {
  return `${switchOrigin(record)} left it ${describeLeftover(record)}; \`rctl up\` repairs it`;
}
