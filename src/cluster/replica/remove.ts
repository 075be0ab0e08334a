// `rctl replica remove NAME`: take a replica out of the set and out of the topology file.
//
// Refused (exit 5): the current master (fail over first), and the last failover candidate (a
// replica with priority > 0 that follows the master), unless confirmed or --yes.
//
// Detaching. Redis has no "stop replicating but stay read-only": REPLICAOF NO ONE makes a node a
// master that accepts every write, and a client still pointed at it would write beside the set
// without an error. So:
//   - a node rctl launched is stopped (`rctl down`'s SHUTDOWN, then signals); its directory under
//     $RCTL_HOME, data included, is kept;
//   - a node that keeps running (launch: external, or --keep-running) is fenced first, then
//     detached: min-replicas-to-write set beyond any possible count (the fence of a failover's old
//     master: every write gets -NOREPLICAS), then REPLICAOF NO ONE, persisted with CONFIG REWRITE.
//     It keeps every key, reads still work, and it is nobody's replica, so the master and the
//     sentinels can forget it. Its owner lifts the fence with CONFIG SET min-replicas-to-write 0.
//     Nothing is ever flushed: destroying its data is not rctl's decision.
//
// The order, so that a rerun finishes an interrupted remove: detach, wait until the master no
// longer lists it, SENTINEL RESET (Sentinel-managed sets), and only then edit the file and rctl's
// records. Until the file changes the node is declared, so `rctl status` shows it (not running,
// or "declared replica, but is a master"), and rerunning the same remove skips what is done
// (a stopped node is "not running", a fenced one is fenced again harmlessly).

import { BadInputError, NodeFailureError, RctlError, RefusedError } from '../../errors';
import { NodeSession } from '../../node/node-session';
import type { Reporter } from '../../node/reporter';
import { waitFor, WaitTimeoutError } from '../../node/wait';
import { stopTopology, type StopOutcome } from '../../launch/stop';
import { applyRolesOverlay, clearRolesOverlay, forgetRejoined } from '../../state/roles';
import { clearSwitchRecord } from '../../state/switch-record';
import type { TopologyState } from '../../state/topology-state';
import { didYouMean } from '../../topology/did-you-mean';
import { editTopologyFile, removeNodeFromText } from '../../topology/edit';
import type { Topology, TopologyNode } from '../../topology/model';
import type { LaunchMode } from '../../topology/schema';
import { shownText } from '../../topology/shown-text';
import { fenceSettings, FENCE_MIN_REPLICAS, withDefaults } from '../failover/switch-settings';
import { persistConfig } from '../persist-config';
import { followsMaster } from '../safety';
import { observeStatus } from '../sentinel/status';
import type { StatusReport, StatusView } from '../status';
import type { UpAction } from '../up';
import { replicaStateOnMaster } from './master-side';
import { sameMasterAs, withCurrentMaster } from './master';
import { forgetReplica } from './sentinels';

/** How the node left the set: a launched node's stop outcome, fenced (detached, writes refused), or unreachable (not detached). */
export type DetachOutcome = Exclude<StopOutcome, 'external'> | 'fenced' | 'unreachable';

export interface ReplicaRemoveOptions {
  state: TopologyState;
  timeoutMs: number;
  waitMs: number;
  /** How long a launched node may take to exit after SHUTDOWN, and again after SIGTERM. */
  graceMs: number;
  keepRunning: boolean;
  reporter: Reporter;
  /** Asked when the node is the last failover candidate; false refuses (exit 5). */
  confirmLastCandidate: (question: string) => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
}

/** `rctl replica remove --json`. */
export interface ReplicaRemoveResult {
  topology: string;
  file: string;
  node: string;
  address: string;
  launch: LaunchMode;
  master: string;
  detached: DetachOutcome;
  actions: UpAction[];
  warnings: string[];
  /** The set after the removal. */
  status: StatusReport;
}

// Redis's default replica-priority, for a node whose own cannot be read.
const DEFAULT_PRIORITY = 100;

/** A replica that follows the master and may be promoted (priority > 0), as it answers now. */
async function isLiveCandidate(topology: Topology, node: TopologyNode, timeoutMs: number): Promise<boolean> {
  let session: NodeSession | null = null;
  try {
    session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs, deadline: Date.now() + timeoutMs });
    const facts = await session.facts();
    if (!followsMaster(facts, topology.master.host, topology.master.port)) return false;
    const priority = node.priority ?? Number((await session.configGet('replica-priority')) ?? DEFAULT_PRIORITY);
    return priority > 0;
  } catch (error) {
    if (error instanceof RctlError) return false;
    throw error;
  } finally {
    session?.close();
  }
}

/** Whether the node to remove counts as a candidate: its priority (the file's, else its own; a silent node's default). */
async function priorityOf(topology: Topology, node: TopologyNode, timeoutMs: number): Promise<number> {
  if (node.priority !== undefined) return node.priority;
  let session: NodeSession | null = null;
  try {
    session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs, deadline: Date.now() + timeoutMs });
    return Number((await session.configGet('replica-priority')) ?? DEFAULT_PRIORITY);
  } catch (error) {
    if (error instanceof RctlError) return DEFAULT_PRIORITY;
    throw error;
  } finally {
    session?.close();
  }
}

/** Fence, then REPLICAOF NO ONE, then CONFIG REWRITE: never a moment as a writable master. */
async function fenceAndDetach(topology: Topology, node: TopologyNode, options: ReplicaRemoveOptions, actions: UpAction[], warn: (text: string) => void): Promise<DetachOutcome> {
  let session: NodeSession;
  try {
    session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs: options.timeoutMs });
  } catch (error) {
    if (!(error instanceof RctlError)) throw error;
    warn(`${node.name} (${node.address}) did not answer, so it was not detached (${error.message}); should it come back, it still replicates ${topology.master.name}: fence it with CONFIG SET min-replicas-to-write ${FENCE_MIN_REPLICAS}, then REPLICAOF NO ONE`);
    return 'unreachable';
  }
  try {
    options.reporter.step(`detaching ${node.name}: writes fenced (min-replicas-to-write), REPLICAOF NO ONE`);
    await session.supportedCapabilities();
    const read = await session.configGetMany(['min-replicas-to-write', 'min-replicas-max-lag'] as const);
    const changes: Array<readonly [string, string]> = [];
    if (read['min-replicas-to-write'] !== FENCE_MIN_REPLICAS) changes.push(...fenceSettings(withDefaults(read)));
    if (changes.length > 0) {
      await session.configSet(changes);
      actions.push({ node: node.name, action: 'config set', detail: `CONFIG SET ${changes.map(([k, v]) => `${k} ${v}`).join(' ')} (writes refused with -NOREPLICAS)` });
    }
    const facts = await session.facts();
    if (facts.role !== 'master') {
      await session.expect(['REPLICAOF', 'NO', 'ONE'], 'REPLICAOF NO ONE');
      actions.push({ node: node.name, action: 'detached', detail: 'REPLICAOF NO ONE (fenced: keeps its keys, refuses writes)' });
    }
    if (changes.length > 0 || facts.role !== 'master') {
      const persisted = await persistConfig(topology, node, session, options.state);
      if (persisted === true) actions.push({ node: node.name, action: 'config rewrite', detail: 'CONFIG REWRITE' });
      else warn(persisted);
    }
    return 'fenced';
  } finally {
    session.close();
  }
}

/** Until the master's INFO no longer lists the node (the sentinels relearn replicas from it). */
async function waitUntilMasterForgets(topology: Topology, node: TopologyNode, options: ReplicaRemoveOptions): Promise<void> {
  const session = await NodeSession.open(topology.master, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs: options.timeoutMs });
  try {
    await waitFor(
      async () => ((replicaStateOnMaster(await session.info('replication'), node)) === null ? { done: true, value: undefined } : { done: false, reason: `${topology.master.name} still lists ${node.name} as a replica` }),
      { interval: 100, timeout: options.waitMs },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new NodeFailureError('SYNC_TIMEOUT', `${error.lastReason} after ${error.timeoutMs / 1000}s`, `check ${node.name}, then run \`rctl replica remove ${node.name}\` again`);
    }
    throw error;
  } finally {
    session.close();
  }
}

/** The result, and the status view the command renders as a table. */
export async function removeReplica(topology: Topology, name: string, options: ReplicaRemoveOptions): Promise<{ result: ReplicaRemoveResult; view: StatusView }> {
  const { reporter } = options;
  const declared = topology.nodes.find((n) => n.name === name);
  if (!declared) {
    throw new BadInputError('REPLICA_NOT_FOUND', `no node named "${shownText(name)}" in ${topology.displayFile}${didYouMean(name, topology.nodes.map((n) => n.name))}`, `nodes: ${topology.nodes.map((n) => n.name).join(', ')}`);
  }
  const managed = await withCurrentMaster(topology, { state: options.state, timeoutMs: options.timeoutMs });
  const node = managed.nodes.find((n) => n.name === name) as TopologyNode;
  if (node.name === managed.master.name) {
    throw new RefusedError('REMOVE_MASTER_REFUSED', `${node.name} (${node.address}) is the master of ${managed.name}`, `fail over first (\`rctl failover\`), then remove ${node.name}`);
  }
  const actions: UpAction[] = [];
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    reporter.warn(text);
  };

  reporter.step(`checking the failover candidates left without ${node.name}`);
  const others = managed.replicas.filter((r) => r.name !== node.name);
  const [ownPriority, ...live] = await Promise.all([priorityOf(managed, node, options.timeoutMs), ...others.map((r) => isLiveCandidate(managed, r, options.timeoutMs))]);
  if (ownPriority > 0 && !live.some(Boolean)) {
    const what = `the last failover candidate of ${managed.name}: without it${others.length > 0 ? ` (${others.map((r) => r.name).join(', ')} ${others.length === 1 ? 'is' : 'are'} down, not following ${managed.master.name} or priority 0)` : ''} a dead master has no successor`;
    if (!(await options.confirmLastCandidate(`${node.name} is ${what}. Remove it anyway?`))) {
      throw new RefusedError('LAST_CANDIDATE_REFUSED', `refusing to remove ${node.name}: it is ${what}`, `add a replica first (\`rctl replica add NAME HOST:PORT\`), or pass --yes`);
    }
  }

  let detached: DetachOutcome;
  if (node.launch !== 'external' && !options.keepRunning) {
    // stopTopology's per-node stop on a topology of this node alone, as its only (master) node:
    // the stop of `rctl down`, SHUTDOWN then signals, without touching any other node.
    const alone: TopologyNode = { ...node, role: 'master' };
    const [stopped] = await stopTopology({ ...managed, nodes: [alone], master: alone, replicas: [] }, { state: options.state, timeoutMs: Math.min(options.timeoutMs, 2000), graceMs: options.graceMs, purge: false, reporter });
    detached = stopped.outcome as DetachOutcome;
    if (stopped.outcome !== 'not running') actions.push({ node: node.name, action: 'stopped', detail: `${stopped.outcome} (pid ${stopped.pid}${stopped.note ? `; ${stopped.note}` : ''}); its files stay in ${options.state.nodePaths(node.name).dir}` });
  } else {
    detached = await fenceAndDetach(managed, node, options, actions, warn);
  }

  if (detached !== 'unreachable') {
    reporter.step(`waiting until ${managed.master.name} no longer lists ${node.name}`);
    await waitUntilMasterForgets(managed, node, options);
  }
  if (managed.sentinel) {
    const remaining = managed.replicas.filter((r) => r.name !== node.name);
    for (const warning of await forgetReplica(managed.sentinel, node, remaining, { waitMs: options.waitMs, timeoutMs: options.timeoutMs, reporter })) warn(warning);
    actions.push({ node: node.name, action: 'sentinel reset', detail: `SENTINEL RESET ${managed.sentinel.masterName}: the sentinels forgot ${node.name}` });
  }

  // The file last: until here the node is declared, so an interrupted remove stays visible.
  reporter.step(`removing ${node.name} from ${topology.displayFile}`);
  const fileMaster = topology.roles?.fileMaster ?? managed.roles?.fileMaster ?? topology.master.name;
  // The file's `role: master` is the node removed (a failover moved the role): the file takes the current master.
  const moveMaster = fileMaster === node.name ? managed.master.name : undefined;
  const edited = editTopologyFile(topology, (text) => removeNodeFromText(text, node.name, moveMaster), options.env ?? process.env);
  actions.push({ node: node.name, action: 'removed', detail: `removed from ${topology.displayFile}${moveMaster ? `; ${moveMaster} is its master now` : ''}` });

  // rctl's records: a file declaring the current master needs no overlay; a removed node is no
  // longer one to rejoin, nor one whose interrupted switch `up` should repair.
  if (moveMaster) clearRolesOverlay(options.state);
  else forgetRejoined(options.state, [node.name]);
  clearSwitchRecord(options.state, node.name);

  const current = sameMasterAs(applyRolesOverlay(edited, options.state.home), managed);
  reporter.step(`reading the status of ${current.name}`);
  const status = await observeStatus(current, { timeoutMs: options.timeoutMs, state: options.state });
  return {
    result: { topology: topology.name, file: topology.file, node: node.name, address: node.address, launch: node.launch, master: managed.master.name, detached, actions, warnings, status: status.report },
    view: status,
  };
}
