// `rctl restart` and `rctl upgrade`: observe, refuse or plan, then restart the replicas one at a
// time, switch over to one that is done, and restart the old master as a replica. Every node must
// come back with a partial resync; anything else stops the operation with the set healthy and
// the exact command that finishes it.

import { resolve } from 'node:path';
import { BadInputError, ExitCode, RctlError, RefusedError } from '../../errors';
import { capabilitiesOfVersion } from '../../node/capabilities';
import { NodeSession } from '../../node/node-session';
import type { Reporter } from '../../node/reporter';
import { clearRollingRecord, interruptedRolling, writeRollingRecord, type RollingRecord } from '../../state/rolling-record';
import { withMaster } from '../../state/roles';
import type { TopologyState } from '../../state/topology-state';
import { editTopologyFile, withNodeLaunch } from '../../topology/edit';
import type { Topology, TopologyNode } from '../../topology/model';
import { binaryVersion } from '../../launch/binary-version';
import { validateExecTemplate } from '../../launch/exec-template';
import { failover } from '../failover/index';
import { observeStatus } from '../sentinel/status';
import type { StatusView } from '../status';
import { raiseBacklogs, reapplyBacklog, restoreBacklogs } from './backlog';
import { planRolling, type NodeReading } from './plan';
import { readNode } from './readings';
import { restartNode, type TurnContext } from './restart-node';
import type { LaunchChoice, RollingJson, RollingKind, RollingNodeResult, RollingPlan } from './types';

export interface RollingOptions {
  kind: RollingKind;
  state: TopologyState;
  /** Node names, or every node. */
  nodes: 'all' | string[];
  exec: string | null;
  /** upgrade: "embedded" or a redis-server executable. */
  to: string | null;
  allowFullResync: boolean;
  dryRun: boolean;
  /** Per node: stop, come back, link and catch up. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** The switchover's catch-up limit while writes are paused. */
  switchTimeoutMs: number;
  /** The switchover's link-up limit. */
  switchWaitMs: number;
  reporter: Reporter;
  /** Shown the plan; false declines. May throw (no terminal and no --yes). */
  confirm: (plan: RollingPlan) => Promise<boolean>;
}

export type RollingOutcome = { kind: 'dry-run'; plan: RollingPlan; json: RollingJson } | { kind: 'done'; plan: RollingPlan; json: RollingJson; status: StatusView };

/** A stopped rolling operation: what was done, for the report, and how to finish. */
export class RollingError extends RctlError {
  constructor(
    cause: RctlError,
    readonly done: RollingNodeResult[],
    resume: string,
  ) {
    const finished = done.filter((n) => !n.skipped).map((n) => n.name);
    super(cause.code, `${cause.message}${finished.length > 0 ? ` (already done: ${finished.join(', ')})` : ''}`, cause.exitCode, `${cause.suggestion ? `${cause.suggestion}; ` : ''}then finish with \`${resume}\``);
  }
}

function resumeCommand(kind: RollingKind, topology: Topology, names: string[], options: RollingOptions): string {
  const parts = ['rctl', kind, '-t', topology.displayFile, ...names.flatMap((name) => ['--node', name])];
  if (options.to) parts.push('--to', options.to);
  if (options.exec) parts.push('--exec', `'${options.exec.replace(/'/g, `'\\''`)}'`);
  if (options.allowFullResync) parts.push('--allow-full-resync');
  return parts.join(' ');
}

async function resolveTarget(to: string | null): Promise<LaunchChoice | null> {
  if (to === null) return null;
  const launch = to === 'embedded' ? 'embedded' : 'redis-server';
  // A path is kept absolute: the topology file resolves relative paths against itself, not the cwd.
  if (launch === 'redis-server' && to.includes('/')) to = resolve(to);
  const found = await binaryVersion(launch, launch === 'redis-server' ? to : undefined);
  const capabilities = capabilitiesOfVersion(found.version, found.bundled);
  if (!capabilities.supported || capabilities.untested) {
    throw new BadInputError('UPGRADE_BINARY', `${to} is Redis ${found.version}: rctl manages Redis 5.0 to 7.2`, 'give --to embedded, or a redis-server of 5.0 to 7.2');
  }
  return { launch, ...(launch === 'redis-server' ? { redisServer: to } : {}), version: found.version, bundled: found.bundled };
}

function selectNodes(topology: Topology, options: RollingOptions): Set<string> {
  if (options.nodes === 'all') return new Set(topology.nodes.map((n) => n.name));
  const names = new Set<string>();
  for (const name of options.nodes) {
    if (!topology.nodes.some((n) => n.name === name)) {
      throw new BadInputError('UNKNOWN_NODE', `--node ${name}: no such node in ${topology.displayFile}`, `nodes: ${topology.nodes.map((n) => n.name).join(', ')}`);
    }
    names.add(name);
  }
  return names;
}

function checkMethods(topology: Topology, selected: Set<string>, options: RollingOptions): void {
  for (const node of topology.nodes.filter((n) => selected.has(n.name))) {
    if (node.launch !== 'external') continue;
    if (options.kind === 'upgrade') {
      throw new BadInputError('EXEC_NEEDED', `${node.name} is an external node: rctl upgrade moves only the nodes it launches`, "upgrade it with your own tooling through `rctl restart --node NAME --exec 'COMMAND'`, which orders and verifies each restart");
    }
    if (!options.exec) {
      throw new BadInputError('EXEC_NEEDED', `${node.name} is an external node: rctl cannot restart it by itself`, "give the command that restarts one node, e.g. --exec 'ssh {host} sudo systemctl restart redis-server'");
    }
  }
}

async function readAll(topology: Topology, options: RollingOptions): Promise<Map<string, NodeReading>> {
  const readings = new Map<string, NodeReading>();
  await Promise.all(
    topology.nodes.map(async (node) => {
      const session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs: options.connectTimeoutMs });
      try {
        readings.set(node.name, await readNode(node, session));
      } finally {
        session.close();
      }
    }),
  );
  return readings;
}

async function requireHealthy(topology: Topology, options: RollingOptions): Promise<StatusView> {
  const view = await observeStatus(topology, { timeoutMs: options.connectTimeoutMs, state: options.state, ignoreInterruptedRolling: true });
  if (!view.report.healthy) {
    const problems = view.report.nodes.filter((n) => n.error).map((n) => `${n.name}: ${n.error}`);
    throw new RctlError('SET_UNHEALTHY', `${topology.name} is not healthy${problems.length > 0 ? ` (${problems.join('; ')})` : ''}: a rolling ${options.kind} starts only from a healthy set`, ExitCode.Unhealthy, 'see `rctl status`; `rctl up` repairs most problems');
  }
  return view;
}

function emptyJson(plan: RollingPlan, dryRun: boolean, started: number): RollingJson {
  return {
    kind: plan.kind,
    dryRun,
    masterBefore: plan.master,
    masterAfter: plan.switchover?.to ?? plan.master,
    target: plan.target,
    plan: plan.nodes,
    nodes: [],
    switchover: null,
    fullResyncs: 0,
    partialResyncs: 0,
    writesPausedMs: 0,
    durationMs: Date.now() - started,
    warnings: plan.warnings,
    backlog: null,
  };
}

export async function rollingOperation(fileTopology: Topology, options: RollingOptions): Promise<RollingOutcome> {
  const started = Date.now();
  if (options.exec !== null) validateExecTemplate(options.exec);
  if (options.kind === 'upgrade' && options.to === null) throw new BadInputError('USAGE', 'upgrade needs --to', 'give --to embedded or --to /path/to/redis-server');
  const selected = selectNodes(fileTopology, options);
  checkMethods(fileTopology, selected, options);
  const target = await resolveTarget(options.to);

  options.reporter.step(`checking ${fileTopology.name}`);
  const view = await requireHealthy(fileTopology, options);
  let topology = view.report.master === fileTopology.master.name ? fileTopology : withMaster(fileTopology, view.report.master);
  const readings = await readAll(topology, options);
  const interrupted = interruptedRolling(options.state);
  const sameJob = interrupted && interrupted.kind === options.kind && interrupted.target === (options.to ?? null);
  const plan = planRolling({
    kind: options.kind,
    topology,
    state: options.state,
    master: topology.master,
    selected,
    readings,
    exec: options.exec,
    target,
    allowFullResync: options.allowFullResync,
    alreadyDone: new Set(sameJob ? interrupted.done : []),
  });
  for (const warning of plan.warnings) options.reporter.warn(warning);
  const json = emptyJson(plan, options.dryRun, started);
  if (options.dryRun) return { kind: 'dry-run', plan, json };
  if (!(await options.confirm(plan))) throw new RefusedError('ROLLING_DECLINED', `${options.kind} declined: nothing was changed`);

  options.reporter.step('sizing the replication backlogs');
  const guard = await raiseBacklogs(topology, topology.master, sameJob ? interrupted.backlog : [], options);
  json.backlog = { writeRate: guard.writeRate, raisedTo: guard.raisedTo };
  const record: RollingRecord = {
    pid: process.pid,
    kind: options.kind,
    startedAt: new Date(started).toISOString(),
    target: options.to,
    order: plan.nodes.map((n) => n.name),
    done: plan.nodes.filter((n) => n.skip).map((n) => n.name),
    current: null,
    resume: resumeCommand(options.kind, topology, plan.nodes.map((n) => n.name), options),
    backlog: guard.originals,
  };
  writeRollingRecord(options.state, record);
  const results: RollingNodeResult[] = [];
  try {
    for (const entry of plan.nodes) {
      const node = topology.nodes.find((n) => n.name === entry.name) as TopologyNode;
      if (entry.skip) {
        results.push({ name: entry.name, address: entry.address, skipped: true, ms: 0, downMs: 0, resync: 'none', versionBefore: entry.versionBefore, versionAfter: entry.versionBefore });
        continue;
      }
      if (entry.turnRole === 'old master' && plan.switchover) {
        topology = await switchOver(topology, plan.switchover.to, options, json);
      }
      record.current = entry.name;
      record.resume = resumeCommand(options.kind, topology, plan.nodes.filter((n) => !record.done.includes(n.name)).map((n) => n.name), options);
      writeRollingRecord(options.state, record);
      options.reporter.step(`${options.kind === 'upgrade' ? 'upgrading' : 'restarting'} ${entry.name} (${entry.turnRole === 'old master' ? `old master, now a replica of ${topology.master.name}` : `replica of ${topology.master.name}`})`);
      const ctx: TurnContext = { topology, state: options.state, master: topology.master, exec: options.exec, target, timeoutMs: options.timeoutMs, connectTimeoutMs: options.connectTimeoutMs, reporter: options.reporter };
      const result = await restartNode(ctx, entry, node);
      results.push(result);
      await reapplyBacklog(topology, node, guard, options.connectTimeoutMs);
      if (target) editTopologyFile(topology, (text) => withNodeLaunch(text, node.name, target));
      record.done.push(entry.name);
      record.current = null;
      writeRollingRecord(options.state, record);
      if (result.resync === 'full') json.fullResyncs += 1;
      else if (result.resync === 'partial') json.partialResyncs += 1;
      if (result.resync === 'full' && entry.expectedResync !== 'full') {
        throw new RctlError('FULL_RESYNC', `${entry.name} came back with a full resync instead of a partial one (its master's backlog did not cover the restart, or its snapshot lacked the replication ID)`, ExitCode.Failed, 'it is in sync again; raise repl-backlog-size on the master (`rctl check` measures what it needs)');
      }
    }
  } catch (error) {
    if (!(error instanceof RctlError)) throw error;
    const left = plan.nodes.filter((n) => !record.done.includes(n.name)).map((n) => n.name);
    record.current = null;
    record.resume = resumeCommand(options.kind, topology, left, options);
    // With no node done there is nothing for a rerun to skip: a record would only make `rctl status`
    // call an untouched set interrupted.
    if (record.done.length === 0) clearRollingRecord(options.state);
    else writeRollingRecord(options.state, record);
    // A raised backlog is memory on every node; the rerun raises it again if it needs to.
    await restoreBacklogs(topology, guard, options.state, options).catch(() => undefined);
    throw new RollingError(error, results, record.resume);
  }
  options.reporter.step('putting the replication backlogs back');
  await restoreBacklogs(topology, guard, options.state, options);
  clearRollingRecord(options.state);
  options.reporter.step('checking the set');
  const status = await observeStatus(topology, { timeoutMs: options.connectTimeoutMs, state: options.state });
  json.nodes = results;
  json.masterAfter = topology.master.name;
  json.durationMs = Date.now() - started;
  return { kind: 'done', plan, json, status };
}

/** A graceful switchover (through the sentinels on a Sentinel set) to `to`; the topology with it as the master. */
async function switchOver(topology: Topology, to: string, options: RollingOptions, json: RollingJson): Promise<Topology> {
  const candidate = topology.nodes.find((n) => n.name === to) as TopologyNode;
  const outcome = await failover(topology, {
    state: options.state,
    promote: candidate,
    force: false,
    dryRun: false,
    timeoutMs: options.switchTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    waitMs: options.switchWaitMs,
    reporter: options.reporter,
    confirm: async () => true,
  });
  if (outcome.kind !== 'done') throw new Error('the switchover ran as a dry run');
  json.switchover = outcome.json;
  json.fullResyncs += outcome.json.fullResyncs;
  json.partialResyncs += outcome.json.partialResyncs;
  json.writesPausedMs += outcome.json.writesPausedMs;
  return withMaster(topology, to);
}
