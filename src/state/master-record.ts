// What rctl last saw of the master when the set was known good: RCTL_HOME/<topology>/master.json.
// A master running without persistence that restarts comes back empty with a new run id and its
// offset back at 0; its replicas then copy the empty dataset. The live facts of a lone master
// cannot tell "restarted empty" from "new and empty"; this record can (src/cluster/master-restart.ts).

import type { ReplicationFacts } from '../node/info';
import { readRecordObject, writePrivateJson } from './private-file';
import type { TopologyState } from './topology-state';

export const MASTER_RECORD_FILE = 'master.json';

export interface MasterRecord {
  /** The node's name in the topology: a record of another node than the current master is ignored. */
  name: string;
  address: string;
  runId: string | null;
  replid: string | null;
  offset: number | null;
  keys: number;
  /** ISO time. */
  recordedAt: string;
}

export function masterRecordPath(state: TopologyState): string {
  return state.recordPath(MASTER_RECORD_FILE);
}

/** Writes the master's identity (0600, write-then-rename so a reader never sees half a file). */
export function recordMasterIdentity(state: TopologyState, name: string, address: string, facts: ReplicationFacts, now: Date = new Date()): MasterRecord {
  const record: MasterRecord = {
    name,
    address,
    runId: facts.runId ?? null,
    replid: facts.replid,
    offset: facts.offset,
    keys: facts.keys,
    recordedAt: now.toISOString(),
  };
  writePrivateJson(masterRecordPath(state), record, { pretty: true });
  return record;
}

const nullableString = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const nullableNumber = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The record, or null when there is none or it is unreadable: a damaged record never blocks a command. */
export function readMasterRecord(state: TopologyState): MasterRecord | null {
  const raw = readRecordObject(masterRecordPath(state));
  if (!raw || typeof raw.name !== 'string') return null;
  return {
    name: raw.name,
    address: typeof raw.address === 'string' ? raw.address : '',
    runId: nullableString(raw.runId),
    replid: nullableString(raw.replid),
    offset: nullableNumber(raw.offset),
    keys: nullableNumber(raw.keys) ?? 0,
    recordedAt: typeof raw.recordedAt === 'string' ? raw.recordedAt : '',
  };
}
