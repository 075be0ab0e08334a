// The sentinels' view of a Sentinel-managed set: every sentinel asked in parallel who the master
// is, and a judgement of their answers. The master a quorum of them names is the master; rctl's
// own record and the file's roles only say what rctl last knew.

import { RctlError } from '../../errors';
import { formatAddress, normalizeHost, sameAddress, type SentinelNode, type SentinelSet, type Topology, type TopologyNode } from '../../topology/model';
import { NodeSession } from '../../node/node-session';
import { checkQuorum, flagsOf, masterAddressByName, monitoredMaster, numberField, type QuorumCheck, type SentinelAddress } from '../../node/sentinel';

export interface SentinelObservation {
  sentinel: SentinelNode;
  /** Why the sentinel could not be asked (unreachable, wrong password, not a sentinel...). */
  error: string | null;
  /** GET-MASTER-ADDR-BY-NAME: the address it names; null when unreachable or not monitoring the name. */
  names: SentinelAddress | null;
  monitors: boolean;
  /** Its flags on the master: master, s_down, o_down, failover_in_progress, … */
  flags: string[];
  configEpoch: number | null;
  otherSentinels: number | null;
  replicas: number | null;
  quorum: QuorumCheck | null;
}

/** One sentinel in `rctl status --json`'s sentinel object. The key set and order are a stable interface. */
export interface SentinelStatus {
  name: string;
  address: string;
  reachable: boolean;
  /** The master it names: the node's name when it is in the topology, else host:port; null when it names none. */
  master: string | null;
  flags: string[];
  epoch: number | null;
  otherSentinels: number | null;
  replicas: number | null;
  quorumReachable: boolean | null;
  error: string | null;
}

/** `sentinel` in `rctl status --json`. */
export interface SentinelReport {
  masterName: string;
  /** The master a quorum of sentinels names; null when no quorum agrees. */
  master: string | null;
  quorum: number;
  /** How many sentinels name that master. */
  agreeing: number;
  /** A problem of the set of sentinels as a whole (no quorum agrees, a master outside the topology). */
  error: string | null;
  sentinels: SentinelStatus[];
}

export interface SentinelJudgement {
  report: SentinelReport;
  /** The topology node the quorum names, when it is one. */
  agreedNode: TopologyNode | null;
  healthy: boolean;
}

export async function observeSentinel(set: SentinelSet, sentinel: SentinelNode, timeoutMs: number): Promise<SentinelObservation> {
  const empty: SentinelObservation = { sentinel, error: null, names: null, monitors: false, flags: [], configEpoch: null, otherSentinels: null, replicas: null, quorum: null };
  let session: NodeSession | null = null;
  try {
    session = await NodeSession.open(sentinel, { password: set.password, passwordSource: set.passwordSource, timeoutMs, deadline: Date.now() + timeoutMs });
    const [names, master, quorum] = await Promise.all([
      masterAddressByName(session, set.masterName),
      monitoredMaster(session, set.masterName),
      checkQuorum(session, set.masterName),
    ]);
    if (!master) return { ...empty, names };
    return {
      ...empty,
      names,
      monitors: true,
      flags: flagsOf(master),
      configEpoch: numberField(master, 'config-epoch'),
      otherSentinels: numberField(master, 'num-other-sentinels'),
      replicas: numberField(master, 'num-slaves'),
      quorum,
    };
  } catch (error) {
    if (error instanceof RctlError) return { ...empty, error: error.message };
    throw error;
  } finally {
    session?.close();
  }
}

export function observeSentinels(set: SentinelSet, timeoutMs: number): Promise<SentinelObservation[]> {
  return Promise.all(set.nodes.map((sentinel) => observeSentinel(set, sentinel, timeoutMs)));
}

function addressKey(address: SentinelAddress): string {
  return `${normalizeHost(address.host)}:${address.port}`;
}

function nodeAt(topology: Topology, address: SentinelAddress): TopologyNode | undefined {
  return topology.nodes.find((node) => sameAddress(node.host, node.port, address.host, address.port));
}

function labelOf(topology: Topology, address: SentinelAddress): string {
  return nodeAt(topology, address)?.name ?? formatAddress(address.host, address.port);
}

/** The address most sentinels name, with its count; a tie goes to the first sentinel's answer. */
function mostNamed(observations: SentinelObservation[]): { address: SentinelAddress; count: number } | null {
  const counts = new Map<string, { address: SentinelAddress; count: number }>();
  for (const observation of observations) {
    if (!observation.names) continue;
    const key = addressKey(observation.names);
    const entry = counts.get(key) ?? { address: observation.names, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  let best: { address: SentinelAddress; count: number } | null = null;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best;
}

export function judgeSentinels(topology: Topology, set: SentinelSet, observations: SentinelObservation[]): SentinelJudgement {
  const named = mostNamed(observations);
  const agreed = named && named.count >= set.quorum ? named : null;
  const agreedNode = agreed ? (nodeAt(topology, agreed.address) ?? null) : null;
  const agreedLabel = agreed ? labelOf(topology, agreed.address) : null;

  let error: string | null = null;
  if (!agreed) {
    const best = named ? `; at most ${named.count} ${named.count === 1 ? 'names' : 'name'} the same master (${labelOf(topology, named.address)})` : '; none names a master';
    error = `no quorum of sentinels agrees on the master of ${set.masterName}: ${set.quorum} must${best}`;
  } else if (!agreedNode) {
    error = `the sentinels' master of ${set.masterName}, ${agreedLabel}, is no node of ${topology.name}`;
  }

  const sentinels = observations.map((observation): SentinelStatus => {
    const problems: string[] = [];
    if (observation.error !== null) problems.push(observation.error);
    else if (!observation.monitors) problems.push(`does not monitor ${set.masterName}`);
    if (observation.names) {
      const wrong = !nodeAt(topology, observation.names);
      if (wrong) problems.push(`monitors ${set.masterName} at ${formatAddress(observation.names.host, observation.names.port)}, which is no node of ${topology.name}`);
      else if (agreed && addressKey(agreed.address) !== addressKey(observation.names)) {
        problems.push(`disagrees: names ${labelOf(topology, observation.names)}, while ${agreed.count} name ${agreedLabel}`);
      }
    }
    for (const flag of ['s_down', 'o_down']) if (observation.flags.includes(flag)) problems.push(`sees the master ${flag === 's_down' ? 'subjectively' : 'objectively'} down (${flag})`);
    if (observation.flags.includes('failover_in_progress')) problems.push('failover in progress');
    if (observation.quorum && !observation.quorum.ok) problems.push(`CKQUORUM: ${observation.quorum.message}`);
    return {
      name: observation.sentinel.name,
      address: observation.sentinel.address,
      reachable: observation.error === null,
      master: observation.names ? labelOf(topology, observation.names) : null,
      flags: observation.flags,
      epoch: observation.configEpoch,
      otherSentinels: observation.otherSentinels,
      replicas: observation.replicas,
      quorumReachable: observation.quorum ? observation.quorum.ok : null,
      error: problems.length > 0 ? problems.join('; ') : null,
    };
  });

  const report: SentinelReport = { masterName: set.masterName, master: agreedLabel, quorum: set.quorum, agreeing: agreed?.count ?? 0, error, sentinels };
  return { report, agreedNode, healthy: error === null && sentinels.every((s) => s.error === null) };
}
