// The order and the expectations of a rolling restart or upgrade, decided from what every node
// reports before anything is stopped: replicas one at a time, then a switchover to a replica that
// is already done, then the old master as a replica. Every refusal happens here, while the set is
// untouched.

import { NodeFailureError, RefusedError } from '../../errors';
import { capabilitiesOfVersion, compareVersions } from '../../node/capabilities';
import type { ReplicationFacts } from '../../node/info';
import type { Topology, TopologyNode } from '../../topology/model';
import { fillExecTemplate } from '../../launch/exec-template';
import { launchCommand } from '../../launch/process';
import type { TopologyState } from '../../state/topology-state';
import type { LaunchChoice, RollingKind, RollingNodePlan, RollingPlan } from './types';

/** What the plan needs to know of one node, read before anything changes (readings.ts). */
export interface NodeReading {
  node: TopologyNode;
  facts: ReplicationFacts;
  version: string | null;
  bundled: boolean;
  /** appendonly yes: a plain restart loads the AOF, which carries no replication ID. */
  appendonly: boolean;
  /** CONFIG GET save is not empty: SIGTERM (what service managers send) saves an RDB first. */
  savePoints: boolean;
  /** 7.0+: shutdown-on-sigterm says nosave, so SIGTERM exits without a snapshot whatever `save` says. */
  sigtermNoSave: boolean;
  priority: number;
}

export interface PlanInput {
  kind: RollingKind;
  topology: Topology;
  state: TopologyState;
  /** The current master (after any failover, or the sentinels' choice). */
  master: TopologyNode;
  /** The nodes to restart, by name. */
  selected: ReadonlySet<string>;
  readings: ReadonlyMap<string, NodeReading>;
  exec: string | null;
  target: LaunchChoice | null;
  allowFullResync: boolean;
  /** Nodes an interrupted earlier run finished. */
  alreadyDone: ReadonlySet<string>;
}

function reading(input: PlanInput, node: TopologyNode): NodeReading {
  const found = input.readings.get(node.name);
  if (!found) throw new Error(`no reading of ${node.name}`);
  return found;
}

/** Whether the node comes back with its replication ID and offset, so its master accepts a partial resync. */
function resyncExpectation(r: NodeReading, method: 'launched' | 'exec'): { expected: 'partial' | 'full'; reason: string; snapshotFirst: boolean } {
  if (r.appendonly && method === 'launched') {
    return {
      expected: 'partial',
      reason: 'appendonly yes: an AOF carries no replication ID, so it starts once with --appendonly no on the RDB that SHUTDOWN SAVE wrote, then CONFIG SET appendonly yes rebuilds its AOF from the dataset',
      snapshotFirst: false,
    };
  }
  if (r.appendonly) {
    return { expected: 'full', reason: 'appendonly yes: Redis loads the AOF at start, and an AOF carries no replication ID or offset', snapshotFirst: false };
  }
  if (method === 'launched') return { expected: 'partial', reason: 'SHUTDOWN SAVE writes the replication ID and offset into the RDB it reloads', snapshotFirst: false };
  if (!r.savePoints || r.sigtermNoSave) {
    const why = r.sigtermNoSave ? 'shutdown-on-sigterm nosave' : 'save ""';
    return { expected: 'partial', reason: `${why}: a stop by signal saves nothing, so BGSAVE first writes the RDB it reloads (the master's backlog covers the writes since)`, snapshotFirst: true };
  }
  return { expected: 'partial', reason: 'a stop by SIGTERM saves an RDB with the replication ID and offset (save points are set)', snapshotFirst: false };
}

/** The start-only arguments that make a node with an AOF load its RDB (and replication ID) instead. */
export const LOAD_RDB_OVERRIDES = ['--appendonly', 'no'];

function startCommand(input: PlanInput, node: TopologyNode, overrides: string[]): string {
  const launch = input.target ?? { launch: node.launch as 'embedded' | 'redis-server', redisServer: node.redisServer };
  const { command, args } = launchCommand(launch.launch, input.state.nodePaths(node.name).config, launch.redisServer, overrides);
  return launch.launch === 'embedded' ? `rctl server ${args.slice(2).join(' ')}` : `${command} ${args.join(' ')}`;
}

function nodePlan(input: PlanInput, node: TopologyNode, turnRole: RollingNodePlan['turnRole']): RollingNodePlan {
  const r = reading(input, node);
  const method = node.launch === 'external' ? 'exec' : 'launched';
  const expectation = resyncExpectation(r, method);
  const commands: string[] = [];
  if (method === 'launched') {
    commands.push('SHUTDOWN SAVE', startCommand(input, node, r.appendonly ? LOAD_RDB_OVERRIDES : []));
    if (r.appendonly) commands.push('CONFIG SET appendonly yes (and wait for the AOF rewrite)');
  } else {
    if (expectation.snapshotFirst) commands.push('BGSAVE (and wait for it)');
    commands.push(fillExecTemplate(input.exec as string, node));
  }
  commands.push('wait: a new run_id, the link up, caught up with the master');
  let skip: string | null = null;
  if (input.alreadyDone.has(node.name)) skip = `done by the interrupted ${input.kind}`;
  else if (input.target && r.version !== null && r.version === input.target.version && r.bundled === input.target.bundled) skip = `already runs ${describe(input.target)}`;
  return {
    name: node.name,
    address: node.address,
    turnRole,
    method,
    commands,
    versionBefore: r.version,
    versionAfter: input.target?.version ?? null,
    reenableAof: method === 'launched' && r.appendonly,
    expectedResync: expectation.expected,
    reason: expectation.reason,
    skip,
  };
}

function describe(target: LaunchChoice): string {
  return target.bundled ? `the bundled node (Redis ${target.version})` : `Redis ${target.version}`;
}

/** The replica promoted before the old master's turn: a done one, best replica-priority first (0 never). */
function switchoverCandidate(input: PlanInput, replicasInOrder: TopologyNode[]): TopologyNode | null {
  const eligible = (node: TopologyNode) => reading(input, node).priority > 0;
  const byPriority = (a: TopologyNode, b: TopologyNode) => reading(input, a).priority - reading(input, b).priority || a.index - b.index;
  const restarted = replicasInOrder.filter(eligible).sort(byPriority);
  if (restarted.length > 0) return restarted[0];
  // Only the master is restarted: any eligible replica takes over (it keeps its version).
  const others = input.topology.nodes.filter((n) => n.name !== input.master.name && eligible(n)).sort(byPriority);
  return others[0] ?? null;
}

/** Refusals an upgrade needs: a node must load its own snapshot, and a new master's RDB must stay loadable where it matters. */
function versionFindings(input: PlanInput, plan: RollingNodePlan[], candidate: TopologyNode | null): string[] {
  const target = input.target;
  if (!target) return [];
  const warnings: string[] = [];
  const targetCaps = capabilitiesOfVersion(target.version, target.bundled);
  for (const entry of plan) {
    if (entry.skip) continue;
    const r = input.readings.get(entry.name) as NodeReading;
    const writes = r.version ? capabilitiesOfVersion(r.version, r.bundled).rdbVersion : null;
    if (writes !== null && targetCaps.rdbReadMax !== null && writes > targetCaps.rdbReadMax) {
      throw new RefusedError(
        'VERSION_CANNOT_FOLLOW',
        `${entry.name} runs Redis ${r.version}, whose RDB (version ${writes}) ${describe(target)} cannot load (it reads up to ${targetCaps.rdbReadMax}): the node would not start`,
        'a downgrade across RDB versions needs a new replica of the older version and a full sync (`rctl replica add`), not a restart',
      );
    }
  }
  // The nodes that stay on their version after the switchover follow a master of the target version.
  const upgraded = new Set(plan.map((p) => p.name));
  for (const node of input.topology.nodes) {
    if (upgraded.has(node.name) || (candidate && node.name === candidate.name && !upgraded.has(node.name))) continue;
    const r = input.readings.get(node.name) as NodeReading;
    const reads = r.version ? capabilitiesOfVersion(r.version, r.bundled).rdbReadMax : null;
    if (reads !== null && targetCaps.rdbVersion !== null && targetCaps.rdbVersion > reads) {
      warnings.push(`${node.name} stays on Redis ${r.version}: it continues with partial resyncs, but cannot full-sync from a ${describe(target)} master (RDB ${targetCaps.rdbVersion}); upgrade it too`);
    }
  }
  if (compareVersions(target.version, '5.0.0') < 0) throw new Error('unsupported target passed the binary check');
  return warnings;
}

export function planRolling(input: PlanInput): RollingPlan {
  const replicas = input.topology.nodes.filter((n) => n.name !== input.master.name && input.selected.has(n.name));
  const masterSelected = input.selected.has(input.master.name);
  const entries = replicas.map((node) => nodePlan(input, node, 'replica'));
  let switchover: RollingPlan['switchover'] = null;
  let candidate: TopologyNode | null = null;
  if (masterSelected) {
    candidate = switchoverCandidate(input, replicas);
    if (!candidate) {
      throw new NodeFailureError('NO_CANDIDATE', `restarting the master ${input.master.name} needs a replica to take over first, and none has replica-priority above 0`, 'add a replica (`rctl replica add`), or restart only the replicas with --node');
    }
    switchover = { from: input.master.name, to: candidate.name };
    entries.push(nodePlan(input, input.master, 'old master'));
  }
  const warnings = versionFindings(input, entries, candidate);
  const full = entries.filter((e) => !e.skip && e.expectedResync === 'full');
  if (full.length > 0 && !input.allowFullResync) {
    throw new RefusedError(
      'FULL_RESYNC_EXPECTED',
      `${full.map((e) => e.name).join(', ')} would come back without ${full.length === 1 ? 'its' : 'their'} replication history (${full[0].reason}): ${full.length === 1 ? 'a full resync' : 'full resyncs'} of the whole dataset`,
      'pass --allow-full-resync to accept it (docs/usage.md, rctl restart: why AOF nodes lose their replication history)',
    );
  }
  for (const e of full) warnings.push(`${e.name}: a full resync is expected (${e.reason})`);
  return { kind: input.kind, master: input.master.name, nodes: entries, switchover, target: input.target, warnings };
}
