// `rctl up`: make the running nodes match the topology file, idempotently.
//   1. launch what needs launching;  2. authenticate, set requirepass + masterauth, REPLICAOF,
//   CONFIG REWRITE;  3. wait for links up and offsets caught up;  4. report the status.

import { NodeFailureError, RefusedError } from '../errors';
import { launchNodes } from '../launch/launch';
import type { Topology, TopologyNode } from '../topology/model';
import { forgetRejoined } from '../state/roles';
import { assessRejoins, describeLosses, lossyRejoins } from './failover/rejoin';
import { repairInterruptedFailover } from './failover/repair';
import { abandonedSwitches } from '../state/switch-record';
import { removeStaleFailoverLock } from '../state/failover-lock';
import type { ReplicationFacts } from '../node/info';
import { recordMasterIdentity } from '../state/master-record';
import { persistConfig } from './persist-config';
import type { NodeObservation } from './observe';
import type { Reporter } from '../node/reporter';
import { dataLossRisk, followsMaster, riskQuestion, type DataLossRisk } from './safety';
import { openSessions, readyFacts, type SessionSet } from '../node/sessions';
import { buildStatus, type StatusView } from './status';
import { waitForSync } from './sync';
import { planSnapshotRejoins } from './snapshot-rejoin';
import { guardMasterRestart } from './up-guard';
import type { TopologyState } from '../state/topology-state';

export interface UpAction {
  node: string;
  /** launched | config set | replicaof | promoted | config rewrite */
  action: string;
  detail: string;
}

export interface UpOptions {
  state: TopologyState;
  timeoutMs: number;
  waitMs: number;
  reporter: Reporter;
  /** Asked when declared replicas hold keys they would lose; false refuses (exit 5). */
  confirmDataLoss: (risks: DataLossRisk[], question: string) => Promise<boolean>;
  /** Carry on even though the master restarted, or would restart, without its data (exit 5 otherwise). */
  force?: boolean;
}

export interface UpResult {
  changed: boolean;
  actions: UpAction[];
  warnings: string[];
  status: StatusView;
}

export async function up(topology: Topology, options: UpOptions): Promise<UpResult> {
  const { reporter } = options;
  const actions: UpAction[] = [];
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    reporter.warn(text);
  };

  // A master that is or would come back empty must not be followed: check before launching anything.
  const restartGuard = await guardMasterRestart(topology, { state: options.state, timeoutMs: options.timeoutMs, waitMs: options.waitMs, force: options.force ?? false, reporter, warn });

  const snapshots = await planSnapshotRejoins(topology, { state: options.state, timeoutMs: options.timeoutMs });
  const launched = await launchNodes(topology, { state: options.state, startTimeoutMs: Math.max(options.waitMs, 5000), reporter, replicaOf: snapshots.replicaOf });
  for (const result of launched) {
    if (!result.launched) continue;
    actions.push({ node: result.node.name, action: 'launched', detail: `launched ${result.node.launch} (pid ${result.pid}, files in ${result.paths.dir})` });
    const rejoin = snapshots.rejoins.find((r) => r.node === result.node.name);
    if (rejoin) actions.push({ node: rejoin.node, action: 'replicaof', detail: rejoin.detail });
  }
  // Relaunched by this up after the guard vetted it: its new run id (and, from an AOF, new replid) is expected.
  const masterRestartAccepted = restartGuard.accepted || launched.some((r) => r.launched && r.node.name === topology.master.name);

  // A failover killed mid-switch may have left the old master paused: undo that before anything else.
  const firstRepair = await repairInterruptedFailover(topology, options.state, options.timeoutMs, warn, { quietWhileRejoining: true });
  for (const node of firstRepair.repaired) actions.push({ node, action: 'repaired', detail: 'lifted what an interrupted failover left: writes resumed, settings restored' });

  reporter.step(`connecting to ${topology.nodes.length} node${topology.nodes.length === 1 ? '' : 's'}`);
  const sessions = await openSessions(topology, topology.nodes, options.timeoutMs);
  try {
    const facts = await readyFacts(topology.nodes, sessions, options.waitMs);
    // A version rctl does not manage is refused before anything changes (its INFO is already read).
    for (const node of topology.nodes) await sessions.get(node).supportedCapabilities();
    const master = topology.master;
    // The master read again after every replica: its offset only grows, so a replica sharing its
    // history can never look ahead of it because the two INFOs were taken at different moments
    // (a replica chained behind a node still relaying the master's writes was read a moment later).
    facts.set(master.name, await sessions.get(master).facts());
    const factsOf = (node: TopologyNode) => facts.get(node.name) as ReplicationFacts;

    // After a failover: old masters and nodes left behind rejoin; writes only they have are data loss too,
    // reported with the bytes at stake rather than as keys a new replica would discard.
    const rejoins = assessRejoins(topology.replicas, factsOf, master, factsOf(master), topology.roles?.rejoin);
    // A node left behind is judged by its divergence (the bytes at stake), unless its history is
    // unrelated to the master's (it restarted empty, then took writes): then what it would lose is
    // its keys, like any node that does not follow the master.
    const unrelated = new Set(rejoins.filter((r) => r.divergence.kind === 'unrelated').map((r) => r.name));
    const leftBehind = new Set((topology.roles?.rejoin ?? []).filter((name) => !unrelated.has(name)));
    const risks = topology.replicas
      .map((node) => dataLossRisk(node, factsOf(node), master, factsOf(master)))
      .filter((r): r is DataLossRisk => r !== null && !leftBehind.has(r.name));
    const losses = lossyRejoins(rejoins).filter((r) => !risks.some((risk) => risk.name === r.name));
    const question = [risks.length > 0 ? riskQuestion(risks).replace(/ Continue\?$/, '') : '', losses.length > 0 ? `${describeLosses(losses, master.name)}: rejoining discards them.` : '']
      .filter((part) => part !== '')
      .join(' ') + ' Continue?';
    const allRisks = [...risks, ...losses.map((r) => ({ name: r.name, address: r.address, keys: r.keys, masterName: master.name }))];
    if (allRisks.length > 0 && !(await options.confirmDataLoss(allRisks, question))) {
      const keys = (n: number) => `${n} key${n === 1 ? '' : 's'}`;
      const what =
        risks.length === 1
          ? `${risks[0].name} (${risks[0].address}) a replica of ${master.name}: it holds ${keys(risks[0].keys)}`
          : `${risks.map((r) => `${r.name} (${r.address}, ${keys(r.keys)})`).join(', ')} replicas of ${master.name}: they hold keys`;
      const refusals = [
        ...(risks.length > 0 ? [`refusing to make ${what} that replication would discard`] : []),
        ...(losses.length > 0 ? [`refusing to rejoin ${losses.map((r) => r.name).join(', ')} as ${losses.length === 1 ? 'a replica' : 'replicas'} of ${master.name}: ${describeLosses(losses, master.name)}, which the rejoin discards`] : []),
      ];
      throw new RefusedError(
        'DATA_LOSS_REFUSED',
        refusals.join('; '),
        `confirm on a terminal, or pass --yes to accept losing ${risks.length > 0 ? 'those keys' : 'those writes'}`,
      );
    }

    const changedNodes = new Set<string>();
    reporter.step('configuring auth and replication');
    await configureAuth(topology, sessions, actions, changedNodes);

    if (factsOf(master).role !== 'master') {
      await sessions.get(master).expect(['REPLICAOF', 'NO', 'ONE'], 'REPLICAOF NO ONE');
      actions.push({ node: master.name, action: 'promoted', detail: 'REPLICAOF NO ONE (it was a replica)' });
      changedNodes.add(master.name);
    }
    for (const node of topology.replicas) {
      if (followsMaster(factsOf(node), master.host, master.port)) continue;
      await sessions.get(node).expect(['REPLICAOF', master.host, master.port], 'REPLICAOF');
      const rejoin = rejoins.find((r) => r.name === node.name);
      actions.push({ node: node.name, action: 'replicaof', detail: `REPLICAOF ${master.host} ${master.port}${rejoin ? ` (${rejoin.note})` : ''}` });
      changedNodes.add(node.name);
    }

    // An old master left fenced beside the new one is a replica now: its fence can be lifted.
    // (A repair rewrites the node's config itself: its role may have changed without up changing it.)
    const secondRepair = await repairInterruptedFailover(topology, options.state, options.timeoutMs, warn);
    for (const node of secondRepair.repaired) {
      actions.push({ node, action: 'repaired', detail: 'lifted the fence an interrupted failover left: writes resumed, settings restored' });
    }
    // Every other step still ran; a node that refused its repair makes the whole `up` a failure.
    const refusedBy = new Map([...firstRepair.refused, ...secondRepair.refused].map((r) => [r.node, r]));
    const refused = [...refusedBy.values()].filter((r) => !secondRepair.repaired.includes(r.node));

    for (const node of topology.nodes) {
      if (!changedNodes.has(node.name)) continue;
      const persisted = await persistConfig(topology, node, sessions.get(node), options.state);
      if (persisted === true) actions.push({ node: node.name, action: 'config rewrite', detail: 'CONFIG REWRITE' });
      else warn(persisted);
    }

    await waitForSync(
      sessions.get(master),
      topology.replicas.map((node) => ({ name: node.name, session: sessions.get(node) })),
      { waitMs: options.waitMs, reporter },
    );

    // Everything an interrupted failover left is repaired: its lock goes too (never a running one's).
    if (refused.length === 0 && abandonedSwitches(options.state).length === 0) {
      const removed = removeStaleFailoverLock(options.state);
      if (removed) actions.push({ node: master.name, action: 'repaired', detail: removed });
    }

    // An accepted restart becomes the new normal before the status judges the master against the record.
    if (masterRestartAccepted) recordMasterIdentity(options.state, master.name, master.address, await sessions.get(master).facts());
    const status = await observeWithSessions(topology, sessions, options.state);
    if (status.report.healthy) recordMasterIdentity(options.state, master.name, master.address, await sessions.get(master).facts());
    if (topology.roles && topology.roles.rejoin.length > 0) forgetRejoined(options.state, topology.nodes.map((n) => n.name));
    if (refused.length > 0) {
      throw new NodeFailureError(
        'REPAIR_FAILED',
        `${refused.map((r) => `${r.node} refused to have the settings an earlier failover changed put back: ${r.error}`).join('; ')}`,
        `${refused.map((r) => `${r.node}: ${r.fix}`).join('; ')}; or run \`rctl up\` again`,
      );
    }
    return { changed: actions.length > 0, actions, warnings, status };
  } finally {
    sessions.closeAll();
  }
}

export async function configureAuth(topology: Topology, sessions: SessionSet, actions: UpAction[], changedNodes: Set<string>): Promise<void> {
  const password = topology.password?.reveal();
  // masterauth everywhere before requirepass anywhere, so no replication link is ever refused.
  const phases: Array<(node: TopologyNode) => { name: string; value: string; shown: string } | null> = [
    () => (password === undefined ? null : { name: 'masterauth', value: password, shown: '(password)' }),
    () => (password === undefined ? null : { name: 'requirepass', value: password, shown: '(password)' }),
    (node) => (node.priority === undefined ? null : { name: 'replica-priority', value: String(node.priority), shown: String(node.priority) }),
  ];
  for (const phase of phases) {
    // Nodes in parallel; actions recorded in file order so the output is stable.
    const changed = await Promise.all(
      topology.nodes.map(async (node) => {
        const setting = phase(node);
        if (!setting) return null;
        const session = sessions.get(node);
        // A node replicating as an ACL user (masteruser) keeps that user's password as masterauth.
        if (setting.name === 'masterauth' && (await session.replicationUser()) !== null) return null;
        if ((await session.configGet(setting.name)) === setting.value) return null;
        await session.configSet([[setting.name, setting.value]]);
        if (setting.name === 'requirepass') await session.passwordWasSet();
        return { node: node.name, action: 'config set', detail: `CONFIG SET ${setting.name} ${setting.shown}` };
      }),
    );
    for (const action of changed) {
      if (!action) continue;
      actions.push(action);
      changedNodes.add(action.node);
    }
  }
}

export async function observeWithSessions(topology: Topology, sessions: SessionSet, state: TopologyState): Promise<StatusView> {
  const observations: NodeObservation[] = await Promise.all(
    topology.nodes.map(async (node) => ({ node, facts: await sessions.get(node).facts(), error: null })),
  );
  return buildStatus(topology, observations, { state });
}
