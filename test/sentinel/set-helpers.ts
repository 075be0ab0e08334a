// A Sentinel-managed set of three nodes (bundled, or redis-server of one version) under three
// redis-sentinel processes that `rctl up` launches, for the tests of test/sentinel/: created in a
// sandbox, read with `rctl status --json`, torn down with its sentinels.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAlive, redisCommand, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { freePort } from '../helpers/ports';
import { redisRequired } from '../helpers/redis-server';
import { describeWithVersion, type MatrixVersion, type RedisBinaries } from '../helpers/redis-versions';
import type { SentinelStatus } from '../../src/cluster/sentinel/view';

export const NODE_PASSWORD = 'node-pw-7f3a9c';
export const SENTINEL_PASSWORD = 'sentinel-pw-91be2d';
export const MASTER_NAME = 'seed-master';
export const ENV = { NODE_PW: NODE_PASSWORD, SENTINEL_PW: SENTINEL_PASSWORD };

export interface StatusJson {
  master: string;
  healthy: boolean;
  nodes: Array<{ name: string; role: string | null; master: string | null; reachable: boolean; error: string | null }>;
  sentinel: { masterName: string; master: string | null; quorum: number; agreeing: number; error: string | null; sentinels: SentinelStatus[] };
}

export interface SetUnderTest {
  box: Sandbox;
  file: string;
  nodePorts: number[];
  sentinelPorts: number[];
}

export interface Ports {
  nodePorts: number[];
  sentinelPorts: number[];
}

/** The set's topology: sentinels launched by rctl, or the same sentinels declared external. */
/** How the set's nodes run: the bundled node, or redis-server of one version. */
export type NodeKind = { launch: 'embedded' } | { launch: 'redis-server'; binary: string };

export function topologyText(ports: Ports, sentinels: { launch: 'redis-sentinel'; binary: string; downAfterMs?: number } | { launch: 'external'; downAfterMs: number }, nodes: NodeKind = { launch: 'embedded' }): string {
  return [
    'name: sentinel-set',
    `launch: ${nodes.launch}`,
    ...(nodes.launch === 'redis-server' ? [`redisServer: ${nodes.binary}`] : []),
    'auth: { passwordEnv: NODE_PW }',
    'sentinel:',
    `  masterName: ${MASTER_NAME}`,
    '  quorum: 2',
    `  launch: ${sentinels.launch}`,
    ...(sentinels.launch === 'redis-sentinel' ? [`  redisSentinel: ${sentinels.binary}`, `  downAfterMs: ${sentinels.downAfterMs ?? 2000}`] : [`  downAfterMs: ${sentinels.downAfterMs}`]),
    '  failoverTimeoutMs: 10000',
    '  auth: { passwordEnv: SENTINEL_PW }',
    '  nodes:',
    ...ports.sentinelPorts.map((port) => `    - { host: 127.0.0.1, port: ${port} }`),
    'nodes:',
    `  - { name: n1, host: 127.0.0.1, port: ${ports.nodePorts[0]}, role: master }`,
    `  - { name: n2, host: 127.0.0.1, port: ${ports.nodePorts[1]}, role: replica }`,
    `  - { name: n3, host: 127.0.0.1, port: ${ports.nodePorts[2]}, role: replica }`,
    '',
  ].join('\n');
}

export async function createSet(redis: RedisBinaries, options: { nodes?: NodeKind; downAfterMs?: number } = {}): Promise<SetUnderTest> {
  const box = sandbox();
  const ports: Ports = { nodePorts: [await freePort(), await freePort(), await freePort()], sentinelPorts: [await freePort(), await freePort(), await freePort()] };
  const file = box.topology('sentinel-set.yml', topologyText(ports, { launch: 'redis-sentinel', binary: redis.sentinel, downAfterMs: options.downAfterMs }, options.nodes));
  return { box, file, ...ports };
}

export function sentinelDirs(set: SetUnderTest): string[] {
  const root = join(set.box.home, 'sentinel-set', '_sentinels');
  return existsSync(root) ? readdirSync(root).map((name) => join(root, name)) : [];
}

export function pidIn(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function sentinelPids(set: SetUnderTest): number[] {
  return sentinelDirs(set)
    .map((dir) => pidIn(join(dir, 'sentinel.pid')))
    .filter((pid): pid is number => pid !== null);
}

export function cleanup(set: SetUnderTest | null): void {
  if (!set) return;
  for (const pid of sentinelPids(set)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  set.box.cleanup();
}

export async function status(set: SetUnderTest): Promise<{ code: number | null; json: StatusJson }> {
  const result = await set.box.run(['status', '-t', set.file, '--json', '--timeout', '1'], { env: ENV });
  return { code: result.code, json: JSON.parse(result.stdout) as StatusJson };
}

export async function upAndCheck(set: SetUnderTest): Promise<void> {
  const up = await set.box.run(['up', set.file], { env: ENV, timeoutMs: 120_000 });
  expect(up.stderr + up.stdout, 'rctl up').toContain('sentinel-set: healthy');
  expect(up.code).toBe(0);
}

export function rolesRecord(set: SetUnderTest): { master: string; by: string } | null {
  const path = join(set.box.home, 'sentinel-set', 'roles.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { master: string; by: string }) : null;
}

export function expectNoPasswordAnywhere(set: SetUnderTest): void {
  const pids = [...sentinelPids(set), ...['n1', 'n2', 'n3'].map((n) => pidIn(join(set.box.home, 'sentinel-set', n, 'node.pid')))].filter((pid): pid is number => pid !== null && isAlive(pid));
  expect(pids.length).toBeGreaterThan(0);
  for (const pid of pids) {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    expect(argv).not.toContain(NODE_PASSWORD);
    expect(argv).not.toContain(SENTINEL_PASSWORD);
  }
  const logs = [...sentinelDirs(set).map((dir) => join(dir, 'sentinel.log')), ...['n1', 'n2', 'n3'].map((n) => join(set.box.home, 'sentinel-set', n, 'node.log'))].filter(existsSync);
  expect(logs.length).toBeGreaterThan(3);
  for (const log of logs) {
    const text = readFileSync(log, 'latin1');
    expect(text).not.toContain(NODE_PASSWORD);
    expect(text).not.toContain(SENTINEL_PASSWORD);
  }
  expect(set.box.transcript()).not.toContain(NODE_PASSWORD);
  expect(set.box.transcript()).not.toContain(SENTINEL_PASSWORD);
}

export function expectPrivateConfigs(set: SetUnderTest): void {
  const dirs = sentinelDirs(set);
  expect(dirs).toHaveLength(3);
  for (const dir of dirs) {
    const config = join(dir, 'sentinel.conf');
    expect((statSync(config).mode & 0o777).toString(8), config).toBe('600');
    expect((statSync(dir).mode & 0o777).toString(8), dir).toBe('700');
    // Sentinel rewrote it with what it learnt (so the mode survived a rewrite).
    expect(readFileSync(config, 'utf8')).toContain('known-sentinel');
  }
}

/**
 * describeWithVersion, and the version's redis-sentinel must exist too (Debian ships it apart from
 * redis-server): skipped with a reason without it, failing when RCTL_REQUIRE_REDIS=1.
 */
export function describeWithSentinel(version: MatrixVersion, name: string, body: (redis: RedisBinaries) => void): void {
  describeWithVersion(version, name, (redis) => {
    if (existsSync(redis.sentinel)) body(redis);
    else if (redisRequired) it('has redis-sentinel', () => expect.fail(`${redis.sentinel} is missing, but RCTL_REQUIRE_REDIS=1`));
    else {
      process.stderr.write(`[skip] ${name}: ${redis.sentinel} is missing (install redis-sentinel)\n`);
      it.skip(`${name} (skipped: no redis-sentinel)`, () => undefined);
    }
  });
}

/** A fresh set for the enclosing describe, torn down (sentinels included) after it. */
export function useSet(redis: RedisBinaries, options: { nodes?: NodeKind; downAfterMs?: number } = {}): () => SetUnderTest {
  let set: SetUnderTest | null = null;
  beforeAll(async () => {
    requireBuiltCli();
    set = await createSet(redis, options);
  });
  afterAll(() => cleanup(set));
  return () => set as SetUnderTest;
}
