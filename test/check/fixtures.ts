// Hand-built node readings for the rule tests: a topology parsed by the real loader, and per node
// the INFO fields and CONFIG GET values a rule looks at (everything else at Redis 7.0's defaults,
// with rctl's password on every node as `rctl up` leaves it).

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replicationFacts, type InfoFields } from '../../src/node/info';
import { evaluate } from '../../src/cluster/check/index';
import type { CheckContext, ConfigParameter, Finding, NodeReading, SecretParameter, WriteRate } from '../../src/cluster/check/model';
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
