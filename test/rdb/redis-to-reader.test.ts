// Files written by a real Redis 7.0 load in our reader, with every encoding Redis uses present:
// quicklist v2 nodes (packed, compressed with list-compress-depth, and plain), listpack and hashtable
// hashes, intsets and hashtable sets, listpack and skiplist zsets, integer and LZF strings, TTLs,
// LRU/LFU opcodes and several databases. Each file is read whole, in random chunks and byte by byte.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Value } from '../../src/server/keyspace/values';
import { databaseFromMaps, RdbReader, writeRdbToBuffer } from '../../src/server/rdb';
import {
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
} from '../../src/server/rdb/constants';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { randomChunks, readRedisKeyspace, readWithOurReader, startRedisOnRdb, waitUntilLoaded, type PlainKeyspace } from './helpers';

const binary = (n: number): Buffer => randomBytes(n);

async function fillEveryEncoding(client: Redis): Promise<void> {
  const p = client.pipeline();
  for (const db of [0, 2, 15]) {
    p.select(db);
    p.set('str:small', 'hello');
    p.set('str:int16', '12345');
    p.set('str:neg', '-7');
    p.set('str:int32', '100000');
    p.set('str:int64', '9223372036854775807');
    p.set('str:long', 'abcdefgh'.repeat(1000));
    p.set('str:random', binary(5000));
    p.set(Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]), Buffer.from([0x01, 0x02, 0xfe, 0x00]));
    p.set('str:ttl', 'expiring', 'EX', 100000);
    p.rpush('list:small', 'a', 'b', '3', '-4', 'e', '');
    for (let i = 0; i < 20_000; i += 500) {
      p.rpush('list:large', ...Array.from({ length: 500 }, (_, j) => ((i + j) % 4 === 0 ? String((i + j) * 131 - 700_000) : `element-${i + j}-${'x'.repeat((i + j) % 50)}`)));
    }
    p.rpush('list:ints', '0', '127', '128', '-1', '4095', '4096', '-4097', '32768', '8388608', '2147483648', '9223372036854775807', '-9223372036854775808');
    p.rpush('list:bigitems', 'y'.repeat(70_000), 'small', binary(10_000));
    p.hset('hash:small', 'f1', 'v1', 'f2', '2', 'f3', '-3');
    p.hset('hash:large', ...Array.from({ length: 600 }, (_, i) => [`field${i}`, i % 2 ? `value${i}` : String(i)]).flat());
    p.hset('hash:longvalue', 'f', 'v'.repeat(100));
    p.sadd('set:ints', '1', '2', '3', '100000', '-5', '4294967296');
    p.sadd('set:int16', '1', '2', '-3');
    p.sadd('set:strings', 'a', 'b', 'c');
    p.sadd('set:large', ...Array.from({ length: 600 }, (_, i) => `member${i}`));
    p.sadd('set:manyints', ...Array.from({ length: 600 }, (_, i) => String(i * 7)));
    p.zadd('zset:small', '1', 'a', '2.5', 'b', '-3', 'c', 'inf', 'd', '-inf', 'e', '0.1', 'f', '1e300', 'g');
    p.zadd('zset:large', ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `m${i}`]).flat());
    p.zadd('zset:longmember', '5', 'm'.repeat(100));
    p.hset('hash:ttl', 'a', '1');
    p.pexpire('hash:ttl', 100_000_000);
    p.zadd('zset:ttl', '1', 'a');
    p.pexpireat('zset:ttl', 4_102_444_800_123);
  }
  p.select(0);
  await p.exec();
}

async function save(client: Redis, server: RedisProcess): Promise<Buffer> {
  await client.save();
  return readFileSync(join(server.dir, 'dump.rdb'));
}

function expectSameKeyspace(actual: PlainKeyspace, expected: PlainKeyspace): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const db of Object.keys(expected).map(Number)) {
    expect(Object.keys(actual[db])).toEqual(Object.keys(expected[db]));
    for (const key of Object.keys(expected[db])) expect(actual[db][key], `db ${db} key ${JSON.stringify(key)}`).toEqual(expected[db][key]);
  }
}

describeWithRedis('RDB reader: files written by redis-server 7.0', () => {
  let server: RedisProcess;
  let client: Redis;
  let bigFile: Buffer;
  let bigExpected: PlainKeyspace;
  let smallFile: Buffer;
  let smallExpected: PlainKeyspace;

  beforeAll(async () => {
    server = await startRedisServer({
      directives: { 'list-compress-depth': '1', 'maxmemory-policy': 'allkeys-lru', 'enable-debug-command': 'yes' },
    });
    client = new Redis({ host: server.host, port: server.port, lazyConnect: true });
    await client.connect();
    await fillEveryEncoding(client);
    // Plain quicklist nodes: elements above the packed threshold get a node of their own.
    await client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1000');
    await client.rpush('list:plain', 'p'.repeat(5000), 'tiny', binary(3000), 'q'.repeat(1000), 'r'.repeat(999));
    await client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(1 << 30));
    bigFile = await save(client, server);
    bigExpected = await readRedisKeyspace(server.port);

    // A small file with LFU counters instead of LRU idle times.
    await client.config('SET', 'maxmemory-policy', 'allkeys-lfu');
    await client.flushall();
    await client.set('a', '1');
    await client.set('b', 'x'.repeat(40), 'PX', 50_000_000);
    await client.rpush('l', 'a', '1', '-100000');
    await client.hset('h', 'k', 'v');
    await client.sadd('s', '7', '8');
    await client.sadd('s2', 'seven');
    await client.zadd('z', '1.5', 'm', '2', 'n');
    await client.select(3);
    await client.set('in-db-3', 'y');
    await client.select(0);
    smallFile = await save(client, server);
    smallExpected = await readRedisKeyspace(server.port);
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it('reads the whole file: every key, value and TTL as Redis reports them', () => {
    const { keyspace, reader, aux } = readWithOurReader([bigFile]);
    expectSameKeyspace(keyspace, bigExpected);
    expect(reader.done).toBe(true);
    expect(reader.checksumOk).toBe(true);
    expect(reader.version).toBe(10);
    expect(reader.bytesConsumed).toBe(bigFile.length);
    expect(aux.get('redis-ver')).toBe('7.0.15');
    expect(aux.get('redis-bits')).toBe('64');
  });

  it('the file really contained every encoding this test is about', () => {
    const { reader } = readWithOurReader([bigFile]);
    for (const type of [RDB_TYPE_STRING, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_HASH, RDB_TYPE_SET_INTSET, RDB_TYPE_SET, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_ZSET_2]) {
      expect(reader.typeCounts[type], `RDB type ${type}`).toBeGreaterThan(0);
    }
    expect(reader.lzfStrings).toBeGreaterThan(10);
  });

  it('reads the file fed in random chunks, and tells how many bytes it used', () => {
    for (const [maxChunk, seed] of [[7, 1], [100, 2], [4096, 3], [65536, 4]] as const) {
      const { keyspace, reader } = readWithOurReader(randomChunks(bigFile, maxChunk, seed));
      expectSameKeyspace(keyspace, bigExpected);
      expect(reader.bytesConsumed).toBe(bigFile.length);
    }
  });

  it('reads a small file byte by byte, with LFU counters', () => {
    const bytes = [...smallFile].map((_, i) => smallFile.subarray(i, i + 1));
    const { keyspace, reader } = readWithOurReader(bytes);
    expectSameKeyspace(keyspace, smallExpected);
    expect(reader.checksumOk).toBe(true);
  });

  it('stops exactly at the end of the payload when more bytes follow (diskless transfer)', () => {
    const trailer = Buffer.from('0123456789abcdef0123456789abcdef01234567*1\r\n$4\r\nPING\r\n');
    for (const maxChunk of [3, 1000, smallFile.length + trailer.length]) {
      const entries: string[] = [];
      const reader = new RdbReader({ onEntry: (_db, key) => entries.push(key) });
      const stream = Buffer.concat([smallFile, trailer]);
      const left: Buffer[] = [];
      for (const chunk of randomChunks(stream, maxChunk, 9)) {
        const used = reader.write(chunk);
        if (used < chunk.length) left.push(chunk.subarray(used));
      }
      expect(reader.done).toBe(true);
      expect(Buffer.concat(left).equals(trailer)).toBe(true);
      expect(reader.bytesConsumed).toBe(smallFile.length);
      expect(entries.length).toBe(Object.values(smallExpected).reduce((n, db) => n + Object.keys(db).length, 0));
    }
  });

  it('what our reader loads, written back by our writer, gives Redis the same DEBUG DIGEST', async () => {
    const databases = new Map<number, { data: Map<string, Value>; expires: Map<string, number> }>();
    const reader = new RdbReader({
      onEntry: (db, key, value, expireMs) => {
        if (!databases.has(db)) databases.set(db, { data: new Map(), expires: new Map() });
        const target = databases.get(db)!;
        target.data.set(key, value);
        if (expireMs !== undefined) target.expires.set(key, expireMs);
      },
    });
    reader.write(bigFile);
    reader.end();
    const payload = writeRdbToBuffer({ databases: [...databases].map(([index, db]) => databaseFromMaps(index, db.data, db.expires)) });

    const original = await startRedisOnRdb(bigFile, { 'enable-debug-command': 'yes' });
    const copy = await startRedisOnRdb(payload, { 'enable-debug-command': 'yes', 'sanitize-dump-payload': 'yes' });
    try {
      await waitUntilLoaded(original);
      await waitUntilLoaded(copy);
      const digest = async (port: number) => {
        const c = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
        await c.connect();
        try {
          return [String(await c.call('DEBUG', 'DIGEST')), String(await c.dbsize())];
        } finally {
          c.disconnect();
        }
      };
      const [originalDigest, copyDigest] = [await digest(original.port), await digest(copy.port)];
      expect(originalDigest[0]).not.toBe('0'.repeat(40));
      expect(copyDigest).toEqual(originalDigest);
    } finally {
      await original.cleanup();
      await copy.cleanup();
    }
  });
});
