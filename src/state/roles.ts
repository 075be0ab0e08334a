// The roles overlay. A failover moves the master role, but the operator's topology file stays
// theirs (comments, layout, version control): the recorded master lives in
// RCTL_HOME/<topology>/roles.json instead, and loading a topology applies it, so `rctl up` is a
// no-op after a failover and `rctl status` shows no drift.
//
// The overlay remembers which master the file declared when it was written. When the operator
// edits the file to declare another master, the file wins and the overlay is ignored: an old
// failover never silently overrides a deliberate edit. Reset: delete roles.json (`rctl up` then
// restores the file's roles); a failover back to the file's master deletes it too.

import type { AppliedRoles, Topology, TopologyNode } from '../topology/model';
import { readRecordObject, removeRecord, writePrivateJson } from './private-file';
import { TopologyState } from './topology-state';

export const ROLES_FILE = 'roles.json';

export interface RolesOverlay {
  /** The node that is the master now. */
  master: string;
  /** ISO time of the change. */
  changedAt: string;
  /** failover: `rctl failover` moved the master; sentinel: rctl followed the master the sentinels agree on. */
  by: 'failover' | 'sentinel';
  /** The master the topology file declared when the overlay was written. */
  fileMaster: string;
  /** The master before this change. */
  previous: string;
  /** Nodes that were unreachable during the switch: `rctl up` rejoins them as replicas. */
  rejoin: string[];
}

export function rolesPath(state: TopologyState): string {
  return state.recordPath(ROLES_FILE);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The overlay, or null when there is none or it is unreadable (an unreadable overlay never blocks a command). */
export function readRolesOverlay(state: TopologyState): RolesOverlay | null {
  const record = readRecordObject(rolesPath(state));
  if (!record || typeof record.master !== 'string' || typeof record.fileMaster !== 'string') return null;
  return {
    master: record.master,
    changedAt: typeof record.changedAt === 'string' ? record.changedAt : '',
    by: record.by === 'sentinel' ? 'sentinel' : 'failover',
    fileMaster: record.fileMaster,
    previous: typeof record.previous === 'string' ? record.previous : record.fileMaster,
    rejoin: isStringArray(record.rejoin) ? record.rejoin : [],
  };
}

export function writeRolesOverlay(state: TopologyState, overlay: RolesOverlay): void {
  writePrivateJson(rolesPath(state), overlay, { pretty: true });
}

export function clearRolesOverlay(state: TopologyState): void {
  removeRecord(rolesPath(state));
}

/** The topology with `masterName` as its master and every other node a replica. */
export function withMaster(topology: Topology, masterName: string, roles?: AppliedRoles): Topology {
  const nodes: TopologyNode[] = topology.nodes.map((node) => ({ ...node, role: node.name === masterName ? 'master' : 'replica' }));
  const master = nodes.find((node) => node.role === 'master');
  if (!master) throw new Error(`no node named ${masterName} in ${topology.name}`);
  return { ...topology, nodes, master, replicas: nodes.filter((node) => node.role === 'replica'), ...(roles ? { roles } : {}) };
}

/** Applies RCTL_HOME's overlay to a topology as the file declares it. */
export function applyRolesOverlay(topology: Topology, home: string): Topology {
  const state = new TopologyState(home, topology.name);
  const overlay = readRolesOverlay(state);
  if (!overlay || overlay.fileMaster !== topology.master.name) return topology;
  if (!topology.nodes.some((node) => node.name === overlay.master)) return topology;
  const roles: AppliedRoles = { master: overlay.master, fileMaster: overlay.fileMaster, changedAt: overlay.changedAt, file: rolesPath(state), rejoin: overlay.rejoin };
  return withMaster(topology, overlay.master, roles);
}

/** Drops nodes from the overlay's rejoin list once `rctl up` has made them replicas again. */
export function forgetRejoined(state: TopologyState, rejoined: string[]): void {
  const overlay = readRolesOverlay(state);
  if (!overlay || !overlay.rejoin.some((name) => rejoined.includes(name))) return;
  try {
    writeRolesOverlay(state, { ...overlay, rejoin: overlay.rejoin.filter((name) => !rejoined.includes(name)) });
  } catch {
    // the list only words messages; a read-only RCTL_HOME keeps the stale names
  }
}
