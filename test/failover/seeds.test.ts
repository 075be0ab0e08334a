// The seeds' scenario, replayed by the built `rctl`: one master and two replicas with password
// 123456 and keys; the master is killed (SIGKILL); `rctl failover --promote <first replica> --yes`
// promotes it, the other replica continues with a partial resync, the data is intact and the new
// master writable; status is healthy apart from the dead node; the old master comes back with
// `rctl up` as a replica. On bundled nodes and on real redis-server.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { describeWithRedis } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';
import { isAlive } from '../cli/helpers';
import { info, parseJson, PASSWORD, settled, startSet, type LaunchKind, type NodeSet } from './helpers';

function seedScenario(kind: LaunchKind, promoteBy: 'name' | 'host') {
  let set: NodeSet;
  let before: Awaited<ReturnType<typeof dumpKeyspace>>;
  let stats: Record<string, string>;

  beforeAll(async () => {
    set = await startSet(kind, 'seed-lab', ['master', 'slave1', 'slave2']);
  });
  afterAll(async () => set?.close());

  it('holds keys on a master and two linked replicas', async () => {
    const master = set.client('master');
    await master.set('name', 'hkping');
    const pipeline = master.pipeline();
    for (let i = 0; i < 200; i++) pipeline.set(`key:${i}`, `value-${i}`);
    pipeline.hset('user:1', 'name', 'hkping', 'age', '34');
    pipeline.rpush('list', 'a', 'b', 'c');
    await pipeline.exec();
    await settled(set, 'master');
    before = await dumpKeyspace(set.byName('master').host, set.byName('master').port, PASSWORD, 1);
    expect(Object.keys(before['0'])).toHaveLength(203);
  });

  it('fails over to the first replica after the master is killed, with a partial resync of the other', async () => {
    const pid = set.pid('master');
    process.kill(pid, 'SIGKILL');
    await eventually(() => !isAlive(pid), { what: 'the master to die' });
    stats = await info(set.client('slave1'), 'stats');

    const promote = promoteBy === 'name' ? 'slave1' : '127.0.0.17';
    const result = await set.rctl(['failover', '--promote', promote, '--yes', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = parseJson(result);
    expect(Object.keys(json)).toEqual(['from', 'to', 'mode', 'steps', 'fullResyncs', 'partialResyncs', 'writesPausedMs', 'readsPausedMs', 'durationMs']);
    expect(json).toMatchObject({ from: 'master', to: 'slave1', mode: 'forced', fullResyncs: 0, partialResyncs: 1, writesPausedMs: 0 });
    const steps = json.steps as Array<{ step: string; node: string; ok: boolean }>;
    expect(steps.every((s) => s.ok && Object.keys(s).join() === 'step,node,ms,ok')).toBe(true);
    expect(steps.map((s) => `${s.step} ${s.node}`)).toEqual(expect.arrayContaining(['promote slave1', 'repoint slave2', 'link up slave2']));

    // Checked on the nodes themselves, not only in rctl's report.
    const after = await info(set.client('slave1'), 'stats');
    expect(Number(after.sync_full) - Number(stats.sync_full)).toBe(0);
    expect(Number(after.sync_partial_ok) - Number(stats.sync_partial_ok)).toBe(1);
    const slave2 = await info(set.client('slave2'));
    expect(slave2).toMatchObject({ role: 'slave', master_host: '127.0.0.17', master_port: String(set.byName('slave1').port), master_link_status: 'up' });
    expect((await info(set.client('slave1'))).role).toBe('master');
  });

  it('keeps the data intact, and the new master takes writes (set age 35: dbsize + 1)', async () => {
    const slave1 = set.byName('slave1');
    expect(await dumpKeyspace(slave1.host, slave1.port, PASSWORD, 1)).toEqual(before);
    const size = await set.client('slave1').dbsize();
    expect(await set.client('slave1').set('age', '35')).toBe('OK');
    expect(await set.client('slave1').dbsize()).toBe(size + 1);
    await eventually(async () => (await set.client('slave2').get('age')) === '35', { what: 'age on slave2' });
  });

  it('status is healthy apart from the dead node, and names the new master', async () => {
    const status = await set.rctl(['status', '--json']);
    expect(status.code).toBe(3);
    const report = parseJson<{ master: string; nodes: Array<Record<string, unknown>> }>(status);
    expect(report.master).toBe('slave1');
    const problems = report.nodes.filter((n) => n.error !== null).map((n) => n.name);
    expect(problems).toEqual(['master']);
    expect(report.nodes.map((n) => [n.name, n.role, n.master])).toEqual([
      ['master', null, null],
      ['slave1', 'master', null],
      ['slave2', 'replica', 'slave1'],
    ]);
    expect(existsSync(join(set.box.home, 'seed-lab', 'roles.json'))).toBe(true);
  });

  it('up brings the old master back as a replica of the new one', async () => {
    const up = await set.rctl(['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/master: launched/);
    expect(up.stdout).toMatch(new RegExp(`master: REPLICAOF 127\\.0\\.0\\.17 ${set.byName('slave1').port} \\(rejoins: it holds `));
    expect(up.stdout).toContain('seed-lab: healthy; master slave1, 2/2 replicas linked');
    await settled(set, 'slave1');
    const master = set.byName('master');
    expect(await set.client('master').get('age')).toBe('35');
    expect(await dumpKeyspace(master.host, master.port, PASSWORD, 1)).toEqual(await dumpKeyspace(set.byName('slave1').host, set.byName('slave1').port, PASSWORD, 1));
    const status = await set.rctl(['status']);
    expect(status.code, status.stdout).toBe(0);
    // The rejoined node is off the overlay's list, and a second up changes nothing.
    const again = await set.rctl(['up', '--json']);
    expect(parseJson(again)).toMatchObject({ changed: false });
  });
}

describe('the seeds\' scenario on bundled nodes (launch: embedded)', () => seedScenario('embedded', 'name'));
describeWithRedis('the seeds\' scenario on redis-server (launch: redis-server)', () => seedScenario('redis-server', 'host'));
