// The replica-priority values a switchover through Sentinel changed to steer the sentinels'
// choice, kept in RCTL_HOME/<topology>/sentinel-steering.json from just before the first change
// until every one is put back. Sentinel persists what it finds (it sends CONFIG REWRITE to every
// replica it reconfigures), so a priority of 0 left behind by a killed rctl would survive
// restarts and keep that replica out of every later failover: `rctl up` and the next failover put
// them back from here (failover/steering.ts).

import { readRecordObject, removeRecord, writePrivateJson } from './private-file';
import type { TopologyState } from './topology-state';

const STEERING_FILE = 'sentinel-steering.json';

export interface SteeredNode {
  name: string;
  host: string;
  port: number;
  /** Its replica-priority before the switch: what is put back. */
  priority: number;
}

export interface SteeringRecord {
  pid: number;
  startedAt: string;
  /** The replica the sentinels were steered to. */
  candidate: string;
  nodes: SteeredNode[];
}

export function steeringRecordPath(state: TopologyState): string {
  return state.recordPath(STEERING_FILE);
}

function steeredNode(value: unknown): SteeredNode | null {
  if (value === null || typeof value !== 'object') return null;
  const node = value as Record<string, unknown>;
  if (typeof node.name !== 'string' || typeof node.host !== 'string' || typeof node.port !== 'number' || typeof node.priority !== 'number') return null;
  return { name: node.name, host: node.host, port: node.port, priority: node.priority };
}

export function readSteeringRecord(state: TopologyState): SteeringRecord | null {
  const data = readRecordObject(steeringRecordPath(state));
  if (!data || typeof data.pid !== 'number' || !Array.isArray(data.nodes)) return null;
  const nodes = data.nodes.map(steeredNode).filter((node): node is SteeredNode => node !== null);
  return { pid: data.pid, startedAt: String(data.startedAt ?? ''), candidate: String(data.candidate ?? ''), nodes };
}

/** Written whole and renamed into place; an empty list removes the record. */
export function writeSteeringRecord(state: TopologyState, record: SteeringRecord): void {
  if (record.nodes.length === 0) removeRecord(steeringRecordPath(state));
  else writePrivateJson(steeringRecordPath(state), record);
}
