// discover on each Redis version (from a replica, then status), on a set of the bundled node,
// and through real redis-sentinel processes (the sentinel section written, status and check
// reading it).

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { BUILT_VERSIONS, describeWithVersion } from '../helpers/redis-versions';
import { describeWithRedis } from '../helpers/redis-server';
import { ENV as SENTINEL_ENV, describeWithSentinel, MASTER_NAME, upAndCheck, useSet } from '../sentinel/set-helpers';
import { ENV, expectSeedFile, HOSTS, upSeedSet } from './helpers';

function useSeedSet(launch: Parameters<typeof upSeedSet>[1]): () => { box: Sandbox; ports: number[] } {
  const state: { box?: Sandbox; ports?: number[] } = {};
  beforeAll(async () => {
    requireBuiltCli();
    state.box = sandbox();
    state.ports = await upSeedSet(state.box, launch);
  }, 180_000);
  afterAll(async () => {
    if (!state.box) return;
    await state.box.run(['down', '-t', join(state.box.dir, 'lab.yml')], { env: ENV }).catch(() => undefined);
    state.box.cleanup();
  });
  return () => ({ box: state.box as Sandbox, ports: state.ports as number[] });
}

async function discoverFromReplica(box: Sandbox, ports: number[]): Promise<Record<string, unknown>> {
  const out = join(box.dir, 'found.yml');
  const found = await box.run(['discover', `${HOSTS[2]}:${ports[2]}`, '--password-env', 'SEED_PW', '--out', out, '--json'], { env: ENV });
  expect(found.code, found.stderr).toBe(0);
  expectSeedFile(out, ports);
  const status = await box.run(['status', '-t', out, '--json'], { env: ENV });
  expect(status.code, status.stdout).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ topology: 'found', master: 'redis-127-0-0-58', healthy: true });
  return JSON.parse(found.stdout) as Record<string, unknown>;
}

for (const version of BUILT_VERSIONS) {
  describeWithVersion(version, `rctl discover on Redis ${version}`, (redis) => {
    const set = useSeedSet({ launch: 'redis-server', binary: redis.server });
    it('from a replica: all three nodes, their versions, status healthy', async () => {
      const result = await discoverFromReplica(set().box, set().ports);
      expect((result.nodes as Array<{ version: string; name: string }>).map((n) => [n.name, n.version])).toEqual(HOSTS.map((h) => [`redis-${h.replace(/\./g, '-')}`, redis.fullVersion]));
    });
  });
}

describeWithRedis('rctl discover on a set of the bundled node', () => {
  const set = useSeedSet({ launch: 'embedded' });
  it('from a replica: every node recorded as the bundled node, status healthy', async () => {
    const result = await discoverFromReplica(set().box, set().ports);
    expect((result.nodes as Array<{ bundled: boolean }>).every((n) => n.bundled)).toBe(true);
  });
});

describeWithSentinel('7.0', 'rctl discover through redis-sentinel', (redis) => {
  const get = useSet(redis);
  beforeAll(async () => upAndCheck(get()), 180_000);

  it('writes the sentinel section; status and check read the file as they read the original', async () => {
    const set = get();
    const out = join(set.box.dir, 'found.yml');
    const args = ['discover', '--sentinel', `127.0.0.1:${set.sentinelPorts[1]}`, '--master-name', MASTER_NAME, '--password-env', 'NODE_PW', '--sentinel-password-env', 'SENTINEL_PW', '--out', out, '--json'];
    const found = await set.box.run(args, { env: SENTINEL_ENV });
    expect(found.code, found.stderr).toBe(0);
    const result = JSON.parse(found.stdout);
    expect(result.topology).toBe(MASTER_NAME);
    expect(result.nodes.map((n: { address: string; role: string }) => [n.address, n.role])).toEqual([
      [`127.0.0.1:${set.nodePorts[0]}`, 'master'],
      [`127.0.0.1:${set.nodePorts[1]}`, 'replica'],
      [`127.0.0.1:${set.nodePorts[2]}`, 'replica'],
    ]);
    expect(result.sentinel.nodes.map((s: { address: string }) => s.address)).toEqual([...set.sentinelPorts].sort((a, b) => a - b).map((p) => `127.0.0.1:${p}`));
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`masterName: ${MASTER_NAME}`);
    expect(text).toContain('passwordEnv: SENTINEL_PW');
    expect(text).not.toContain(SENTINEL_ENV.NODE_PW);
    expect(text).not.toContain(SENTINEL_ENV.SENTINEL_PW);

    const status = await set.box.run(['status', '-t', out, '--json'], { env: SENTINEL_ENV });
    expect(status.code, status.stdout).toBe(0);
    expect(JSON.parse(status.stdout).sentinel).toMatchObject({ masterName: MASTER_NAME, agreeing: 3, error: null });
    // check finds in the discovered file exactly what it finds in the hand-written one.
    const codes = async (file: string) => {
      const check = await set.box.run(['check', '-t', file, '--json', '--sample', '0'], { env: SENTINEL_ENV });
      expect([0, 3]).toContain(check.code);
      return JSON.parse(check.stdout).findings.map((f: { code: string }) => f.code).sort();
    };
    expect(await codes(out)).toEqual(await codes(set.file));
  });
});
