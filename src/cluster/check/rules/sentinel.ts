// What the sentinels themselves say (read by ../sentinels.ts), judged against the set. The master
// a quorum of them names is the master, as for `rctl status`: the nodes are checked against it,
// and a sentinel naming another address is wrong. Beyond who the master is, each sentinel must be
// able to act when it dies: reach a quorum and a majority (CKQUORUM), see the live master as up
// (one that cannot reach or authenticate to it helps fail over a master still taking writes), run
// the file's settings, and know every replica (it never promotes one it does not know) and every
// other sentinel (it counts only those toward the quorum and the majority).

import { flagsOf, numberField, type SentinelAddress, type SentinelFields } from '../../../node/sentinel';
import { formatAddress, normalizeHost, sameAddress, type SentinelSet, type Topology, type TopologyNode } from '../../../topology/model';
import { withMaster } from '../../../state/roles';
import { plural, readingAt } from '../accessors';
import { rctlFix, rctlUpFix, redisCli, sentinelCli } from '../fixes';
import type { CheckContext, Finding, NodeReading, SentinelReading } from '../model';

/** The node label of a finding about the sentinels as a whole rather than one of them. */
export const SENTINELS_LABEL = 'sentinels';

export interface NamedMaster {
  address: SentinelAddress;
  /** How many sentinels name it. */
  count: number;
  /** The topology node at that address; null when it is no node of the file. */
  node: TopologyNode | null;
  /** At least the quorum names it: it is the sentinels' master. */
  agreed: boolean;
}

function addressKey(address: SentinelAddress): string {
  return `${normalizeHost(address.host)}:${address.port}`;
}

function nodeAt(topology: Topology, address: SentinelAddress): TopologyNode | null {
  return topology.nodes.find((node) => sameAddress(node.host, node.port, address.host, address.port)) ?? null;
}

function labelOf(topology: Topology, address: SentinelAddress): string {
  return nodeAt(topology, address)?.name ?? formatAddress(address.host, address.port);
}

/** The address most sentinels name (the earlier sentinel's answer on a tie), or null when none names one. */
export function mostNamedMaster(topology: Topology, set: SentinelSet, readings: readonly SentinelReading[]): NamedMaster | null {
  const counts = new Map<string, { address: SentinelAddress; count: number }>();
  for (const reading of readings) {
    if (!reading.names) continue;
    const entry = counts.get(addressKey(reading.names)) ?? { address: reading.names, count: 0 };
    entry.count += 1;
    counts.set(addressKey(reading.names), entry);
  }
  let best: { address: SentinelAddress; count: number } | null = null;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best ? { ...best, node: nodeAt(topology, best.address), agreed: best.count >= set.quorum } : null;
}

/**
 * The topology to judge the nodes against: when a quorum of sentinels names another node than
 * rctl's master, that node (nothing is recorded: `rctl status` and `rctl up` do that).
 */
export function followedBySentinels(topology: Topology, readings: readonly SentinelReading[]): { topology: Topology; masterBeforeSentinels?: string } {
  const set = topology.sentinel;
  const named = set ? mostNamedMaster(topology, set, readings) : null;
  if (!named?.agreed || !named.node || named.node.name === topology.master.name) return { topology };
  return { topology: withMaster(topology, named.node.name), masterBeforeSentinels: topology.master.name };
}

const DOWN_FLAGS = ['s_down', 'o_down'];

/** The file's sentinel settings as SENTINEL MASTER names them (those `rctl up` sets with SENTINEL SET). */
function fileSettings(set: SentinelSet): Array<[string, number]> {
  const settings: Array<[string, number | undefined]> = [
    ['quorum', set.quorum],
    ['down-after-milliseconds', set.downAfterMs],
    ['failover-timeout', set.failoverTimeoutMs],
    ['parallel-syncs', set.parallelSyncs],
  ];
  return settings.filter((setting): setting is [string, number] => setting[1] !== undefined);
}

function unreachableFinding(context: CheckContext, set: SentinelSet, reading: SentinelReading): Finding {
  const error = reading.error as NonNullable<SentinelReading['error']>;
  const { sentinel } = reading;
  // rctl starts the sentinels it launches; an external one is the operator's to start or fix.
  const fix =
    set.launch === 'redis-sentinel' && error.code === 'NODE_REFUSED'
      ? rctlUpFix(context.topology)
      : error.code === 'NODE_REFUSED'
        ? `start the sentinel at ${sentinel.address}`
        : (error.suggestion ?? `check the sentinel at ${sentinel.address}`);
  return {
    severity: 'error',
    node: sentinel.name,
    code: 'SENTINEL_UNREACHABLE',
    reason: `cannot be asked about ${set.masterName}: ${error.message}; it neither watches the master nor votes in a failover`,
    fix,
  };
}

function wrongMasterFinding(context: CheckContext, set: SentinelSet, reading: SentinelReading, named: NamedMaster | null, readings: readonly SentinelReading[]): Finding {
  const { topology } = context;
  const names = reading.names as SentinelAddress;
  const master = topology.master;
  const label = labelOf(topology, names);
  const remove = sentinelCli(set, reading.sentinel, ['SENTINEL', 'REMOVE', set.masterName]);
  const outside = nodeAt(topology, names) === null ? `, which is no node of ${topology.name}` : '';
  if (named?.agreed && !named.node && addressKey(named.address) === addressKey(names)) {
    // `rctl up` refuses to follow a quorum outside the file: every one of them must let go first.
    const naming = readings.filter((r) => r.names && addressKey(r.names) === addressKey(names)).map((r) => r.sentinel.name);
    return {
      severity: 'error',
      node: reading.sentinel.name,
      code: 'SENTINEL_WRONG_MASTER',
      reason: `names ${label} the master of ${set.masterName}${outside}, as ${plural(named.count, 'sentinel')} (quorum ${set.quorum}) ${named.count === 1 ? 'does' : 'do'}: clients that ask the sentinels write to a server rctl does not check, and a failover would promote its replicas, not ${topology.name}'s`,
      fix: `add ${label} to ${topology.displayFile} if it belongs to this set; otherwise run SENTINEL REMOVE ${set.masterName} on ${naming.join(', ')} (here: ${remove}), then ${rctlUpFix(topology)}`,
    };
  }
  const against =
    named?.agreed && named.node?.name === master.name
      ? `while ${plural(named.count, 'sentinel')} (quorum ${set.quorum}) ${named.count === 1 ? 'names' : 'name'} ${master.name}`
      : `not ${master.name}, the master of ${topology.name}`;
  return {
    severity: 'error',
    node: reading.sentinel.name,
    code: 'SENTINEL_WRONG_MASTER',
    reason: `names ${label} the master of ${set.masterName}${outside}, ${against}: clients asking this sentinel are sent to the wrong server, and it takes no part in failing over ${master.name}`,
    // Without the name, `rctl up` gives it SENTINEL MONITOR at the master, with the file's settings and auth-pass.
    fix: `${remove} && ${rctlUpFix(topology)}`,
  };
}

function driftFinding(context: CheckContext, set: SentinelSet, reading: SentinelReading, fields: SentinelFields): Finding | null {
  const differing = fileSettings(set).filter(([field, wanted]) => numberField(fields, field) !== wanted);
  if (differing.length === 0) return null;
  const described = differing.map(([field, wanted]) => `${field} ${fields[field] ?? 'unknown'} (the file: ${wanted})`);
  return {
    severity: 'warn',
    node: reading.sentinel.name,
    code: 'SENTINEL_SETTING_DRIFT',
    reason: `runs ${described.join(', ')}: it declares the master down and fails it over by other rules than the file sets for every sentinel`,
    fix: sentinelCli(set, reading.sentinel, ['SENTINEL', 'SET', set.masterName, ...differing.flatMap(([field, wanted]) => [field, String(wanted)])]),
  };
}

/** Its known replicas (live or not) that are nodes of the file, and the live ones that are not. */
function replicaDiscovery(topology: Topology, reading: SentinelReading): { missing: TopologyNode[]; strangers: SentinelFields[]; known: number } {
  const at = (fields: SentinelFields): SentinelAddress => ({ host: fields.ip ?? '', port: Number(fields.port) });
  const missing = topology.replicas.filter((node) => !reading.replicas.some((fields) => sameAddress(at(fields).host, at(fields).port, node.host, node.port)));
  const strangers = reading.replicas.filter((fields) => {
    const flags = flagsOf(fields);
    const promotable = !flags.some((flag) => DOWN_FLAGS.includes(flag) || flag === 'disconnected') && fields['slave-priority'] !== '0';
    return promotable && nodeAt(topology, at(fields)) === null;
  });
  return { missing, strangers, known: reading.replicas.length };
}

function discoveryFindings(context: CheckContext, set: SentinelSet, reading: SentinelReading): Finding[] {
  const { topology } = context;
  const findings: Finding[] = [];
  const { missing, strangers, known } = replicaDiscovery(topology, reading);
  const expectedPeers = set.nodes.length - 1;
  const gaps: string[] = [];
  // Counts decide, names only explain: a sentinel reports replicas by IP, the file may name hosts.
  if (known < topology.replicas.length) {
    const which = missing.length === topology.replicas.length - known ? ` (not ${missing.map((n) => n.name).join(', ')})` : '';
    gaps.push(`${known} of the ${plural(topology.replicas.length, 'replica')}${which}`);
  }
  if (reading.peers.length < expectedPeers) gaps.push(`${reading.peers.length} of the ${plural(expectedPeers, 'other sentinel')}`);
  if (gaps.length > 0) {
    findings.push({
      severity: 'warn',
      node: reading.sentinel.name,
      code: 'SENTINEL_DISCOVERY_INCOMPLETE',
      reason: `knows ${gaps.join(' and ')} of ${topology.displayFile}: a sentinel never promotes a replica it does not know, and counts only the sentinels it knows toward the quorum and the majority`,
      fix: `${rctlUpFix(topology)} (it waits until every sentinel sees every replica and sentinel; discovery takes about 10 s when the sentinels reach the master, its replicas and each other)`,
    });
  }
  if (reading.peers.length > expectedPeers) {
    findings.push({
      severity: 'warn',
      node: reading.sentinel.name,
      code: 'SENTINEL_UNKNOWN_PEERS',
      reason: `knows ${plural(reading.peers.length, 'other sentinel')} where ${topology.displayFile} lists ${expectedPeers}: Sentinel never forgets one, and counts every one it knows when it computes the majority that authorizes a failover (${Math.floor((reading.peers.length + 1) / 2) + 1} votes instead of ${Math.floor(set.nodes.length / 2) + 1}), gone or not`,
      fix: `add the missing sentinels to ${topology.displayFile}; or, if they are gone, ${sentinelCli(set, reading.sentinel, ['SENTINEL', 'RESET', set.masterName])} on each sentinel in turn, 30 s apart, with no failover in progress`,
    });
  }
  // A promotable replica outside the file: the sentinels may promote a server rctl never checks.
  // Only when every replica of the file was found by its address, so addresses compare.
  if (missing.length === 0) {
    for (const stranger of strangers) {
      const address = { host: stranger.ip ?? '', port: Number(stranger.port) };
      findings.push({
        severity: 'warn',
        node: reading.sentinel.name,
        code: 'SENTINEL_UNKNOWN_REPLICA',
        reason: `knows a live replica at ${formatAddress(address.host, address.port)} that is no node of ${topology.displayFile}: the sentinels may promote it, a server rctl never checks`,
        fix: `add it to ${topology.displayFile}, or make it unpromotable: ${redisCli(topology, address, ['CONFIG', 'SET', 'replica-priority', '0'])}`,
      });
    }
  }
  return findings;
}

function sentinelFindings(context: CheckContext, set: SentinelSet, reading: SentinelReading, named: NamedMaster | null, readings: readonly SentinelReading[]): Finding[] {
  const { topology } = context;
  const master = topology.master;
  if (reading.error) return [unreachableFinding(context, set, reading)];
  if (!reading.master || !reading.names) {
    return [
      {
        severity: 'error',
        node: reading.sentinel.name,
        code: 'SENTINEL_NOT_MONITORING',
        reason: `does not monitor ${set.masterName}: it neither watches the master nor votes in a failover, and clients that ask it for ${set.masterName} get no address`,
        // `rctl up` gives it SENTINEL MONITOR at the master, with the file's settings and auth-pass.
        fix: rctlUpFix(topology),
      },
    ];
  }
  if (!sameAddress(reading.names.host, reading.names.port, master.host, master.port)) {
    // Without a quorum, a sentinel naming the node that really takes writes (rctl's master does
    // not) is not the one to repoint: SENTINELS_DISAGREE and the roles findings say what is.
    const namedReading = readingAt(context, reading.names.host, reading.names.port);
    const namesLiveMaster = namedReading?.facts?.role === 'master' && readingAt(context, master.host, master.port)?.facts?.role !== 'master';
    if (!named?.agreed && namesLiveMaster) return [];
    return [wrongMasterFinding(context, set, reading, named, readings)];
  }

  const findings: Finding[] = [];
  const fields = reading.master;
  const down = flagsOf(fields).filter((flag) => DOWN_FLAGS.includes(flag));
  const masterReading: NodeReading | undefined = readingAt(context, master.host, master.port);
  if (down.length > 0 && masterReading?.facts?.role === 'master') {
    findings.push({
      severity: 'error',
      node: reading.sentinel.name,
      code: 'SENTINEL_SEES_MASTER_DOWN',
      reason: `sees ${master.name} down (${down.join(', ')}) while rctl reads it as a live master: it cannot reach it or authenticate to it (auth-pass), and ${plural(set.quorum, 'sentinel')} in that state fail over a master that is still taking writes, which are then lost`,
      fix: `${rctlUpFix(topology)} (sets auth-pass on every sentinel); if that is not it, check the network between ${reading.sentinel.address} and ${master.address}`,
    });
  }
  if (reading.quorum && !reading.quorum.ok) {
    findings.push({
      severity: 'error',
      node: reading.sentinel.name,
      code: 'SENTINEL_NO_QUORUM',
      reason: `SENTINEL CKQUORUM ${set.masterName} fails (${reading.quorum.message.trim()}): if the master dies now, it is not replaced`,
      fix:
        set.launch === 'redis-sentinel'
          ? `${rctlUpFix(topology)} (starts the sentinels that are down)`
          : `start the sentinels that do not answer, and let them reach each other and the master (they find each other through its __sentinel__:hello channel)`,
    });
  }
  const drift = driftFinding(context, set, reading, fields);
  if (drift) findings.push(drift);
  findings.push(...discoveryFindings(context, set, reading));
  return findings;
}

function disagreementFinding(context: CheckContext, set: SentinelSet, named: NamedMaster | null, readings: readonly SentinelReading[]): Finding[] {
  const { topology } = context;
  const naming = readings.filter((r): r is SentinelReading & { names: SentinelAddress } => r.names !== null);
  const distinct = new Set(naming.map((r) => addressKey(r.names)));
  if (named?.agreed || distinct.size < 2) return [];
  return [
    {
      severity: 'error',
      node: SENTINELS_LABEL,
      code: 'SENTINELS_DISAGREE',
      reason: `no ${set.quorum} sentinels (the quorum) name the same master of ${set.masterName} (${naming.map((r) => `${r.sentinel.name}: ${labelOf(topology, r.names)}`).join(', ')}): clients asking different sentinels write to different servers, and writes on the losing side are discarded when the sentinels converge`,
      fix: `find the node that takes writes (${rctlFix(topology, ['status'])}), then repoint the sentinels that name another one (their SENTINEL_WRONG_MASTER fix) until ${set.quorum} agree`,
    },
  ];
}

function failoverInProgressFinding(context: CheckContext, set: SentinelSet, readings: readonly SentinelReading[]): Finding[] {
  const failing = readings.filter((r) => r.master && flagsOf(r.master).includes('failover_in_progress')).map((r) => r.sentinel.name);
  if (failing.length === 0) return [];
  return [
    {
      severity: 'warn',
      node: SENTINELS_LABEL,
      code: 'SENTINEL_FAILOVER_IN_PROGRESS',
      reason: `${failing.join(', ')} report${failing.length === 1 ? 's' : ''} a failover of ${set.masterName} in progress: the roles are changing under this check, and its other findings may be passing states`,
      fix: `wait for the end of the failover (${rctlFix(context.topology, ['status', '--watch', '1'])}), then ${rctlFix(context.topology, ['check'])}`,
    },
  ];
}

function followedNotice(context: CheckContext, named: NamedMaster | null): Finding[] {
  if (!context.masterBeforeSentinels || !named?.node) return [];
  return [
    {
      severity: 'info',
      node: SENTINELS_LABEL,
      code: 'SENTINEL_MASTER_MOVED',
      reason: `${plural(named.count, 'sentinel')} ${named.count === 1 ? 'names' : 'name'} ${named.node.name} the master where rctl had ${context.masterBeforeSentinels}: the nodes are checked against ${named.node.name}, as the sentinels decide`,
      fix: `${rctlFix(context.topology, ['status'])} records it (once ${named.node.name} answers as a master)`,
    },
  ];
}

export function sentinelRule(context: CheckContext): Finding[] {
  const set = context.topology.sentinel;
  const readings = context.sentinels;
  if (!set || !readings) return [];
  const named = mostNamedMaster(context.topology, set, readings);
  return [
    ...disagreementFinding(context, set, named, readings),
    ...failoverInProgressFinding(context, set, readings),
    ...readings.flatMap((reading) => sentinelFindings(context, set, reading, named, readings)),
    ...followedNotice(context, named),
  ];
}
