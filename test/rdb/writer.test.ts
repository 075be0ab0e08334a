// The writer's streaming contract (chunking, pacing, backpressure) and what it records, checked
// through our reader. Compatibility with real Redis is in writer-to-redis.test.ts.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/server/keyspace/deque';
import { SortedSet } from '../../src/server/keyspace/sorted-set';
import type { Value } from '../../src/server/keyspace/values';
import { databaseFromMaps, pipeRdb, readRdbBuffer, writeRdb, writeRdbToBuffer, type RdbSource } from '../../src/server/rdb';
import { plainKeyspaceOf, readWithOurReader } from './helpers';

function dataset(keys: number): Map<string, Value> {
  const data = new Map<string, Value>();
  for (let i = 0; i < keys; i++) {
    switch (i % 5) {
      case 0: data.set(`s:${i}`, `value-${i}`.repeat(1 + (i % 7))); break;
      case 1: data.set(`l:${i}`, Deque.from([String(i), 'x'.repeat(i % 100)])); break;
      case 2: data.set(`h:${i}`, new Map([['f', String(i)], ['g', 'y'.repeat(i % 30)]])); break;
      case 3: data.set(`z:${i}`, SortedSet.fromEntries([['a', i], ['b', -i / 7]])); break;
      default: data.set(`set:${i}`, new Set([String(i), 'm']));
    }
  }
  return data;
}

async function collect(generator: AsyncGenerator<Buffer, { keys: number; bytes: number }>) {
  const chunks: Buffer[] = [];
  for (;;) {
    const next = await generator.next();
    if (next.done) return { chunks, summary: next.value };
    chunks.push(next.value);
  }
}

describe('RDB writer', () => {
  const data = dataset(5000);
  // Incompressible, so it stays bigger than a chunk.
  data.set('big', randomBytes(200_000).toString('latin1'));
  const expires = new Map([['s:0', 1_900_000_000_123], ['l:1', 2_000_000_000_000]]);
  const source: RdbSource = { databases: [databaseFromMaps(0, data, expires), databaseFromMaps(9, new Map([['k', 'v']]), new Map())], aux: { ctime: 1_700_000_000, usedMem: 5 } };

  it('streams the same bytes as the one-buffer form, in chunks of the requested size', async () => {
    const { chunks, summary } = await collect(writeRdb(source, { chunkSize: 4096, sliceMs: 0 }));
    const streamed = Buffer.concat(chunks);
    expect(streamed.equals(writeRdbToBuffer(source, { chunkSize: 4096 }))).toBe(true);
    expect(streamed.equals(writeRdbToBuffer(source))).toBe(true);
    expect(summary).toEqual({ keys: 5002, bytes: streamed.length });
    // Only the string too big to split gets a chunk of its own beyond the size.
    expect(chunks.filter((chunk) => chunk.length > 4096).map((chunk) => chunk.length)).toEqual([200_000]);
    expect(chunks.length).toBeGreaterThan(20);
  });

  it('records every key, value and TTL (read back by our reader)', () => {
    const { keyspace, reader, aux } = readWithOurReader([writeRdbToBuffer(source)]);
    expect(keyspace).toEqual(plainKeyspaceOf([{ index: 0, data, expires }, { index: 9, data: new Map([['k', 'v']]), expires: new Map() }]));
    expect(reader.version).toBe(10);
    expect([...aux]).toEqual([['redis-ver', '7.0.15'], ['redis-bits', '64'], ['ctime', '1700000000'], ['used-mem', '5'], ['aof-base', '0']]);
  });

  it('writes the replication aux fields when given, in Redis order', () => {
    const payload = writeRdbToBuffer({ databases: [], aux: { ctime: 1, usedMem: 2, aofBase: true, replication: { streamDb: -1, replId: 'a'.repeat(40), offset: 12345 } } });
    const { aux } = readWithOurReader([payload]);
    expect([...aux]).toEqual([
      ['redis-ver', '7.0.15'], ['redis-bits', '64'], ['ctime', '1'], ['used-mem', '2'],
      ['repl-stream-db', '0'], ['repl-id', 'a'.repeat(40)], ['repl-offset', '12345'], ['aof-base', '1'],
    ]);
  });

  it('skips empty collections and databases that hold none', () => {
    const empties = new Map<string, Value>([['l', new Deque<string>()], ['s', new Set()], ['h', new Map()], ['z', SortedSet.fromEntries([])]]);
    const payload = writeRdbToBuffer({ databases: [databaseFromMaps(0, empties, new Map()), databaseFromMaps(1, new Map<string, Value>([['k', 'v'], ['e', new Set<string>()]]), new Map())] });
    const selected: number[] = [];
    const keys: string[] = [];
    readRdbBuffer(payload, { onSelectDb: (db) => selected.push(db), onEntry: (_db, key) => keys.push(key) });
    expect(selected).toEqual([1]);
    expect(keys).toEqual(['k']);
  });

  it('writes small hashes and sorted sets as listpacks like Redis, bigger ones field by field', () => {
    const values = new Map<string, Value>([
      ['h:small', new Map([['f', '1'], ['g', 'v']])],
      ['h:longvalue', new Map([['f', 'v'.repeat(65)]])],
      ['h:many', new Map(Array.from({ length: 129 }, (_, i) => [`f${i}`, 'v'] as [string, string]))],
      ['z:small', SortedSet.fromEntries([['a', -0], ['b', 1.5], ['c', Infinity], ['d', -Infinity], ['e', 2 ** 60], ['f', 5e-324]])],
      ['z:longmember', SortedSet.fromEntries([['m'.repeat(65), 1]])],
    ]);
    const typesOf = (payload: Buffer) => {
      const types = new Map<string, string>();
      const { keyspace, reader } = readWithOurReader([payload]);
      expect(keyspace).toEqual(plainKeyspaceOf([{ index: 0, data: values, expires: new Map() }]));
      types.set('listpack hashes', String(reader.typeCounts[16]));
      types.set('plain hashes', String(reader.typeCounts[4]));
      types.set('listpack zsets', String(reader.typeCounts[17]));
      types.set('zset2', String(reader.typeCounts[5]));
      return Object.fromEntries(types);
    };
    const db = databaseFromMaps(0, values, new Map());
    expect(typesOf(writeRdbToBuffer({ databases: [db] }))).toEqual({ 'listpack hashes': '1', 'plain hashes': '2', 'listpack zsets': '1', zset2: '1' });
    const noListpacks = { hashEntries: 0, hashValue: 0, zsetEntries: 0, zsetValue: 0 };
    expect(typesOf(writeRdbToBuffer({ databases: [db] }, { listpackLimits: noListpacks }))).toEqual({ 'listpack hashes': '0', 'plain hashes': '3', 'listpack zsets': '0', zset2: '2' });
  });

  it('hands control back to the event loop while writing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await collect(writeRdb({ databases: [databaseFromMaps(0, dataset(30_000), new Map())] }, { sliceMs: 1 }));
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('pipeRdb waits for an async sink (backpressure) and delivers every byte in order', async () => {
    const received: Buffer[] = [];
    let pendingWrites = 0;
    const summary = await pipeRdb(source, async (chunk) => {
      pendingWrites++;
      expect(pendingWrites).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      received.push(chunk);
      pendingWrites--;
    }, { chunkSize: 8192 });
    const all = Buffer.concat(received);
    expect(all.equals(writeRdbToBuffer(source))).toBe(true);
    expect(summary.bytes).toBe(all.length);
  });
});
