// Files written by our writer must load in a real Redis 7.0 (with deep payload sanitization on,
// so every listpack is validated) and pass redis-check-rdb, with every key, value and TTL intact.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Deque } from '../../src/server/keyspace/deque';
import { SortedSet } from '../../src/server/keyspace/sorted-set';
import type { Value } from '../../src/server/keyspace/values';
import { databaseFromMaps, writeRdbToBuffer, type RdbSource } from '../../src/server/rdb';
import { describeWithRedis } from '../helpers/redis-server';
import { checkRdb, plainKeyspaceOf, readRedisKeyspace, startRedisOnRdb, waitUntilLoaded } from './helpers';

interface TestDb {
  index: number;
  data: Map<string, Value>;
  expires: Map<string, number>;
}

const binary = (n: number): string => randomBytes(n).toString('latin1');

function buildDataset(): TestDb[] {
  const now = Date.now();
  const db0: TestDb = { index: 0, data: new Map(), expires: new Map() };
  const d = db0.data;
  // Strings: the integer encodings and the strings that only look like integers.
  const integers = ['0', '-1', '127', '128', '-128', '-129', '32767', '32768', '-32769', '2147483647', '2147483648', '-2147483648', '-2147483649', '9223372036854775807', '-9223372036854775808', '18446744073709551616'];
  for (const text of integers) d.set(`int:${text}`, text);
  for (const text of ['007', '+5', '-0', ' 1', '1 ', '1e3', '0x10', '']) d.set(`notint:[${text}]`, text);
  d.set('str:small', 'hello');
  d.set('str:compressible', 'abcdefgh'.repeat(5000));
  d.set('str:random', binary(20_000));
  d.set('str:huge', 'Z'.repeat(300_000) + binary(100));
  d.set('str:21', 'a'.repeat(21));
  d.set('\u0000\u00ff\r\nbinary key', binary(50));
  d.set('', 'empty key name');
  // Key names are integer-encoded too when they look like integers.
  d.set('12345', 'integer key');
  d.set('-7', Deque.from(['integer key list']));
  // Lists: one node, many nodes, integers of every listpack width, elements bigger than a node.
  d.set('list:small', Deque.from(['a', 'b', '3', '-4', '']));
  d.set('list:large', Deque.from(Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? String(i * 997 - 5_000_000) : `element-${i}-${'x'.repeat(i % 70)}`))));
  d.set('list:ints', Deque.from(['0', '127', '128', '-1', '4095', '4096', '-4096', '-4097', '32767', '32768', '-32769', '8388607', '8388608', '-8388609', '2147483647', '2147483648', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '00', '-0']));
  d.set('list:bigitems', Deque.from(['y'.repeat(70_000), 'small', binary(10_000), 'q'.repeat(8000), 'r'.repeat(8200)]));
  // Sets: integers (intset on load), many integers (hashtable), strings, binary members.
  d.set('set:ints', new Set(['1', '2', '3', '100000', '-5', '4294967296', '-9223372036854775808']));
  d.set('set:manyints', new Set(Array.from({ length: 600 }, (_, i) => String(i * 7))));
  d.set('set:strings', new Set(['a', 'b', 'c', '', binary(30)]));
  d.set('set:large', new Set(Array.from({ length: 2000 }, (_, i) => `member-${i}`)));
  // Hashes: small, large, long values, binary fields.
  d.set('hash:small', new Map([['f1', 'v1'], ['f2', '2'], ['f3', '-3'], ['', 'empty field']]));
  d.set('hash:large', new Map(Array.from({ length: 1000 }, (_, i) => [`field${i}`, i % 2 ? `value${i}` : String(i)] as [string, string])));
  d.set('hash:longvalue', new Map([['f', 'v'.repeat(100)], [binary(20), binary(200)]]));
  // Sorted sets: special scores, small and large.
  d.set('zset:small', SortedSet.fromEntries([['a', 1], ['b', 2.5], ['c', -3], ['d', Infinity], ['e', -Infinity], ['f', 0], ['g', 1e300], ['h', 0.1], ['i', -1.5e-300]]));
  d.set('zset:large', SortedSet.fromEntries(Array.from({ length: 1000 }, (_, i) => [`m${i}`, i / 3] as [string, number])));
  d.set('zset:binary', SortedSet.fromEntries([[binary(100), 1], [binary(10), 2]]));
  // TTLs on every type.
  for (const key of ['str:small', 'list:small', 'set:ints', 'hash:small', 'zset:small', 'int:128']) db0.expires.set(key, now + 3_600_000 + key.length);
  db0.expires.set('str:random', 4_102_444_800_000); // year 2100

  const db1: TestDb = { index: 1, data: new Map(), expires: new Map() };
  db1.data.set('str:small', 'other db');
  db1.data.set('list:small', Deque.from(['x']));
  db1.expires.set('list:small', now + 7_200_000);
  const db7: TestDb = { index: 7, data: new Map(), expires: new Map() };
  const db15: TestDb = { index: 15, data: new Map(), expires: new Map() };
  for (let i = 0; i < 3000; i++) db15.data.set(`key:${i}`, `value:${i}`);
  return [db0, db1, db7, db15];
}

function sourceOf(dbs: TestDb[]): RdbSource {
  return { databases: dbs.map((db) => databaseFromMaps(db.index, db.data, db.expires)) };
}

describeWithRedis('RDB writer: files load in redis-server 7.0', () => {
  const dataset = buildDataset();
  const expected = plainKeyspaceOf(dataset);

  for (const compression of [true, false]) {
    describeWithRedisCase(`compression ${compression ? 'on' : 'off'}`, compression);
  }

  function describeWithRedisCase(name: string, compression: boolean): void {
    let payload: Buffer;
    let server: Awaited<ReturnType<typeof startRedisOnRdb>>;

    beforeAll(async () => {
      payload = writeRdbToBuffer(sourceOf(dataset), { compression });
      server = await startRedisOnRdb(payload, { 'sanitize-dump-payload': 'yes' });
      await waitUntilLoaded(server);
    });
    afterAll(async () => {
      await server?.cleanup();
    });

    it(`${name}: redis-check-rdb accepts the file`, () => {
      const result = checkRdb(payload);
      expect(result.output).toContain('RDB looks OK');
      expect(result.ok).toBe(true);
    });

    it(`${name}: redis-server holds every key, value and TTL`, async () => {
      const actual = await readRedisKeyspace(server.port);
      expect(Object.keys(actual)).toEqual(Object.keys(expected));
      for (const db of Object.keys(expected)) {
        expect(Object.keys(actual[Number(db)])).toEqual(Object.keys(expected[Number(db)]));
        for (const key of Object.keys(expected[Number(db)])) {
          expect(actual[Number(db)][key], `db ${db} key ${JSON.stringify(key)}`).toEqual(expected[Number(db)][key]);
        }
      }
    });
  }
});
