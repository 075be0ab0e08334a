// What a graceful switch changed on the old master, kept in RCTL_HOME/<topology>/switch.json from
// just before the pause until every change is undone. A failover that cannot undo them (rctl
// killed, the old master cut off by a partition) leaves the file behind: `rctl status` shows it,
// and `rctl up` or the next `rctl failover` repairs the node from it (repair.ts).
//
// It lives apart from the lock on purpose: the lock ends with its process, while a node left
// fenced or paused needs repairing whenever it becomes reachable again, across later failovers.

import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../../launch/process';

export const SWITCH_RECORD_FILE = 'switch.json';

/** How far the switch got on the old master: each stage implies the ones before it. */
export type SwitchStage =
  /** About to pause writes (CLIENT PAUSE with a deadline) and raise the PING period. */
  | 'pausing'
  /** About to refuse writes for good (min-replicas-to-write), so a promotion cannot make two writable masters. */
  | 'fencing';

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
}

export function switchRecordPath(home: string, topologyName: string): string {
  return join(home, topologyName, SWITCH_RECORD_FILE);
}

const STAGES: readonly SwitchStage[] = ['pausing', 'fencing'];

export function readSwitchRecord(home: string, topologyName: string): SwitchRecord | null {
  let data: Partial<SwitchRecord>;
  try {
    data = JSON.parse(readFileSync(switchRecordPath(home, topologyName), 'utf8')) as Partial<SwitchRecord>;
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
    !STAGES.includes(data.stage) ||
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
  };
}

/** Written whole and renamed into place: a reader never sees half a record. */
export function writeSwitchRecord(home: string, topologyName: string, record: SwitchRecord): void {
  const path = switchRecordPath(home, topologyName);
  mkdirSync(join(home, topologyName), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record) + '\n', { mode: 0o600 });
  renameSync(temporary, path);
}

export function clearSwitchRecord(home: string, topologyName: string): void {
  try {
    unlinkSync(switchRecordPath(home, topologyName));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** One line for `rctl status` and warnings: what the node may still be left with. */
export function describeLeftover(record: SwitchRecord): string {
  return record.stage === 'fencing'
    ? 'write-paused until its CLIENT PAUSE deadline and possibly fenced (min-replicas-to-write: it refuses writes)'
    : 'write-paused until its CLIENT PAUSE deadline, with its replication PING period raised';
}

/** A switch record nobody is working on any more: its rctl is gone. */
export function abandonedSwitch(topology: { name: string }, home: string): SwitchRecord | null {
  const record = readSwitchRecord(home, topology.name);
  if (!record || (record.pid !== process.pid && processAlive(record.pid))) return null;
  return record;
}

/** The problem `rctl status` shows on the node an interrupted switch left behind. */
export function leftoverProblem(record: SwitchRecord): string {
  return `an interrupted failover (pid ${record.pid}, started ${record.startedAt}) left it ${describeLeftover(record)}; \`rctl up\` repairs it`;
}
