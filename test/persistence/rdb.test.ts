// RDB persistence of the bundled node: SAVE/BGSAVE/save points/SHUTDOWN, loading at start,
// cross-loading with real redis-server and redis-check-rdb, and the refusals on bad files.

import { expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { startNode, startNodeProcess } from '../helpers/bundled-node';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { fillEveryType } from '../helpers/fill-data';
import { eventually } from '../helpers/wait';
import { ManualClock } from '../../src/server/clock';
import type { RunningServer } from '../../src/server/index';
import { useCleanups } from '../helpers/cleanups';

const cleanups = useCleanups();
const tempDir = () => cleanups.tempDir('rctl-persist-');

async function node(config: Record<string, string | number>, clock?: ManualClock): Promise<{ node: RunningServer; client: Redis }> {
  const started = await startNode({ config, clock, keepLog: true });
  const client = new Redis({ host: started.host, port: started.port, lazyConnect: false });
  client.on('error', () => {});
  cleanups.add(async () => {
    client.disconnect();
    await started.close();
  });
  return { node: started, client };
}

describeWithRedis('persistence: RDB', () => {
  it('SAVE writes dump.rdb and a restart loads every type back', async () => {
    const dir = tempDir();
    const first = await node({ dir });
    await fillEveryType(first.client);
    const before = await dumpKeyspace(first.node.host, first.node.port);
    expect(await first.client.save()).toBe('OK');
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true);
    const info = await first.client.info('persistence');
    expect(info).toContain('rdb_changes_since_last_save:0');
    expect(info).toContain('rdb_last_bgsave_status:ok');
    const second = await node({ dir });
    expect(await dumpKeyspace(second.node.host, second.node.port)).toEqual(before);
    expect(second.node.server.logger.memory?.join('\n')).toMatch(/DB loaded from disk: \d+\.\d+ seconds/);
  });

  it('BGSAVE keeps serving and saves the point in time it started at', async () => {
    const dir = tempDir();
    const { node: n, client } = await node({ dir });
    const p = client.pipeline();
    for (let i = 0; i < 50_000; i++) p.set(`k:${i}`, `v:${i}`);
    await p.exec();
    await client.set('counter', '0');
    expect(await client.bgsave()).toBe('Background saving started');
    // Writes during the save must not leak into the file, reads must keep working.
    for (let i = 0; i < 200; i++) await client.incr('counter');
    await client.del('k:1');
    expect(await client.get('k:2')).toBe('v:2');
    await n.server.persistence.waitForBgsave();
    const restored = await node({ dir });
    expect(await restored.client.get('counter')).toBe('0');
    expect(await restored.client.get('k:1')).toBe('v:1');
    expect(await restored.client.dbsize()).toBe(50_001);
  });

  it('save points trigger a background save (injected clock, no sleeping)', async () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.now());
    const { node: n, client } = await node({ dir, save: '10 3' }, clock);
    await client.set('a', '1');
    await client.set('b', '2');
    n.server.cron();
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(false);
    await client.set('c', '3');
    clock.advance(11_000);
    n.server.cron();
    await n.server.persistence.waitForBgsave();
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true);
    expect(n.server.logger.memory?.join('\n')).toContain('3 changes in 10 seconds. Saving...');
    expect(await client.info('persistence')).toContain('rdb_changes_since_last_save:0');
  });

  it('SHUTDOWN saves when save points are set, SHUTDOWN NOSAVE does not', async () => {
    const dir = tempDir();
    const proc = await startNodeProcess(['--dir', dir, '--save', '3600 1']);
    const client = new Redis({ host: proc.host, port: proc.port });
    await client.set('kept', 'yes');
    client.disconnect();
    const exited = new Promise<number | null>((resolve) => proc.process.once('exit', (code) => resolve(code)));
    spawnSync('redis-cli', ['-h', proc.host, '-p', String(proc.port), 'SHUTDOWN']);
    expect(await exited).toBe(0);
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true);
    const again = await startNodeProcess(['--dir', dir, '--save', '3600 1']);
    const client2 = new Redis({ host: again.host, port: again.port });
    expect(await client2.get('kept')).toBe('yes');
    await client2.set('lost', 'yes');
    client2.disconnect();
    const exited2 = new Promise<number | null>((resolve) => again.process.once('exit', (code) => resolve(code)));
    spawnSync('redis-cli', ['-h', again.host, '-p', String(again.port), 'SHUTDOWN', 'NOSAVE']);
    expect(await exited2).toBe(0);
    const third = await node({ dir });
    expect(await third.client.get('lost')).toBeNull();
    expect(await third.client.get('kept')).toBe('yes');
  });

  it('files the node writes pass redis-check-rdb and load in redis-server', async () => {
    const dir = tempDir();
    const { client } = await node({ dir });
    await fillEveryType(client);
    await client.save();
    const check = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toContain('RDB looks OK!');
    const realDir = tempDir();
    copyFileSync(join(dir, 'dump.rdb'), join(realDir, 'dump.rdb'));
    const real = await startRedisServer({ directives: { dir: realDir } });
    cleanups.add(() => real.stop());
    const n = (await node({ dir })).node;
    expect(await dumpKeyspace(real.host, real.port)).toEqual(await dumpKeyspace(n.host, n.port));
  });

  it('a dump.rdb written by redis-server loads in the node', async () => {
    const real = await startRedisServer({ directives: { 'list-compress-depth': '1' } });
    cleanups.add(() => real.stop());
    const realClient = new Redis({ host: real.host, port: real.port });
    cleanups.add(() => realClient.disconnect());
    await fillEveryType(realClient);
    await realClient.save();
    const dir = tempDir();
    copyFileSync(join(real.dir, 'dump.rdb'), join(dir, 'dump.rdb'));
    const { node: n } = await node({ dir });
    expect(await dumpKeyspace(n.host, n.port)).toEqual(await dumpKeyspace(real.host, real.port));
  });

  it('refuses to start on a corrupt or truncated dump.rdb, naming the file and offset', async () => {
    for (const damage of ['flip', 'truncate'] as const) {
      const dir = tempDir();
      const { client } = await node({ dir });
      await fillEveryType(client);
      await client.save();
      const path = join(dir, 'dump.rdb');
      const data = readFileSync(path);
      if (damage === 'flip') data[Math.floor(data.length / 2)] ^= 0x5a;
      writeFileSync(path, damage === 'flip' ? data : data.subarray(0, Math.floor(data.length / 3)));
      const result = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'rctl.js'), 'server', '--port', '0', '--dir', dir], { encoding: 'utf8', timeout: 20_000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(path);
      expect(result.stderr).toMatch(/offset \d+/);
      expect(result.stderr).toContain('Refusing to start with an empty dataset');
    }
  });

  it('an unwritable dir fails SAVE and BGSAVE as Redis does and refuses writes with MISCONF', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permissions: make the target a directory so the rename fails instead.
    }
    const dir = tempDir();
    const { node: n, client } = await node({ dir, save: '3600 1', dbfilename: 'dump.rdb' });
    // A directory where dump.rdb should go makes every save fail, even for root.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'dump.rdb'));
    chmodSync(dir, 0o500);
    cleanups.add(() => chmodSync(dir, 0o700));
    await client.set('x', '1');
    await expect(client.save()).rejects.toThrow(/^ERR$/);
    expect(await client.bgsave()).toBe('Background saving started');
    await n.server.persistence.waitForBgsave();
    expect(await client.info('persistence')).toContain('rdb_last_bgsave_status:err');
    await expect(client.set('y', '2')).rejects.toThrow(/^MISCONF Redis is configured to save RDB snapshots/);
    expect(await client.get('x')).toBe('1');
    await client.config('SET', 'stop-writes-on-bgsave-error', 'no');
    expect(await client.set('y', '2')).toBe('OK');
  });
});

void eventually;
