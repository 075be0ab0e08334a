// Hand-built node readings for the rule tests: a topology parsed by the real loader, and per node
// the INFO fields and CONFIG GET values a rule looks at (everything else at Redis 7.0's defaults,
// with rctl's password on every node as `rctl up` leaves it).

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RctlError } from '../../src/errors';
import { replicationFacts, type InfoFields } from '../../src/node/info';
import type { QuorumCheck, SentinelAddress, SentinelFields } from '../../src/node/sentinel';
import { checkContext, evaluate } from '../../src/cluster/check/index';
import type { CheckContext, ConfigParameter, Finding, NodeReading, SecretParameter, SentinelReading, WriteRate } from '../../src/cluster/check/model';
import { parseTopology } from '../../src/topology/load';
import type { Topology } from '../../src/topology/model';
import { Secret } from '../../src/topology/secret';

export const PASSWORD = 'Fixture-Pass-42';

export function topologyOf(text: string): Topology {
  return parseTopology('check.yml', join(tmpdir(), 'check.yml'), text, {});
}

/** master on 7001, replica1 on 7002, replica2 on 7003 (loopback), with or without a password. */
export function threeNodes(options: { password?: string | null; extra?: string } = {}): Topology {
  const password = options.password === undefined ? PASSWORD : options.password;
  return topologyOf(`name: lab
${password === null ? '' : `auth: { password: "${password}" }\n`}nodes:
  - { name: master, host: 127.0.0.1, port: 7001, role: master }
  - { name: replica1, host: 127.0.0.1, port: 7002, role: replica }
  - { name: replica2, host: 127.0.0.1, port: 7003, role: replica${options.extra ?? ''} }
`);
}

export const REDIS_DEFAULTS: Record<ConfigParameter, string> = {
  save: '3600 1 300 100 60 10000',
  appendonly: 'no',
  'replica-read-only': 'yes',
  'repl-backlog-size': '1048576',
  'replica-priority': '100',
  'min-replicas-to-write': '0',
  'min-replicas-max-lag': '10',
  'protected-mode': 'yes',
  bind: '127.0.0.1',
  masteruser: '',
};

export interface NodeSpec {
  role?: 'master' | 'replica';
  /** The node a replica follows: a topology node name, or host:port. */
  follows?: string;
  info?: Record<string, string>;
  config?: Partial<Record<ConfigParameter, string>>;
  secrets?: Partial<Record<SecretParameter, string>>;
}

export function readingOf(topology: Topology, name: string, spec: NodeSpec = {}): NodeReading {
  const node = topology.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no node ${name}`);
  const role = spec.role ?? node.role;
  const info: InfoFields = new Map([
    ['redis_version', '7.0.15'],
    ['role', role === 'master' ? 'master' : 'slave'],
    ['master_replid', 'a'.repeat(40)],
    ['master_repl_offset', '100'],
  ]);
  if (role === 'replica') {
    const target = spec.follows ?? topology.master.name;
    const followed = topology.nodes.find((n) => n.name === target);
    const [host, port] = followed ? [followed.host, String(followed.port)] : [target.slice(0, target.lastIndexOf(':')), target.slice(target.lastIndexOf(':') + 1)];
    info.set('master_host', host).set('master_port', port).set('master_link_status', 'up').set('slave_repl_offset', '100');
  } else {
    const replicas = topology.replicas.filter((r) => r.name !== name);
    info.set('connected_slaves', String(node.role === 'master' ? replicas.length : 0));
    if (node.role === 'master') replicas.forEach((r, i) => info.set(`slave${i}`, `ip=${r.host},port=${r.port},state=online,offset=100,lag=0`));
  }
  for (const [key, value] of Object.entries(spec.info ?? {})) info.set(key, value);
  const password = topology.password?.reveal() ?? '';
  const secrets = { requirepass: password, masterauth: password, ...spec.secrets };
  return {
    node,
    info,
    facts: replicationFacts(info),
    config: {
      values: new Map(Object.entries({ ...REDIS_DEFAULTS, ...spec.config }) as Array<[ConfigParameter, string]>),
      secrets: new Map(Object.entries(secrets).map(([k, v]) => [k as SecretParameter, new Secret(v)])),
    },
    error: null,
    configError: null,
  };
}

/** Readings for every node (specs override), evaluated by every rule: the findings, without notices. */
export function check(topology: Topology, specs: Record<string, NodeSpec | NodeReading> = {}, writeRates: WriteRate[] = []): Finding[] {
  return checkAll(topology, specs, writeRates).filter((f) => f.severity !== 'info');
}

/** check(), notices (severity info) included. */
export function checkAll(topology: Topology, specs: Record<string, NodeSpec | NodeReading> = {}, writeRates: WriteRate[] = []): Finding[] {
  const readings = topology.nodes.map((node) => {
    const spec = specs[node.name];
    return spec && 'node' in spec ? spec : readingOf(topology, node.name, spec);
  });
  const context: CheckContext = { topology, readings, writeRates: new Map(writeRates.map((r) => [r.node, r])) };
  return evaluate(context);
}

export function codes(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.code}@${f.node}`);
}

// ---- Sentinel-managed sets ----

export const SENTINEL_PASSWORD = 'Sentinel-Fixture-88';
export const MASTER_NAME = 'mymaster';

export interface SentinelSetOptions {
  /** Hosts of the sentinels, on ports 26379, 26380...; default three separate machines. */
  sentinelHosts?: string[];
  /** Hosts of master, replica1, replica2 (ports 7001-7003); default loopback. */
  nodeHosts?: [string, string, string];
  quorum?: number;
  /** Extra lines of the sentinel section (launch, downAfterMs...). */
  sentinelExtra?: string[];
  /** Appended to replica2's flow map, e.g. `, priority: 0`. */
  extra?: string;
}

/** threeNodes() under Sentinels: masterName mymaster, downAfterMs 5000 and failoverTimeoutMs 60000 unless replaced. */
export function sentinelSet(options: SentinelSetOptions = {}): Topology {
  const sentinelHosts = options.sentinelHosts ?? ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
  const [m, r1, r2] = options.nodeHosts ?? ['127.0.0.1', '127.0.0.1', '127.0.0.1'];
  return topologyOf(
    [
      'name: lab',
      `auth: { password: "${PASSWORD}" }`,
      'sentinel:',
      `  masterName: ${MASTER_NAME}`,
      `  quorum: ${options.quorum ?? 2}`,
      ...(options.sentinelExtra ?? ['  downAfterMs: 5000', '  failoverTimeoutMs: 60000']),
      `  auth: { password: "${SENTINEL_PASSWORD}" }`,
      '  nodes:',
      ...sentinelHosts.map((host, i) => `    - { host: ${host}, port: ${26379 + i} }`),
      'nodes:',
      `  - { name: master, host: ${m}, port: 7001, role: master }`,
      `  - { name: replica1, host: ${r1}, port: 7002, role: replica }`,
      `  - { name: replica2, host: ${r2}, port: 7003, role: replica${options.extra ?? ''} }`,
      '',
    ].join('\n'),
  );
}

export interface SentinelSpec {
  error?: RctlError;
  /** The master it names: a node name or host:port; null: it does not monitor the name. Default: the topology's master. */
  names?: string | null;
  flags?: string[];
  /** SENTINEL MASTER fields that differ from the file's settings. */
  fields?: Record<string, string>;
  /** The replicas it knows: node names or host:port; default every node but the one it names. */
  replicas?: Array<string | SentinelFields>;
  /** How many other sentinels it knows; default every other sentinel of the file. */
  peers?: number;
  quorum?: QuorumCheck;
}

function addressOf(topology: Topology, target: string): SentinelAddress {
  const node = topology.nodes.find((n) => n.name === target);
  if (node) return { host: node.host, port: node.port };
  return { host: target.slice(0, target.lastIndexOf(':')), port: Number(target.slice(target.lastIndexOf(':') + 1)) };
}

export function sentinelReadingOf(topology: Topology, index: number, spec: SentinelSpec = {}): SentinelReading {
  const set = topology.sentinel;
  if (!set) throw new Error('no sentinel section');
  const sentinel = set.nodes[index];
  if (spec.error) return { sentinel, error: spec.error, names: null, master: null, replicas: [], peers: [], quorum: null };
  const named = spec.names === undefined ? topology.master.name : spec.names;
  if (named === null) return { sentinel, error: null, names: null, master: null, replicas: [], peers: [], quorum: { ok: false, message: 'ERR No such master with that name' } };
  const names = addressOf(topology, named);
  const replicas = (spec.replicas ?? topology.nodes.filter((n) => !(n.host === names.host && n.port === names.port)).map((n) => n.name)).map((replica) => {
    if (typeof replica !== 'string') return replica;
    const at = addressOf(topology, replica);
    return { name: `${at.host}:${at.port}`, ip: at.host, port: String(at.port), flags: 'slave', 'slave-priority': '100' };
  });
  const peers = Array.from({ length: spec.peers ?? set.nodes.length - 1 }, (_, i) => ({ name: `peer${i}`, ip: `10.1.0.${i + 1}`, port: '26379', flags: 'sentinel' }));
  const master: SentinelFields = {
    name: set.masterName,
    ip: names.host,
    port: String(names.port),
    flags: (spec.flags ?? ['master']).join(','),
    quorum: String(set.quorum),
    'down-after-milliseconds': String(set.downAfterMs ?? 30000),
    'failover-timeout': String(set.failoverTimeoutMs ?? 180000),
    'parallel-syncs': String(set.parallelSyncs ?? 1),
    'num-slaves': String(replicas.length),
    'num-other-sentinels': String(peers.length),
    ...spec.fields,
  };
  const quorum = spec.quorum ?? { ok: true, message: `OK ${set.nodes.length} usable Sentinels. Quorum and failover authorization can be reached` };
  return { sentinel, error: null, names, master, replicas, peers, quorum };
}

/**
 * Every rule over node readings and sentinel readings, as runCheck builds the context (the nodes
 * judged against the master a quorum of sentinels names). Notices included. The nodes default to
 * min-replicas-to-write 1, so ISOLATED_MASTER_WRITES only shows where a test asks for it; the
 * fixtures' Redis 7.0 end-of-support notices are left out.
 */
export function checkSentinels(topology: Topology, specs: Record<string, NodeSpec | NodeReading> = {}, sentinels: Record<number, SentinelSpec> = {}): Finding[] {
  const readings = topology.nodes.map((node) => {
    const spec = specs[node.name];
    if (spec && 'node' in spec) return spec;
    return readingOf(topology, node.name, { ...spec, config: { 'min-replicas-to-write': '1', ...spec?.config } });
  });
  const sentinelReadings = (topology.sentinel?.nodes ?? []).map((_, index) => sentinelReadingOf(topology, index, sentinels[index]));
  return evaluate(checkContext(topology, readings, new Map(), sentinelReadings)).filter((f) => f.code !== 'VERSION_END_OF_SUPPORT');
}
