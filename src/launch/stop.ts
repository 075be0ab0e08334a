// `rctl down`: stop the nodes rctl launched. SHUTDOWN first (the node saves and exits cleanly),
// then SIGTERM, then SIGKILL, each after a timeout. External nodes are never touched.

import { rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { RctlError } from '../errors';
import { clearSwitchRecord } from '../state/switch-record';
import { masterRecordPath } from '../state/master-record';
import { NodeSession } from '../node/node-session';
import type { Reporter } from '../node/reporter';
import { waitFor, WaitTimeoutError } from '../node/wait';
import type { Topology, TopologyNode } from '../topology/model';
import { processAlive } from '../state/pid';
import { runningPid } from './process';
import type { NodePaths, TopologyState } from '../state/topology-state';

export type StopOutcome = 'stopped' | 'terminated' | 'killed' | 'not running' | 'external';

export interface StopResult {
  name: string;
  address: string;
  outcome: StopOutcome;
  pid: number | null;
  /** Why SHUTDOWN was not used or did not work, when signals were needed. */
  note: string | null;
  purged: boolean;
}

export interface StopOptions {
  state: TopologyState;
  /** Connect/reply limit for SHUTDOWN. */
  timeoutMs: number;
  /** How long to wait for the process after SHUTDOWN, and again after SIGTERM. */
  graceMs: number;
  purge: boolean;
  reporter: Reporter;
}

async function exitedWithin(pid: number, ms: number): Promise<boolean> {
  try {
    await waitFor(async () => (processAlive(pid) ? { done: false, reason: 'still running' } : { done: true, value: true }), { interval: 25, timeout: ms });
    return true;
  } catch (error) {
    if (error instanceof WaitTimeoutError) return false;
    throw error;
  }
}

async function stopOne(topology: Topology, node: TopologyNode, options: StopOptions): Promise<StopResult> {
  const base = { name: node.name, address: node.address, note: null as string | null, purged: false };
  if (node.launch === 'external') return { ...base, outcome: 'external', pid: null };
  const paths = options.state.nodePaths(node.name);
  const pid = runningPid(paths);
  let result: StopResult;
  if (pid === null) {
    result = { ...base, outcome: 'not running', pid: null };
  } else {
    let note: string | null = null;
    try {
      const session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs: options.timeoutMs });
      // SHUTDOWN has no reply on success: the connection just closes.
      await session.call(['SHUTDOWN']).catch(() => undefined);
      session.close();
    } catch (error) {
      if (!(error instanceof RctlError)) throw error;
      note = `SHUTDOWN impossible: ${error.message}`;
    }
    if (await exitedWithin(pid, options.graceMs)) {
      result = { ...base, outcome: 'stopped', pid, note };
    } else {
      const outcome = await terminate(pid, options.graceMs);
      result = { ...base, outcome, pid, note: note ?? (outcome === 'terminated' ? 'SHUTDOWN did not stop it in time' : 'ignored SHUTDOWN and SIGTERM') };
    }
  }
  return afterStop(paths, result, options.purge);
}

/** SIGTERM, and SIGKILL when the process is still there after `graceMs`. */
export async function terminate(pid: number, graceMs: number): Promise<'terminated' | 'killed'> {
  process.kill(pid, 'SIGTERM');
  if (await exitedWithin(pid, graceMs)) return 'terminated';
  process.kill(pid, 'SIGKILL');
  await exitedWithin(pid, 2000);
  return 'killed';
}

/** Drops the pid file of a stopped process and, with `purge`, its whole directory. */
export function afterStop(paths: NodePaths, result: StopResult, purge: boolean): StopResult {
  if (result.pid !== null) {
    try {
      unlinkSync(paths.pid);
    } catch {
      // the process removed it itself
    }
  }
  if (purge) {
    rmSync(paths.dir, { recursive: true, force: true });
    result.purged = true;
  }
  return result;
}

export async function stopTopology(topology: Topology, options: StopOptions): Promise<StopResult[]> {
  // Replicas first: a master stopping with connected replicas waits for them to catch up.
  const replicas = topology.nodes.filter((n) => n.role === 'replica');
  options.reporter.step(`stopping ${topology.nodes.filter((n) => n.launch !== 'external').map((n) => n.name).join(', ') || 'nothing (all nodes are external)'}`);
  const replicaResults = await Promise.all(replicas.map((n) => stopOne(topology, n, options)));
  const masterResult = await stopOne(topology, topology.master, options);
  if (options.purge) {
    // The record of the master describes data that is gone now, and so do a purged node's switch leftovers.
    rmSync(masterRecordPath(options.state), { force: true });
    for (const result of [...replicaResults, masterResult]) if (result.purged) clearSwitchRecord(options.state, result.name);
    try {
      rmdirSync(options.state.dir);
    } catch {
      // not empty (external nodes never had a dir; other files stay) or already gone
    }
  }
  const byName = new Map([...replicaResults, masterResult].map((r) => [r.name, r]));
  return topology.nodes.map((n) => byName.get(n.name) as StopResult);
}
