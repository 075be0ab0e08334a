// `rctl replica add NAME HOST:PORT`: declare a replica in the topology file, launch and configure
// it the way `rctl up` does, and follow its full sync.
//
// The order, and why a rerun repairs an interruption:
//   1. Everything that can be checked without changing anything: the arguments, the name and
//      address against the file, the current master (roles overlay, sentinels), a launched node's
//      port, and for a node that already runs (external) its version and the keys a full sync
//      would discard (refused unless confirmed or --yes). Refusals here leave no trace.
//   2. The file gains the entry (a splice of its text, validated, written atomically). From here
//      on the node is declared: `rctl status` shows its state (not running, "declared replica,
//      but is a master", "link down: sync in progress"), and both a rerun of the same
//      `replica add` and `rctl up` finish the job, because every later step is a "make it so"
//      that skips what is already true. Declaring first is what makes the node visible: an add
//      that configured first and died before writing the file would leave a replica nothing
//      knows about.
//   3. Launch (only this node), then up's own configuration (masterauth, requirepass,
//      replica-priority), REPLICAOF the master, CONFIG REWRITE.
//   4. The full sync, with the transfer bar of waitForSync and the master's bgsave phase.
//   5. Under Sentinel: until a quorum of sentinels lists the replica (before that they could not
//      promote it).
// A rerun with the same NAME and address finds the entry and goes on from step 3.

import { BadInputError, RctlError, RefusedError, ExitCode } from '../../errors';
import { NodeSession, type NodeTarget } from '../../node/node-session';
import type { Reporter } from '../../node/reporter';
import { openSessions, readyFacts } from '../../node/sessions';
import type { ReplicationFacts } from '../../node/info';
import { launchNodes, portAnswers } from '../../launch/launch';
import { applyRolesOverlay } from '../../state/roles';
import type { TopologyState } from '../../state/topology-state';
import { addNodeToText, editTopologyFile, fileLaunchOf } from '../../topology/edit';
import { formatAddress, isLoopbackHost, normalizeHost, sameAddress, type Topology, type TopologyNode } from '../../topology/model';
import { nodeSchema, type LaunchMode } from '../../topology/schema';
import { shownText } from '../../topology/shown-text';
import { readFileSync } from 'node:fs';
import { persistConfig } from '../persist-config';
import { dataLossRisk, followsMaster, riskQuestion, type DataLossRisk } from '../safety';
import { observeStatus } from '../sentinel/status';
import type { StatusReport, StatusView } from '../status';
import { waitForSync } from '../sync';
import { configureAuth, type UpAction } from '../up';
import { withMasterSideView } from './master-side';
import { sameMasterAs, withCurrentMaster } from './master';
import { waitUntilSentinelsList } from './sentinels';

export interface ReplicaAddRequest {
  name: string;
  host: string;
  port: number;
  /** Default: the file's own launch. */
  launch?: LaunchMode;
  priority?: number;
}

export interface ReplicaAddOptions {
  state: TopologyState;
  timeoutMs: number;
  waitMs: number;
  reporter: Reporter;
  dryRun: boolean;
  /** Asked when the node holds keys a full sync would discard; false refuses (exit 5). */
  confirmDataLoss: (risks: DataLossRisk[], question: string) => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
}

/** `rctl replica add --json`. */
export interface ReplicaAddResult {
  topology: string;
  file: string;
  node: string;
  address: string;
  launch: LaunchMode;
  /** The master it replicates (the current one, after failovers and under Sentinel). */
  master: string;
  dryRun: boolean;
  /** The file gained the entry in this run (false: it was declared already, this run finished the job). */
  declared: boolean;
  changed: boolean;
  /** Done, or with --dry-run planned. */
  actions: UpAction[];
  warnings: string[];
  /** The whole set after the add; null with --dry-run. */
  status: StatusReport | null;
}

/** The request as the file would hold it: the schema's own rules, in one-line messages. */
function checkFields(request: ReplicaAddRequest, launch: LaunchMode): void {
  const parsed = nodeSchema.safeParse({ name: request.name, host: request.host, port: request.port, role: 'replica', launch, ...(request.priority !== undefined ? { priority: request.priority } : {}) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? 'argument');
    throw new BadInputError('USAGE', `${field === 'name' ? `NAME "${shownText(request.name)}"` : field}: ${issue.message}`);
  }
}

function checkPlacement(topology: Topology, request: ReplicaAddRequest, launch: LaunchMode): TopologyNode | null {
  const address = formatAddress(request.host, request.port);
  const existing = topology.nodes.find((n) => n.name === request.name);
  if (existing) {
    if (existing.name === topology.master.name) {
      throw new BadInputError('REPLICA_NAME_TAKEN', `${existing.name} is the master of ${topology.name}, not a replica to add`, 'choose another NAME');
    }
    if (!sameAddress(existing.host, existing.port, request.host, request.port)) {
      throw new BadInputError('REPLICA_NAME_TAKEN', `a node named ${existing.name} is already declared at ${existing.address}`, `choose another NAME, or \`rctl replica remove ${existing.name}\` first`);
    }
    if (existing.launch !== launch) {
      throw new BadInputError('REPLICA_NAME_TAKEN', `${existing.name} (${existing.address}) is already declared with launch: ${existing.launch}`, `rerun without --launch, or edit ${topology.displayFile}`);
    }
    if (request.priority !== undefined && existing.priority !== request.priority) {
      throw new BadInputError('REPLICA_NAME_TAKEN', `${existing.name} (${existing.address}) is already declared with ${existing.priority === undefined ? 'no priority' : `priority ${existing.priority}`}`, `rerun without --priority, or edit ${topology.displayFile}`);
    }
    return existing;
  }
  const twin = topology.nodes.find((n) => sameAddress(n.host, n.port, request.host, request.port));
  if (twin) throw new BadInputError('REPLICA_ADDRESS_TAKEN', `${address} is already node ${twin.name} of ${topology.name}`, 'choose another address');
  const sentinel = topology.sentinel?.nodes.find((s) => sameAddress(s.host, s.port, request.host, request.port));
  if (sentinel) throw new BadInputError('REPLICA_ADDRESS_TAKEN', `${address} is ${sentinel.name}, a sentinel of ${topology.name}`, 'choose another address');
  if (launch !== 'external' && !isLoopbackHost(request.host)) {
    throw new BadInputError('USAGE', `launch: ${launch} starts the node on this machine, so its host must be a loopback address (127.0.0.0/8, ::1 or localhost), not ${shownText(request.host)}`, 'use --launch external for a node on another machine');
  }
  // A typo in a remote host would only show as a connection failure: a remote node must be on a
  // host the topology already uses (a new host is a decision made in the file itself).
  const declaredHosts = [...topology.nodes.map((n) => n.host), ...(topology.sentinel?.nodes.map((s) => s.host) ?? [])].map(normalizeHost);
  if (!isLoopbackHost(request.host) && !declaredHosts.includes(normalizeHost(request.host))) {
    throw new BadInputError('USAGE', `${shownText(request.host)} is neither a loopback address nor a host of ${topology.name}'s nodes`, `a node on a new host: add it to ${topology.displayFile} by hand, then \`rctl up\``);
  }
  return null;
}

function sessionOptions(topology: Topology) {
  return { password: topology.password, passwordSource: topology.passwordSource };
}

/** The master as it answers now: it must be a master (else `rctl status` / `rctl up` first). */
async function masterFacts(topology: Topology, timeoutMs: number): Promise<ReplicationFacts> {
  const session = await NodeSession.open(topology.master, { ...sessionOptions(topology), timeoutMs });
  try {
    const facts = await session.facts();
    await session.supportedCapabilities();
    if (facts.role !== 'master') {
      throw new RctlError('ROLE_DRIFT', `the master ${topology.master.name} (${topology.master.address}) answers as a replica`, ExitCode.Unhealthy, 'see `rctl status`; `rctl up` restores the recorded roles');
    }
    return facts;
  } finally {
    session.close();
  }
}

/** A node that already runs: its version, and the keys a full sync would discard. */
async function runningNodeRisk(topology: Topology, target: NodeTarget, master: TopologyNode, masterFactsNow: ReplicationFacts, timeoutMs: number): Promise<DataLossRisk | null> {
  const session = await NodeSession.open(target, { ...sessionOptions(topology), timeoutMs });
  try {
    const facts = await session.facts();
    await session.supportedCapabilities();
    return dataLossRisk(target, facts, master, masterFactsNow);
  } finally {
    session.close();
  }
}

function refuseRisk(risk: DataLossRisk): never {
  throw new RefusedError(
    'DATA_LOSS_REFUSED',
    `refusing to make ${risk.name} (${risk.address}) a replica of ${risk.masterName}: it holds ${risk.keys} key${risk.keys === 1 ? '' : 's'} that replication would discard`,
    'confirm on a terminal, or pass --yes to accept losing those keys',
  );
}

/** The result, and the status view the command renders as a table (null with --dry-run). */
export async function addReplica(topology: Topology, request: ReplicaAddRequest, options: ReplicaAddOptions): Promise<{ result: ReplicaAddResult; view: StatusView | null }> {
  const { reporter } = options;
  const env = options.env ?? process.env;
  const fileText = readFileSync(topology.file, 'utf8');
  const fileLaunch = fileLaunchOf(fileText);
  const launch = request.launch ?? topology.nodes.find((n) => n.name === request.name)?.launch ?? fileLaunch;
  checkFields(request, launch);
  const managed = await withCurrentMaster(topology, { state: options.state, timeoutMs: options.timeoutMs });
  const existing = checkPlacement(managed, request, launch);
  const address = formatAddress(request.host, request.port);
  const target: NodeTarget = { name: request.name, host: request.host, port: request.port, address, ...(topology.tls ? { tls: topology.tls } : {}) };
  const actions: UpAction[] = [];
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    reporter.warn(text);
  };

  reporter.step(`checking ${managed.master.name} and ${request.name} (${address})`);
  const masterNow = await masterFacts(managed, options.timeoutMs);
  let accepted = false;
  const answers = await portAnswers(request.host, request.port, Math.min(options.timeoutMs, 1000));
  if (launch !== 'external' && !existing && answers) {
    throw new BadInputError('REPLICA_ADDRESS_TAKEN', `something already listens on ${address}: a node rctl launches needs a free port`, 'choose another port, or add the running server with --launch external');
  }
  if (launch === 'external' || answers) {
    const risk = await runningNodeRisk(managed, target, managed.master, masterNow, options.timeoutMs);
    if (risk && options.dryRun) warn(`${riskQuestion([risk]).replace(/ Continue\?$/, '')} (the add needs confirmation or --yes)`);
    else if (risk) {
      if (!(await options.confirmDataLoss([risk], riskQuestion([risk])))) refuseRisk(risk);
      accepted = true;
    }
  }

  if (options.dryRun) {
    const plan = (action: string, detail: string) => actions.push({ node: request.name, action, detail });
    if (!existing) plan('declare', `add { name: ${request.name}, host: ${request.host}, port: ${request.port}, role: replica${request.launch !== undefined && request.launch !== fileLaunch ? `, launch: ${launch}` : ''}${request.priority !== undefined ? `, priority: ${request.priority}` : ''} } to ${topology.displayFile}`);
    if (launch !== 'external' && !answers) plan('launch', `launch ${launch} under ${options.state.nodePaths(request.name).dir}`);
    plan('replicaof', `configure auth${request.priority !== undefined ? ' and replica-priority' : ''}, REPLICAOF ${managed.master.host} ${managed.master.port}, CONFIG REWRITE`);
    plan('sync', `wait for the full sync from ${managed.master.name}${managed.sentinel ? `, then until ${managed.sentinel.quorum} sentinels list it` : ''}`);
    return { result: result(false, null), view: null };
  }

  // 2. Declared from here on: every later step is repaired by a rerun or by `rctl up`.
  let edited = topology;
  if (!existing) {
    reporter.step(`adding ${request.name} to ${topology.displayFile}`);
    edited = editTopologyFile(
      topology,
      (text) => addNodeToText(text, { name: request.name, host: request.host, port: request.port, ...(launch !== fileLaunch ? { launch } : {}), ...(request.priority !== undefined ? { priority: request.priority } : {}) }),
      env,
    );
    actions.push({ node: request.name, action: 'declared', detail: `added to ${topology.displayFile}` });
  }
  const current = sameMasterAs(applyRolesOverlay(edited, options.state.home), managed);
  const node = current.nodes.find((n) => n.name === request.name) as TopologyNode;
  const master = current.master;

  // 3. Launch and configure, with up's own pieces.
  const launched = await launchNodes(current, { state: options.state, startTimeoutMs: Math.max(options.waitMs, 5000), reporter, only: new Set([node.name]) });
  for (const run of launched) {
    if (run.launched) actions.push({ node: node.name, action: 'launched', detail: `launched ${node.launch} (pid ${run.pid}, files in ${run.paths.dir})` });
  }
  reporter.step(`configuring ${node.name} as a replica of ${master.name}`);
  const sessions = await openSessions(current, [master, node], options.timeoutMs);
  try {
    const facts = await readyFacts([master, node], sessions, options.waitMs);
    await sessions.get(node).supportedCapabilities();
    // A launched node may have come up with data of its own (a directory left by an earlier node of that name).
    const risk = dataLossRisk(node, facts.get(node.name) as ReplicationFacts, master, facts.get(master.name) as ReplicationFacts);
    if (risk && !accepted && !(await options.confirmDataLoss([risk], riskQuestion([risk])))) refuseRisk(risk);

    const changed = new Set<string>();
    await configureAuth({ ...current, nodes: [node] }, sessions, actions, changed);
    if (!followsMaster(facts.get(node.name) as ReplicationFacts, master.host, master.port)) {
      await sessions.get(node).expect(['REPLICAOF', master.host, master.port], 'REPLICAOF');
      actions.push({ node: node.name, action: 'replicaof', detail: `REPLICAOF ${master.host} ${master.port}` });
      changed.add(node.name);
    }
    if (changed.has(node.name)) {
      const persisted = await persistConfig(current, node, sessions.get(node), options.state);
      if (persisted === true) actions.push({ node: node.name, action: 'config rewrite', detail: 'CONFIG REWRITE' });
      else warn(persisted);
    }

    // 4. The full sync, both sides of it on the progress line.
    await withMasterSideView(master, { ...sessionOptions(current), timeoutMs: options.timeoutMs }, node, reporter, (syncReporter) =>
      waitForSync(sessions.get(master), [{ name: node.name, session: sessions.get(node) }], { waitMs: options.waitMs, reporter: syncReporter }),
    );
  } finally {
    sessions.closeAll();
  }

  // 5. The sentinels learn replicas from the master's INFO: until a quorum could promote it.
  if (current.sentinel) await waitUntilSentinelsList(current.sentinel, node, { waitMs: options.waitMs, timeoutMs: options.timeoutMs, reporter });

  reporter.step(`reading the status of ${current.name}`);
  const status = await observeStatus(current, { timeoutMs: options.timeoutMs, state: options.state });
  return { result: result(!existing, status.report), view: status };

  function result(declared: boolean, status: StatusReport | null): ReplicaAddResult {
    return {
      topology: topology.name,
      file: topology.file,
      node: request.name,
      address,
      launch,
      master: managed.master.name,
      dryRun: options.dryRun,
      declared,
      changed: actions.length > 0 && !options.dryRun,
      actions,
      warnings,
      status,
    };
  }
}
