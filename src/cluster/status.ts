// Turns observations into the status report: the stable --json object plus the details the
// table shows (drift from the file, seconds since the master last spoke).

import { sameAddress, formatAddress, type Topology, type TopologyNode } from '../topology/model';
import { capabilitiesOfVersion, describeVersion, OLDEST_SUPPORTED, type Capabilities } from '../node/capabilities';
import { describeDivergence, divergenceFrom } from './failover/divergence';
import { abandonedSwitches, leftoverProblem } from '../state/switch-record';
import { interruptedRolling, interruptedRollingProblem } from '../state/rolling-record';
import { staleFailoverLock, staleLockProblem } from '../state/failover-lock';
import { readMasterRecord, type MasterRecord } from '../state/master-record';
import { masterRestartProblem } from './master-restart';
import type { NodeObservation } from './observe';
import type { SentinelReport } from './sentinel/view';
import type { TopologyState } from '../state/topology-state';

/** One node in `rctl status --json`. The key set and order are a stable interface. */
export interface NodeStatus {
  name: string;
  address: string;
  reachable: boolean;
  role: 'master' | 'replica' | null;
  linkStatus: 'up' | 'down' | null;
  /** The node a replica follows: its name when it is in the topology, else host:port. */
  master: string | null;
  offset: number | null;
  lagBytes: number | null;
  keys: number | null;
  connectedReplicas: number | null;
  replid: string | null;
  replid2: string | null;
  /** INFO server redis_version; the bundled node reports the Redis version it emulates. */
  version: string | null;
  /** Why the node is not healthy: unreachable, drifted from the file, link down. null when fine. */
  error: string | null;
}

/** `rctl status --json`. */
export interface StatusReport {
  topology: string;
  /** The declared master's name. */
  master: string;
  healthy: boolean;
  nodes: NodeStatus[];
  /** Sentinel-managed sets only: the sentinels' view (src/cluster/sentinel/view.ts). */
  sentinel?: SentinelReport;
}

export interface NodeDetail {
  declaredRole: TopologyNode['role'];
  lastIoSecondsAgo: number | null;
  loading: boolean;
  /** The bundled node: its version is the Redis version it emulates. */
  bundled: boolean;
  problems: string[];
}

export interface StatusView {
  report: StatusReport;
  details: NodeDetail[];
}

export interface StatusOptions {
  /** RCTL_HOME: master.json and what interrupted failovers left (switch-<node>.json). */
  state: TopologyState;
  /** The master record to judge a restarted master against; read from home when absent. */
  masterRecord?: MasterRecord | null;
  /** The rerun of an interrupted rolling restart judges the nodes only: its own record is what it finishes. */
  ignoreInterruptedRolling?: boolean;
}

export function buildStatus(topology: Topology, observations: NodeObservation[], options: StatusOptions): StatusView {
  const observedMasters = observations.filter((o) => o.facts?.role === 'master');
  const recordedMasterFacts = observations.find((o) => o.node.name === topology.master.name)?.facts;
  const details: NodeDetail[] = [];
  const nodes: NodeStatus[] = observations.map((observation) => {
    const { node, facts } = observation;
    const problems: string[] = [];
    if (!facts) {
      problems.push(observation.error?.message ?? 'unreachable');
      details.push({ declaredRole: node.role, lastIoSecondsAgo: null, loading: false, bundled: false, problems });
      return {
        name: node.name,
        address: node.address,
        reachable: false,
        role: null,
        linkStatus: null,
        master: null,
        offset: null,
        lagBytes: null,
        keys: null,
        connectedReplicas: null,
        replid: null,
        replid2: null,
        version: null,
        error: problems.join('; '),
      };
    }

    let followed: TopologyNode | undefined;
    let masterLabel: string | null = null;
    if (facts.role === 'replica' && facts.masterHost !== null && facts.masterPort !== null) {
      followed = topology.nodes.find((n) => sameAddress(n.host, n.port, facts.masterHost as string, facts.masterPort as number));
      masterLabel = followed ? followed.name : formatAddress(facts.masterHost, facts.masterPort);
    }

    if (facts.loading) problems.push('still loading its dataset');
    const unsupported = facts.version ? unsupportedVersionProblem(capabilitiesOfVersion(facts.version, facts.bundled)) : null;
    if (unsupported) problems.push(unsupported);
    if (node.role === 'master') {
      if (facts.role === 'replica') problems.push(`declared master, but is a replica of ${masterLabel ?? 'another node'}`);
    } else if (facts.role === 'master') {
      problems.push('declared replica, but is a master');
      // An old master back after a failover must never pass for a second master: say what it
      // holds, as for any master holding writes the recorded master never saw.
      if (recordedMasterFacts?.role === 'master') {
        const divergence = divergenceFrom(facts, recordedMasterFacts);
        const old = topology.roles?.rejoin.includes(node.name) ?? false;
        if (old || divergence.kind === 'ahead') {
          const what = describeDivergence(divergence, topology.master.name, facts.keys);
          problems.push(`${old ? 'old master back after a failover' : 'a second master'}: it holds ${what}; \`rctl up\` rejoins it as a replica`);
        }
      }
    } else if (facts.role === 'replica') {
      if (followed?.name !== topology.master.name) problems.push(`follows ${masterLabel ?? 'an unknown node'}, expected ${topology.master.name}`);
      else if (facts.linkStatus !== 'up') problems.push(facts.syncInProgress ? 'link down: sync in progress' : 'link to the master is down');
    }
    if (facts.role === null) problems.push('INFO shows no role');

    let lagBytes: number | null = null;
    if (facts.role === 'replica' && facts.offset !== null && followed) {
      const masterFacts = observations.find((o) => o.node.name === followed?.name)?.facts;
      if (masterFacts?.role === 'master' && masterFacts.offset !== null) lagBytes = Math.max(0, masterFacts.offset - facts.offset);
    }

    details.push({ declaredRole: node.role, lastIoSecondsAgo: facts.lastIoSecondsAgo, loading: facts.loading, bundled: facts.bundled ?? false, problems });
    return {
      name: node.name,
      address: node.address,
      reachable: true,
      role: facts.role,
      linkStatus: facts.linkStatus,
      master: masterLabel,
      offset: facts.offset,
      lagBytes,
      keys: facts.keys,
      connectedReplicas: facts.connectedReplicas,
      replid: facts.replid,
      replid2: facts.replid2,
      version: facts.version ?? null,
      error: problems.length > 0 ? problems.join('; ') : null,
    };
  });

  if (observedMasters.length > 1) {
    const names = observedMasters.map((o) => o.node.name).join(', ');
    observedMasters.forEach((o) => {
      const index = observations.indexOf(o);
      const note = `${observedMasters.length} masters (${names})`;
      details[index].problems.push(note);
      nodes[index].error = details[index].problems.join('; ');
    });
  }

  addMasterRestartProblem(topology, observations, nodes, details, options);
  addInterruptedSwitchProblem(topology, nodes, details, options);
  addStaleLockProblem(topology, nodes, details, options);
  if (!options.ignoreInterruptedRolling) addInterruptedRollingProblem(topology, nodes, details, options);

  const healthy = details.every((d) => d.problems.length === 0);
  return { report: { topology: topology.name, master: topology.master.name, healthy, nodes }, details };
}

function unsupportedVersionProblem(capabilities: Capabilities): string | null {
  return capabilities.supported ? null : `runs ${describeVersion(capabilities)}: rctl manages Redis ${OLDEST_SUPPORTED} and newer`;
}

/** A master that restarted without its data (src/cluster/master-restart.ts). */
function addMasterRestartProblem(topology: Topology, observations: NodeObservation[], nodes: NodeStatus[], details: NodeDetail[], options: StatusOptions): void {
  const record = options.masterRecord !== undefined ? options.masterRecord : readMasterRecord(options.state);
  const problem = masterRestartProblem(topology, observations, record);
  const index = observations.findIndex((o) => o.node.name === topology.master.name);
  if (problem === null || index === -1) return;
  details[index].problems.push(problem);
  nodes[index].error = details[index].problems.join('; ');
}

/** A failover killed mid-way leaves its lock; shown on the master's row, where the switch began. */
function addStaleLockProblem(topology: Topology, nodes: NodeStatus[], details: NodeDetail[], options: StatusOptions): void {
  const stale = staleFailoverLock(options.state);
  const index = topology.nodes.findIndex((n) => n.name === topology.master.name);
  if (!stale || index === -1) return;
  details[index].problems.push(staleLockProblem(stale));
  nodes[index].error = details[index].problems.join('; ');
}

/** A rolling restart or upgrade that stopped half way (rolling.json of an rctl that is gone). */
function addInterruptedRollingProblem(topology: Topology, nodes: NodeStatus[], details: NodeDetail[], options: StatusOptions): void {
  const record = interruptedRolling(options.state);
  if (!record) return;
  const found = topology.nodes.findIndex((n) => n.name === record.current);
  const index = found === -1 ? topology.nodes.findIndex((n) => n.name === topology.master.name) : found;
  if (index === -1) return;
  details[index].problems.push(interruptedRollingProblem(record));
  nodes[index].error = details[index].problems.join('; ');
}

/** What failovers that never finished left on old masters (switch-<node>.json of a dead rctl). */
function addInterruptedSwitchProblem(topology: Topology, nodes: NodeStatus[], details: NodeDetail[], options: StatusOptions): void {
  for (const record of abandonedSwitches(options.state)) {
    const index = topology.nodes.findIndex((n) => n.name === record.node.name);
    if (index === -1) continue;
    details[index].problems.push(leftoverProblem(record));
    nodes[index].error = details[index].problems.join('; ');
  }
}
