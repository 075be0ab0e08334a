// AOF persistence of the bundled node (Redis 7.0 multi-part layout): restart cycles with every type,
// kill -9 under a write load (always / everysec), truncated and corrupt files, BGREWRITEAOF, and
// cross-loading of appendonlydir with a real redis-server in both directions.

import { expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { describeWithRedis, redisServerPath, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { rctlBin, startNode, startNodeProcess } from '../helpers/bundled-node';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { fillEveryType } from '../helpers/fill-data';
import { eventually } from '../helpers/wait';
import { infoFields } from '../helpers/info';
import { encodeCommand } from '../helpers/raw-connection';
import { freePort } from '../helpers/ports';
import type { RunningServer } from '../../src/server/index';
import { useCleanups } from '../helpers/cleanups';

const INCR_FILE = 'appendonly.aof.1.incr.aof';
const COLD_KEYS = 100_000;

const cleanups = useCleanups();
const tempDir = () => cleanups.tempDir('rctl-aof-');

function connect(host: string, port: number): Redis {
  const client = new Redis({ host, port, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  cleanups.add(() => client.disconnect());
  return client;
}

async function aofNode(dir: string, config: Record<string, string | number> = {}): Promise<{ node: RunningServer; client: Redis; log: () => string }> {
  const node = await startNode({ config: { dir, appendonly: 'yes', ...config }, keepLog: true });
  cleanups.add(() => node.close());
  const client = connect(node.host, node.port);
  return { node, client, log: () => node.server.logger.memory?.join('\n') ?? '' };
}

function aofDirSize(dir: string): number {
  const aofDir = join(dir, 'appendonlydir');
  return readdirSync(aofDir)
    .filter((name) => !name.endsWith('.manifest'))
    .reduce((sum, name) => sum + statSync(join(aofDir, name)).size, 0);
}

/** redis-server on a dir holding an appendonlydir; it opens its port before loading, so wait for the end of the load. */
async function startRealOnAof(dir: string): Promise<RedisProcess> {
  const real = await startRedisServer({ directives: { dir, appendonly: 'yes' } });
  cleanups.add(() => real.stop());
  await eventually(() => real.log().includes('Ready to accept connections'), { what: 'redis-server loaded its AOF' });
  return real;
}

/** Writes that change every type in place, across dbs, so the incr file replays real work. */
async function mutateEveryType(client: Redis): Promise<void> {
  await client.incrby('str:int', 10);
  await client.append('str:small', ' world');
  await client.lpop('list:small');
  await client.rpush('list:large', 'tail');
  await client.hset('hash:small', 'f4', 'new');
  await client.hdel('hash:large', 'field7');
  await client.srem('set:ints', '2');
  await client.sadd('set:strings', 'd');
  await client.zincrby('zset:small', 10, 'a');
  await client.zrem('zset:large', 'm3');
  await client.expire('list:small', 500000);
  await client.persist('hash:ttl');
  await client.rename('str:negint', 'str:renamed');
  await client.incrbyfloat('float', '1.5');
  await client.multi().set('tx:a', '1').incr('tx:b').lpush('tx:list', 'x').exec();
  await client.select(5);
  await client.set('db5', 'five');
  await client.select(3);
  await client.del('str:long');
  await client.flushdb();
  await client.set('db3:after-flush', 'yes');
  await client.select(0);
  await client.set('str:px', 'v', 'PX', 10_000_000);
  await client.getdel('str:bigint');
}

describeWithRedis('persistence: AOF', () => {
  it('appendonly yes: a restart loads every type, several dbs and transactions back', async () => {
    const dir = tempDir();
    const first = await aofNode(dir);
    await fillEveryType(first.client);
    await mutateEveryType(first.client);
    const before = await dumpKeyspace(first.node.host, first.node.port);
    await first.node.close();

    const second = await aofNode(dir);
    expect(await dumpKeyspace(second.node.host, second.node.port)).toEqual(before);
    expect(second.log()).toMatch(/DB loaded from incr file appendonly\.aof\.1\.incr\.aof: \d+\.\d+ seconds/);
    expect(second.log()).toMatch(/DB loaded from append only file: \d+\.\d+ seconds/);
    // More writes after the restart go to the same incr file and survive the next restart too.
    await second.client.set('after-restart', '1');
    const again = await dumpKeyspace(second.node.host, second.node.port);
    await second.node.close();
    const third = await aofNode(dir);
    expect(await dumpKeyspace(third.node.host, third.node.port)).toEqual(again);
    expect((await infoFields(third.client, 'persistence')).aof_enabled).toBe('1');
  });

  // Skipped until src/server/server.ts stops expiring keys while loading (Redis's keyIsExpired returns 0
  // during loading): today the replayed INCR / SET KEEPTTL meet the key already expired, delete it
  // and recreate it without its TTL, so a key that should be gone comes back for good.
  it('keys whose TTL passed while the node was down stay gone after the replay, as in redis-server', async () => {
    const dir = tempDir();
    const pastMs = String(Date.now() - 100_000);
    const aofDir = join(dir, 'appendonlydir');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(aofDir);
    writeFileSync(join(aofDir, 'appendonly.aof.manifest'), `file ${INCR_FILE} seq 1 type i\n`);
    const commands = [
      ['SELECT', '0'],
      ['SET', 'k', '5', 'PXAT', pastMs],
      ['INCR', 'k'],
      ['SET', 'j', '1', 'PXAT', pastMs],
      ['SET', 'j', '2', 'KEEPTTL'],
      ['SET', 'alive', 'yes'],
    ];
    writeFileSync(join(aofDir, INCR_FILE), Buffer.concat(commands.map((c) => encodeCommand(c))));
    const realDir = tempDir();
    cpSync(aofDir, join(realDir, 'appendonlydir'), { recursive: true });
    const real = await startRealOnAof(realDir);
    const { node } = await aofNode(dir);
    const expected = await dumpKeyspace(real.host, real.port);
    expect(expected).toEqual({ '0': { alive: { type: 'string', value: 'yes', hasTtl: false } } });
    expect(await dumpKeyspace(node.host, node.port)).toEqual(expected);
  });

  for (const appendfsync of ['always', 'everysec'] as const) {
    it(`kill -9 in the middle of a write load with appendfsync ${appendfsync}: acknowledged writes survive`, { timeout: 90_000 }, async () => {
      const dir = tempDir();
      const args = ['--dir', dir, '--appendonly', 'yes', '--appendfsync', appendfsync, '--save', ''];
      const proc = await startNodeProcess(args);
      cleanups.add(() => void proc.stop());
      const ackedKeys = new Map<string, string>();
      const ackedCounters = new Map<string, number>();
      const ackTimes: number[] = [];
      let stop = false;
      const workers = Array.from({ length: 4 }, async (_, w) => {
        const client = connect(proc.host, proc.port);
        await client.ping();
        for (let n = 1; !stop; n++) {
          try {
            await client.set(`w:${w}:${n}`, `value-${n}`);
            ackedKeys.set(`w:${w}:${n}`, `value-${n}`);
            ackTimes.push(Date.now());
            const value = await client.incr(`counter:${w}`);
            ackedCounters.set(`counter:${w}`, value);
            ackTimes.push(Date.now());
          } catch {
            return; // the node was killed with this request in flight: it was never acknowledged
          }
        }
      });
      // Long enough that "the last second" is only part of the load, so the everysec bound means something.
      const loadStarted = Date.now();
      await eventually(() => ackTimes.length >= 2000 && Date.now() - loadStarted >= 2500, { timeout: 60_000, what: '2000 acknowledged writes' });
      const killedAt = Date.now();
      await proc.stop('SIGKILL');
      stop = true;
      await Promise.all(workers);

      const restarted = await startNodeProcess(args);
      cleanups.add(() => void restarted.stop());
      const client = connect(restarted.host, restarted.port);
      const keys = [...ackedKeys.keys()];
      const values = keys.length > 0 ? await client.mget(keys) : [];
      let lostKeys = 0;
      keys.forEach((key, i) => {
        if (values[i] !== ackedKeys.get(key)) lostKeys++;
      });
      let lostIncrements = 0;
      for (const [key, acked] of ackedCounters) {
        const value = Number(await client.get(key));
        if (value < acked) lostIncrements += acked - value;
        // One unacknowledged INCR may have been in flight, never more per connection.
        expect(value).toBeLessThanOrEqual(acked + 1);
      }
      const acked = ackedKeys.size + [...ackedCounters.values()].reduce((a, b) => a + b, 0);
      const lastSecond = ackTimes.filter((t) => t >= killedAt - 1000).length;
      const lost = lostKeys + lostIncrements;
      process.stdout.write(
        `[aof ${appendfsync}] kill -9 after ${acked} acknowledged writes (${lastSecond} in the last second): ` +
          `${acked - lost} present after restart, ${lost} lost\n`,
      );
      if (appendfsync === 'always') expect(lost).toBe(0);
      else expect(lost).toBeLessThanOrEqual(lastSecond);
    });
  }

  async function writeThenCut(dir: string): Promise<{ validSize: number; fullSize: number; incrPath: string }> {
    const first = await aofNode(dir);
    await first.client.set('a', '1');
    await first.client.rpush('list', 'x', 'y');
    const incrPath = join(dir, 'appendonlydir', INCR_FILE);
    const validSize = statSync(incrPath).size;
    await first.client.set('cut', 'this command is cut in the middle');
    await first.node.close();
    const data = readFileSync(incrPath);
    writeFileSync(incrPath, data.subarray(0, data.length - 9));
    return { validSize, fullSize: data.length, incrPath };
  }

  it('a truncated last command is cut off with Redis\'s warnings (aof-load-truncated yes), at the offset redis-server picks', async () => {
    const dir = tempDir();
    const { validSize, incrPath } = await writeThenCut(dir);
    const realDir = tempDir();
    cpSync(join(dir, 'appendonlydir'), join(realDir, 'appendonlydir'), { recursive: true });

    const { node, client, log } = await aofNode(dir);
    expect(await client.get('a')).toBe('1');
    expect(await client.lrange('list', 0, -1)).toEqual(['x', 'y']);
    expect(await client.exists('cut')).toBe(0);
    expect(statSync(incrPath).size).toBe(validSize);
    for (const line of [
      `!!! Warning: short read while loading the AOF file ${INCR_FILE}!!!`,
      `!!! Truncating the AOF ${INCR_FILE} at offset ${validSize} !!!`,
      `AOF ${INCR_FILE} loaded anyway because aof-load-truncated is enabled`,
    ]) {
      expect(log()).toContain(line);
    }
    // Appends continue at the cut: the next restart reads a clean file.
    await client.set('after', 'cut');
    await node.close();
    const again = await aofNode(dir);
    expect(await again.client.get('after')).toBe('cut');
    expect(again.log()).not.toContain('short read');

    const real = await startRealOnAof(realDir);
    expect(real.log()).toContain(`!!! Truncating the AOF ${INCR_FILE} at offset ${validSize} !!!`);
    expect(statSync(join(realDir, 'appendonlydir', INCR_FILE)).size).toBe(validSize);
  });

  it('a torn write anywhere in the last command: the node keeps what redis-server keeps, with its log lines', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const { validSize, fullSize, incrPath } = await writeThenCut(dir);
    const original = readFileSync(incrPath);
    // writeThenCut removed 9 bytes; put the whole command back and cut it at every kind of place:
    // inside the '*' line, a '$' line, the argument bytes, and before the final CRLF.
    const lastCommand = encodeCommand(['SET', 'cut', 'this command is cut in the middle']);
    expect(fullSize - validSize).toBe(lastCommand.length);
    const whole = Buffer.concat([original.subarray(0, validSize), lastCommand]);
    for (const keep of [1, 3, 4, 8, 13, 20, 35, lastCommand.length - 2, lastCommand.length - 1]) {
      writeFileSync(incrPath, whole.subarray(0, validSize + keep));
      const realDir = tempDir();
      cpSync(join(dir, 'appendonlydir'), join(realDir, 'appendonlydir'), { recursive: true });
      const { node, client, log } = await aofNode(dir);
      expect(await client.exists('cut'), `${keep} bytes of the last command kept`).toBe(0);
      expect(await client.get('a')).toBe('1');
      expect(statSync(incrPath).size).toBe(validSize);
      await node.close();
      const real = await startRealOnAof(realDir);
      for (const line of [`!!! Warning: short read while loading the AOF file ${INCR_FILE}!!!`, `!!! Truncating the AOF ${INCR_FILE} at offset ${validSize} !!!`]) {
        expect(log(), `${keep} bytes kept`).toContain(line);
        expect(real.log(), `${keep} bytes kept`).toContain(line);
      }
      expect(statSync(join(realDir, 'appendonlydir', INCR_FILE)).size).toBe(validSize);
      await real.stop();
    }
  });

  it('with aof-load-truncated no the node refuses to start, naming the file and the byte offset', async () => {
    const dir = tempDir();
    const { validSize, incrPath } = await writeThenCut(dir);
    const sizeBefore = statSync(incrPath).size;
    const result = spawnSync(process.execPath, [rctlBin, 'server', '--port', '0', '--dir', dir, '--appendonly', 'yes', '--aof-load-truncated', 'no'], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Unexpected end of file reading the append only file ${INCR_FILE}`);
    expect(result.stderr).toContain(incrPath);
    expect(result.stderr).toContain(`byte offset ${validSize}`);
    // Nothing was cut: the operator decides.
    expect(statSync(incrPath).size).toBe(sizeBefore);
    if (redisServerPath) {
      const real = spawnSync(redisServerPath, ['--port', String(await freePort()), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--aof-load-truncated', 'no'], { encoding: 'utf8', timeout: 20_000 });
      expect(real.status).toBe(1);
      expect(real.stdout).toContain(`Unexpected end of file reading the append only file ${INCR_FILE}`);
    }
  });

  it('a corrupt command in the middle of the AOF stops the start, even with aof-load-truncated yes', async () => {
    const dir = tempDir();
    const first = await aofNode(dir);
    await first.client.set('a', '1');
    const incrPath = join(dir, 'appendonlydir', INCR_FILE);
    const corruptAt = statSync(incrPath).size;
    await first.client.set('b', '2');
    await first.client.set('c', '3');
    await first.node.close();
    const data = readFileSync(incrPath);
    expect(data[corruptAt]).toBe('*'.charCodeAt(0));
    data[corruptAt] = '!'.charCodeAt(0);
    writeFileSync(incrPath, data);
    const result = spawnSync(process.execPath, [rctlBin, 'server', '--port', '0', '--dir', dir, '--appendonly', 'yes'], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Bad file format reading the append only file ${INCR_FILE}`);
    expect(result.stderr).toContain(incrPath);
    expect(result.stderr).toContain(`byte offset ${corruptAt}`);
    expect(readFileSync(incrPath)).toEqual(data);
    if (redisServerPath) {
      const real = spawnSync(redisServerPath, ['--port', String(await freePort()), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'], { encoding: 'utf8', timeout: 20_000 });
      expect(real.status).toBe(1);
      expect(real.stdout).toContain(`Bad file format reading the append only file ${INCR_FILE}`);
    }
  });

  it('a MULTI without its EXEC at the end is reverted and cut, as redis-server does', async () => {
    const dir = tempDir();
    const first = await aofNode(dir);
    await first.client.set('a', '1');
    await first.node.close();
    const incrPath = join(dir, 'appendonlydir', INCR_FILE);
    const validSize = statSync(incrPath).size;
    appendFileSync(incrPath, Buffer.concat([encodeCommand(['MULTI']), encodeCommand(['SET', 'z', '9']), encodeCommand(['INCR', 'a'])]));
    const realDir = tempDir();
    cpSync(join(dir, 'appendonlydir'), join(realDir, 'appendonlydir'), { recursive: true });

    const { client, log } = await aofNode(dir);
    expect(await client.get('a')).toBe('1');
    expect(await client.exists('z')).toBe(0);
    expect(log()).toContain(`Revert incomplete MULTI/EXEC transaction in AOF file ${INCR_FILE}`);
    expect(statSync(incrPath).size).toBe(validSize);

    const real = await startRealOnAof(realDir);
    expect(real.log()).toContain(`Revert incomplete MULTI/EXEC transaction in AOF file ${INCR_FILE}`);
    expect(statSync(join(realDir, 'appendonlydir', INCR_FILE)).size).toBe(validSize);
  });

  it('BGREWRITEAOF compacts without blocking, and a restart after it loads the same data', async () => {
    const dir = tempDir();
    const { node, client } = await aofNode(dir);
    // Many overwrites of few keys (what compaction removes), plus enough keys that the rewrite takes many slices.
    for (let round = 0; round < 20; round++) {
      const p = client.pipeline();
      for (let i = 0; i < 5000; i++) p.set(`hot:${i % 100}`, `round-${round}-${i}`);
      await p.exec();
    }
    // In db 1, checked with MGET: a key-by-key dump of 100k keys would dominate the test's time.
    const filler = client.pipeline().select(1);
    for (let i = 0; i < COLD_KEYS; i++) filler.set(`cold:${i}`, `v${i}`);
    await filler.select(0).exec();
    const sizeBefore = aofDirSize(dir);

    expect(await client.bgrewriteaof()).toBe('Background append only file rewriting started');
    let answeredDuringRewrite = 0;
    for (let i = 0; ; i++) {
      const inProgress = (await infoFields(client, 'persistence')).aof_rewrite_in_progress === '1';
      if (!inProgress) break;
      // Writes during the rewrite land in the new incr file.
      await client.set(`during:${i}`, String(i));
      expect(await client.get('hot:7')).not.toBeNull();
      answeredDuringRewrite++;
    }
    process.stdout.write(`[aof rewrite] ${answeredDuringRewrite} request rounds answered while the rewrite ran; AOF ${sizeBefore} -> ${aofDirSize(dir)} bytes\n`);
    expect(answeredDuringRewrite).toBeGreaterThan(0);
    const info = await infoFields(client, 'persistence');
    expect(info.aof_last_bgrewrite_status).toBe('ok');
    expect(info.aof_rewrites).toBe('1');
    expect(aofDirSize(dir)).toBeLessThan(sizeBefore);
    const manifest = readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
    expect(manifest).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    expect(existsSync(join(dir, 'appendonlydir', INCR_FILE))).toBe(false);

    await client.set('after-rewrite', 'yes');
    const before = await dumpKeyspace(node.host, node.port, undefined, 1);
    await node.close();
    const restarted = await aofNode(dir);
    expect(await dumpKeyspace(restarted.node.host, restarted.node.port, undefined, 1)).toEqual(before);
    await restarted.client.select(1);
    expect(await restarted.client.dbsize()).toBe(COLD_KEYS);
    for (let start = 0; start < COLD_KEYS; start += 10_000) {
      const keys = Array.from({ length: 10_000 }, (_, i) => `cold:${start + i}`);
      expect(await restarted.client.mget(keys)).toEqual(keys.map((_, i) => `v${start + i}`));
    }
  });

  it('CONFIG SET appendonly yes at run time writes a base of the existing data, then appends', async () => {
    const dir = tempDir();
    const node = await startNode({ config: { dir }, keepLog: true });
    cleanups.add(() => node.close());
    const client = connect(node.host, node.port);
    await fillEveryType(client);
    await client.config('SET', 'appendonly', 'yes');
    await client.set('during-first-rewrite', '1');
    await eventually(async () => (await infoFields(client, 'persistence')).aof_rewrites === '1', { what: 'first rewrite done' });
    await client.set('after-first-rewrite', '1');
    expect(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    expect(readdirSync(join(dir, 'appendonlydir')).sort()).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    const before = await dumpKeyspace(node.host, node.port);
    await node.close();
    const restarted = await aofNode(dir);
    expect(await dumpKeyspace(restarted.node.host, restarted.node.port)).toEqual(before);
  });

  it('BGREWRITEAOF with appendonly no writes a base-only AOF, as redis-server 7.0 does', async () => {
    const dir = tempDir();
    const node = await startNode({ config: { dir }, keepLog: true });
    cleanups.add(() => node.close());
    const client = connect(node.host, node.port);
    await fillEveryType(client);
    expect(await client.bgrewriteaof()).toBe('Background append only file rewriting started');
    await eventually(async () => (await infoFields(client, 'persistence')).aof_rewrites === '1', { what: 'rewrite done' });
    const info = await infoFields(client, 'persistence');
    expect(info.aof_enabled).toBe('0');
    expect(info.aof_last_bgrewrite_status).toBe('ok');
    // The manifest redis-server writes in this case, observed: one base, no incr file.
    expect(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1')).toBe('file appendonly.aof.1.base.rdb seq 1 type b\n');
    const expected = await dumpKeyspace(node.host, node.port);
    const realDir = tempDir();
    cpSync(join(dir, 'appendonlydir'), join(realDir, 'appendonlydir'), { recursive: true });
    const real = await startRealOnAof(realDir);
    expect(await dumpKeyspace(real.host, real.port)).toEqual(expected);
  });

  it("redis-server loads the node's appendonlydir (base + incr)", async () => {
    const dir = tempDir();
    const { node, client } = await aofNode(dir);
    await fillEveryType(client);
    await client.bgrewriteaof();
    await eventually(async () => (await infoFields(client, 'persistence')).aof_rewrite_in_progress === '0', { what: 'rewrite done' });
    // After the rewrite: data in the RDB base, then commands in the incr file.
    await fillEveryType(client, 'incr:');
    await mutateEveryType(client);
    const expected = await dumpKeyspace(node.host, node.port);
    const realDir = tempDir();
    cpSync(join(dir, 'appendonlydir'), join(realDir, 'appendonlydir'), { recursive: true });
    const real = await startRealOnAof(realDir);
    expect(real.log()).toContain('DB loaded from append only file');
    expect(await dumpKeyspace(real.host, real.port)).toEqual(expected);
  });

  for (const preamble of ['yes', 'no'] as const) {
    it(`the node loads a real redis-server's appendonlydir (aof-use-rdb-preamble ${preamble})`, async () => {
      // appendfsync always: with everysec redis-server may postpone its write behind a slow
      // background fsync and acknowledge commands that are not in the file yet.
      const real = await startRedisServer({ directives: { appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': preamble, 'list-compress-depth': '1' } });
      cleanups.add(() => real.stop());
      const realClient = connect(real.host, real.port);
      await fillEveryType(realClient);
      await realClient.bgrewriteaof();
      await eventually(async () => {
        const info = await infoFields(realClient, 'persistence');
        return info.aof_rewrite_in_progress === '0' && info.aof_rewrite_scheduled === '0' && info.aof_rewrites === '1';
      }, { what: 'redis-server rewrite done' });
      await fillEveryType(realClient, 'incr:');
      await mutateEveryType(realClient);
      const expected = await dumpKeyspace(real.host, real.port);
      const dir = tempDir();
      cpSync(join(real.dir, 'appendonlydir'), join(dir, 'appendonlydir'), { recursive: true });
      const { node, log } = await aofNode(dir);
      expect(await dumpKeyspace(node.host, node.port)).toEqual(expected);
      expect(log()).toMatch(preamble === 'yes' ? /DB loaded from base file appendonly\.aof\.2\.base\.rdb/ : /DB loaded from base file appendonly\.aof\.2\.base\.aof/);
    });
  }
});
