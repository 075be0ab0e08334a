// The sentinel section of the topology file: the issue's example loads as written, and every
// mistake in it gets the usual located message (file:line:col path: problem).

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TopologyError } from '../../src/errors';
import { readCachedTopology } from '../../src/state/cache';
import { loadSelectedTopology } from '../../src/state/index';
import { parseTopology } from '../../src/topology/load';
import { tempDir } from '../topology/temp';

const NODES = ['nodes:', '  - { name: a, host: 127.0.0.1, port: 7001, role: master }', '  - { name: b, host: 127.0.0.1, port: 7002, role: replica }'];

function topologyText(sentinelLines: string[], extra: string[] = []): string {
  return ['name: seed', ...extra, 'sentinel:', ...sentinelLines.map((line) => `  ${line}`), ...NODES, ''].join('\n');
}

const ISSUE_EXAMPLE = [
  'masterName: seed-master',
  'quorum: 2',
  'launch: redis-sentinel',
  'downAfterMs: 5000',
  'auth: { passwordEnv: SENTINEL_PASSWORD }',
  'nodes:',
  '  - { host: 127.0.0.1, port: 26379 }',
  '  - { host: 127.0.0.1, port: 26380 }',
  '  - { host: 127.0.0.1, port: 26381 }',
];

function parse(text: string, env: NodeJS.ProcessEnv = {}) {
  return parseTopology('topologies/s.yml', join(tmpdir(), 's.yml'), text, env);
}

function problem(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parse(text, env);
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyError);
    return (error as TopologyError).message;
  }
  throw new Error('expected a TopologyError');
}

/** line:col (1-based) where `needle` first appears: positions are computed, not hand-counted. */
function at(text: string, needle: string): string {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`${needle} not in the text`);
  return `${index + 1}:${lines[index].indexOf(needle) + 1}`;
}

function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`${needle} not in the text`);
  return index + 1;
}

describe('topology: the sentinel section', () => {
  it("loads the issue's example, with the sentinels' password resolved and never shown", () => {
    const topology = parse(topologyText(ISSUE_EXAMPLE), { SENTINEL_PASSWORD: 's3cret-sentinel' });
    const sentinel = topology.sentinel;
    expect(sentinel).toBeDefined();
    expect(sentinel?.masterName).toBe('seed-master');
    expect(sentinel?.quorum).toBe(2);
    expect(sentinel?.launch).toBe('redis-sentinel');
    expect(sentinel?.downAfterMs).toBe(5000);
    expect(sentinel?.nodes.map((n) => `${n.name}=${n.address}`)).toEqual(['sentinel-1=127.0.0.1:26379', 'sentinel-2=127.0.0.1:26380', 'sentinel-3=127.0.0.1:26381']);
    expect(sentinel?.password?.reveal()).toBe('s3cret-sentinel');
    expect(sentinel?.passwordSource).toBe('$SENTINEL_PASSWORD');
    expect(JSON.stringify(topology) + inspect(topology, { depth: 10 })).not.toContain('s3cret-sentinel');
  });

  it('defaults to external sentinels without a password', () => {
    const topology = parse(topologyText(['masterName: m', 'quorum: 1', 'nodes: [{ host: 10.0.0.9, port: 26379 }]']));
    expect(topology.sentinel?.launch).toBe('external');
    expect(topology.sentinel?.password).toBeNull();
  });

  it('locates a missing masterName, a bad quorum and an unknown key', () => {
    const missing = topologyText(['quorum: 1', 'nodes: [{ host: 127.0.0.1, port: 26379 }]']);
    expect(problem(missing)).toBe(`topologies/s.yml:${lineOf(missing, 'quorum')}:3 sentinel.masterName: missing required key "masterName"`);
    const zero = topologyText(['masterName: m', 'quorum: 0', 'nodes: [{ host: 127.0.0.1, port: 26379 }]']);
    expect(problem(zero)).toBe(`topologies/s.yml:${lineOf(zero, 'quorum')}:11 sentinel.quorum: expected an integer 1 or more (the sentinels that must agree the master is down), got the number 0`);
    const typo = topologyText(['masterName: m', 'quorum: 1', 'downAfterMS: 100', 'nodes: [{ host: 127.0.0.1, port: 26379 }]']);
    expect(problem(typo)).toBe(
      `topologies/s.yml:${lineOf(typo, 'downAfterMS')}:3 sentinel.downAfterMS: unknown key "downAfterMS" (did you mean "downAfterMs"?); allowed keys: masterName, quorum, launch, redisSentinel, downAfterMs, failoverTimeoutMs, parallelSyncs, auth, nodes`,
    );
  });

  it('locates a bad launch mode, a sentinel port and a sentinel node key', () => {
    const launch = topologyText(['masterName: m', 'quorum: 1', 'launch: redis-sentinal', 'nodes: [{ host: 127.0.0.1, port: 26379 }]']);
    expect(problem(launch)).toBe(`topologies/s.yml:${lineOf(launch, 'launch')}:11 sentinel.launch: expected one of external, redis-sentinel, got the string "redis-sentinal" (did you mean "redis-sentinel"?)`);
    const port = topologyText(['masterName: m', 'quorum: 1', 'nodes:', '  - { host: 127.0.0.1, port: 70000 }']);
    expect(problem(port)).toBe(`topologies/s.yml:${at(port, '70000')} sentinel.nodes[0].port: expected an integer 1-65535, got the number 70000`);
    const key = topologyText(['masterName: m', 'quorum: 1', 'nodes:', '  - { host: 127.0.0.1, port: 26379, prot: 1 }']);
    expect(problem(key)).toBe(`topologies/s.yml:${at(key, 'prot')} sentinel.nodes[0].prot: unknown key "prot" (did you mean "port"?); allowed keys: host, port`);
  });

  it('refuses a quorum more sentinels than there are, duplicates, a node address and remote launched sentinels', () => {
    const quorum = topologyText(['masterName: m', 'quorum: 3', 'nodes: [{ host: 127.0.0.1, port: 26379 }, { host: 127.0.0.1, port: 26380 }]']);
    expect(problem(quorum)).toBe(`topologies/s.yml:${lineOf(quorum, 'quorum')}:11 sentinel.quorum: quorum 3 can never be reached by 2 sentinels`);
    const duplicate = topologyText(['masterName: m', 'quorum: 1', 'nodes:', '  - { host: 127.0.0.1, port: 26379 }', '  - { host: localhost, port: 26379 }']);
    expect(problem(duplicate)).toContain(`:${lineOf(duplicate, 'localhost')}:`);
    expect(problem(duplicate)).toContain('sentinel.nodes[1].port: duplicate sentinel address localhost:26379 (also sentinel.nodes[0])');
    const onNode = topologyText(['masterName: m', 'quorum: 1', 'nodes:', '  - { host: 127.0.0.1, port: 7002 }']);
    expect(problem(onNode)).toContain('sentinel.nodes[0].port: 127.0.0.1:7002 is the address of nodes[1] "b"; a sentinel needs its own port');
    const remote = topologyText(['masterName: m', 'quorum: 1', 'launch: redis-sentinel', 'nodes:', '  - { host: 10.1.2.3, port: 26379 }']);
    expect(problem(remote)).toContain('sentinel.nodes[0].host: launch: redis-sentinel starts the sentinel on this machine, so host must be a loopback address');
  });

  it('accepts redisSentinel only with launch: redis-sentinel, and resolves it against the file', () => {
    const external = topologyText(['masterName: m', 'quorum: 1', 'redisSentinel: ./bin/redis-sentinel', 'nodes: [{ host: 127.0.0.1, port: 26379 }]']);
    expect(problem(external)).toBe(
      `topologies/s.yml:${lineOf(external, 'redisSentinel')}:3 sentinel.redisSentinel: redisSentinel is the executable of launch: redis-sentinel, and the sentinels' launch is external`,
    );
    const launched = parse(topologyText(['masterName: m', 'quorum: 1', 'launch: redis-sentinel', 'redisSentinel: ./bin/redis-sentinel', 'nodes: [{ host: 127.0.0.1, port: 26379 }]']));
    expect(launched.sentinel?.redisSentinel).toBe(join(tmpdir(), 'bin', 'redis-sentinel'));
  });

  it("treats the sentinels' auth like the nodes': one source, located, its value never echoed", () => {
    const two = topologyText(['masterName: m', 'quorum: 1', 'auth: { password: "a", passwordEnv: X }', 'nodes: [{ host: 127.0.0.1, port: 26379 }]']);
    expect(problem(two)).toContain('sentinel.auth.passwordEnv: use only one of password, passwordEnv, passwordFile (password is already set)');
    const unset = topologyText(['masterName: m', 'quorum: 1', 'auth: { passwordEnv: SENTINEL_PASSWORD }', 'nodes: [{ host: 127.0.0.1, port: 26379 }]']);
    expect(problem(unset)).toBe(`topologies/s.yml:${at(unset, 'SENTINEL_PASSWORD')} sentinel.auth.passwordEnv: environment variable SENTINEL_PASSWORD is not set`);
    const numeric = topologyText(['masterName: m', 'quorum: 1', 'auth: { password: 987654 }', 'nodes: [{ host: 127.0.0.1, port: 26379 }]']);
    const message = problem(numeric);
    expect(message).toContain('sentinel.auth.password: expected a string, got a number');
    expect(message).not.toContain('987654');
  });

  it('refuses sentinels with tls, which part 1 does not configure', () => {
    const text = topologyText(['masterName: m', 'quorum: 1', 'nodes: [{ host: 127.0.0.1, port: 26379 }]'], ['tls: { ca: ca.pem, cert: c.pem, key: k.pem }']);
    expect(problem(text)).toBe(`topologies/s.yml:${lineOf(text, 'sentinel:')}:1 sentinel: sentinels over TLS are not supported yet: remove the tls section or the sentinel section`);
  });
});

describe('topology cache: the sentinel section', () => {
  it("keeps the sentinels' passwordEnv out of the cache and resolves it afresh; an inline one comes back as written", async () => {
    const dir = tempDir('rctl-sentinel-cache-');
    const home = join(dir, 'home');
    const file = join(dir, 's.yml');
    writeFileSync(file, topologyText(ISSUE_EXAMPLE, ['auth: { password: "node-inline-pw" }']));
    await loadSelectedTopology({ flag: file, env: { RCTL_HOME: home, SENTINEL_PASSWORD: 'first-sentinel-secret' } });
    const cacheDir = join(home, 'cache', 'topologies');
    expect(readFileSync(join(cacheDir, readdirSync(cacheDir)[0]), 'utf8')).not.toContain('first-sentinel-secret');
    const cached = readCachedTopology(file, file, home, { SENTINEL_PASSWORD: 'second-sentinel-secret' });
    expect(cached?.sentinel?.password?.reveal()).toBe('second-sentinel-secret');
    expect(cached?.sentinel?.passwordSource).toBe('$SENTINEL_PASSWORD');
    expect(cached?.password?.reveal()).toBe('node-inline-pw');
    expect(cached?.sentinel?.nodes).toHaveLength(3);
    // Without the variable the cache steps aside, so the full load reports it at its position.
    expect(readCachedTopology(file, file, home, {})).toBeNull();
  });
});
