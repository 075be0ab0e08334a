// Encodings Redis 7.0 no longer writes but still loads (files from Redis 6 and older: ziplists,
// quicklist v1, text-score zsets, plain lists, second-precision expires) and the ones Redis 7.2
// adds (RDB 11, set listpacks), built by hand from the format descriptions in rdb.h and rdb.c.
// Also the reader's API contract: byte accounting, handlers, empty keys, zero checksums.

import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/server/keyspace/deque';
import { SortedSet } from '../../src/server/keyspace/sorted-set';
import type { Value } from '../../src/server/keyspace/values';
import { RdbError, RdbReader, readRdb, readRdbBuffer } from '../../src/server/rdb';
import { ListpackBuilder } from '../../src/server/rdb/listpack';
import { RdbBuilder, intset, ziplist } from './build';
import { plainValue, randomChunks } from './helpers';

interface Loaded {
  db: number;
  key: string;
  value: Value;
  expireMs: number | undefined;
}

function load(payload: Buffer, chunkSize = payload.length): { entries: Loaded[]; aux: Array<[string, string]>; checksumOk: boolean } {
  const entries: Loaded[] = [];
  const aux: Array<[string, string]> = [];
  let checksumOk: boolean | null = null;
  const reader = new RdbReader({
    onAux: (name, value) => aux.push([name, value]),
    onEntry: (db, key, value, expireMs) => entries.push({ db, key, value, expireMs }),
    onEnd: (ok) => (checksumOk = ok),
  });
  for (const chunk of randomChunks(payload, chunkSize, 5)) reader.write(chunk);
  reader.end();
  if (checksumOk === null) throw new Error('onEnd was not called');
  return { entries, aux, checksumOk };
}

function int32LE(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeInt32LE(value, 0);
  return out;
}

function listpack(items: string[]): Buffer {
  const builder = new ListpackBuilder();
  for (const item of items) builder.append(item);
  return Buffer.from(builder.finish());
}

describe('RDB reader: legacy encodings (RDB 9 and older, Redis <= 6)', () => {
  const payload = new RdbBuilder(9)
    .bytes(0xfa).string('redis-ver').string('6.2.14')
    .bytes(0xfe).length(0)
    .bytes(0xfb).length(8).length(2)
    // EXPIRETIME in seconds (RDB < 3 style), then a plain list (type 1).
    .bytes(0xfd).raw(int32LE(1_700_000_000))
    .bytes(0x01).string('list:plain').length(3).string('a').string('12').string('-5')
    .bytes(0x0a).string('list:ziplist').blob(ziplist(['x', 7, 'y'.repeat(300), -100, 1000]))
    .bytes(0x0e).string('list:quicklist').length(2).blob(ziplist(['n1', 1])).blob(ziplist(['n2', 2, 'n3']))
    .bytes(0x0d).string('hash:ziplist').blob(ziplist(['f1', 'v1', 'f2', 2]))
    .bytes(0x0c).string('zset:ziplist').blob(ziplist(['a', 1, 'b', '2.5', 'c', '-inf']))
    // ZSET type 3: scores as length-prefixed text, 253/254/255 for nan/+inf/-inf.
    .bytes(0x03).string('zset:text').length(3).string('m1').raw(Buffer.from([4, ...Buffer.from('1.25')])).string('m2').bytes(254).string('m3').bytes(255)
    .bytes(0x0b).string('set:intset').blob(intset(4, [-70000, 1, 70000]))
    // LRU idle time and LFU counter opcodes before a key.
    .bytes(0xf8).length(1234).bytes(0xf9).bytes(5)
    .bytes(0x00).string('str').string('after idle and freq')
    .finish();

  it('loads every legacy type with the right values', () => {
    for (const chunkSize of [payload.length, 13, 1]) {
      const { entries, aux, checksumOk } = load(payload, chunkSize);
      expect(checksumOk).toBe(true);
      expect(aux).toEqual([['redis-ver', '6.2.14']]);
      const byKey = new Map(entries.map((entry) => [entry.key, entry]));
      expect([...byKey.keys()]).toEqual(['list:plain', 'list:ziplist', 'list:quicklist', 'hash:ziplist', 'zset:ziplist', 'zset:text', 'set:intset', 'str']);
      expect(plainValue(byKey.get('list:plain')!.value)).toEqual({ type: 'list', value: ['a', '12', '-5'] });
      expect(byKey.get('list:plain')!.expireMs).toBe(1_700_000_000_000);
      expect(byKey.get('list:ziplist')!.expireMs).toBeUndefined();
      expect(plainValue(byKey.get('list:ziplist')!.value)).toEqual({ type: 'list', value: ['x', '7', 'y'.repeat(300), '-100', '1000'] });
      expect(plainValue(byKey.get('list:quicklist')!.value)).toEqual({ type: 'list', value: ['n1', '1', 'n2', '2', 'n3'] });
      expect(plainValue(byKey.get('hash:ziplist')!.value)).toEqual({ type: 'hash', value: [['f1', 'v1'], ['f2', '2']] });
      expect(plainValue(byKey.get('zset:ziplist')!.value)).toEqual({ type: 'zset', value: [['c', -Infinity], ['a', 1], ['b', 2.5]] });
      expect(plainValue(byKey.get('zset:text')!.value)).toEqual({ type: 'zset', value: [['m3', -Infinity], ['m1', 1.25], ['m2', Infinity]] });
      expect(plainValue(byKey.get('set:intset')!.value)).toEqual({ type: 'set', value: ['-70000', '1', '70000'] });
      expect(byKey.get('str')!.value).toBe('after idle and freq');
      expect(entries.every((entry) => entry.db === 0)).toBe(true);
    }
  });

  it('reads files older than version 5, which end right after the EOF opcode', () => {
    const old = new RdbBuilder(4).bytes(0x00).string('k').string('v').bytes(0xff).partial();
    const { entries, checksumOk } = load(old);
    expect(entries.map((e) => e.key)).toEqual(['k']);
    expect(checksumOk).toBe(false);
  });
});

describe('RDB reader: Redis 7.2 additions (RDB 11)', () => {
  it('loads set listpacks', () => {
    const payload = new RdbBuilder(11)
      .bytes(0xfe).length(4)
      .bytes(20).string('set:listpack').blob(listpack(['a', '1', 'bb', '-7', 'c'.repeat(70)]))
      .bytes(0x00).string('s').string('v')
      .finish();
    const { entries } = load(payload);
    expect(entries.map((e) => [e.db, e.key])).toEqual([[4, 'set:listpack'], [4, 's']]);
    expect(plainValue(entries[0].value)).toEqual({ type: 'set', value: ['-7', '1', 'a', 'bb', 'c'.repeat(70)] });
  });

  it('loads hash and zset listpacks, and sorted sets get the encoding the limits call for', () => {
    const smallZ = listpack(['a', '1', 'b', '2.5']);
    const bigZ = listpack(Array.from({ length: 200 }, (_, i) => [`m${i}`, String(i)]).flat());
    const payload = new RdbBuilder(11)
      .bytes(16).string('h').blob(listpack(['f', 'v', 'n', '10']))
      .bytes(17).string('z:small').blob(smallZ)
      .bytes(17).string('z:big').blob(bigZ)
      .finish();
    const { entries } = load(payload);
    expect(plainValue(entries[0].value)).toEqual({ type: 'hash', value: [['f', 'v'], ['n', '10']] });
    expect((entries[1].value as SortedSet).encoding).toBe('listpack');
    expect((entries[2].value as SortedSet).encoding).toBe('skiplist');
    expect((entries[2].value as SortedSet).size).toBe(200);
  });
});

describe('RDB reader: API contract', () => {
  it('skips empty collections like Redis does, counting them, and drops their TTL', () => {
    const payload = new RdbBuilder()
      .bytes(0xfc).raw(Buffer.from('0000000000100000', 'hex'))
      .bytes(0x02).string('empty set').length(0)
      .bytes(0x12).string('empty list').length(1).length(2).blob(listpack([]))
      .bytes(0x10).string('empty hash').blob(listpack([]))
      .bytes(0x00).string('kept').string('v')
      .finish();
    const reader = new RdbReader({ onEntry: (_db, key, _value, expireMs) => keys.push([key, expireMs]) });
    const keys: Array<[string, number | undefined]> = [];
    reader.write(payload);
    reader.end();
    expect(keys).toEqual([['kept', undefined]]);
    expect(reader.emptyKeysSkipped).toBe(3);
  });

  it('accepts a zero checksum (rdbchecksum no) without verifying', () => {
    const payload = new RdbBuilder().bytes(0x00).string('k').string('v').finish(false);
    expect(load(payload).checksumOk).toBe(false);
    expect(load(new RdbBuilder().bytes(0x00).string('k').string('v').finish(true)).checksumOk).toBe(true);
  });

  it('passes handler exceptions through unchanged and refuses further input', () => {
    const payload = new RdbBuilder().bytes(0x00).string('k').string('v').finish();
    const boom = new Error('handler failed');
    const reader = new RdbReader({
      onEntry: () => {
        throw boom;
      },
    });
    expect(() => reader.write(payload)).toThrow(boom);
    expect(() => reader.write(payload)).toThrow(boom);
    expect(() => reader.end()).toThrow(boom);
  });

  it('readRdb takes async chunk sources and refuses trailing data unless allowed', async () => {
    const payload = new RdbBuilder().bytes(0x00).string('k').string('v').finish();
    async function* chunks(extra: Buffer) {
      yield payload.subarray(0, 10);
      yield Buffer.concat([payload.subarray(10), extra]);
    }
    const keys: string[] = [];
    const summary = await readRdb(chunks(Buffer.alloc(0)), { onEntry: (_db, key) => keys.push(key) });
    expect(keys).toEqual(['k']);
    expect(summary.bytes).toBe(payload.length);
    await expect(readRdb(chunks(Buffer.from('*1\r\n')), { onEntry: () => {} })).rejects.toThrow(RdbError);
    const allowed = await readRdb(chunks(Buffer.from('*1\r\n')), { onEntry: () => {} }, { allowTrailingData: true });
    expect(allowed.bytes).toBe(payload.length);
    expect(() => readRdbBuffer(Buffer.concat([payload, Buffer.from('x')]), { onEntry: () => {} })).toThrow(/after the end/);
  });

  it('builds lists as Deques and sets as Sets (the node value types)', () => {
    const payload = new RdbBuilder()
      .bytes(0x12).string('l').length(1).length(2).blob(listpack(['a', 'b']))
      .bytes(0x02).string('s').length(2).string('x').string('y')
      .finish();
    const { entries } = load(payload);
    expect(entries[0].value).toBeInstanceOf(Deque);
    expect(entries[1].value).toBeInstanceOf(Set);
  });
});
