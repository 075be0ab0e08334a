// Corrupt, truncated and unsupported input: every case must end in an RdbError naming a byte
// offset, never another exception, never a hang, never an allocation sized by a bogus length.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/server/keyspace/deque';
import { SortedSet } from '../../src/server/keyspace/sorted-set';
import { Stream, formatId } from '../../src/server/keyspace/stream';
import type { Value } from '../../src/server/keyspace/values';
import { databaseFromMaps, RdbError, RdbReader, readRdbBuffer, writeRdbToBuffer } from '../../src/server/rdb';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { RdbBuilder } from './build';
import { randomChunks } from './helpers';

function samplePayload(): Buffer {
  const data = new Map<string, Value>([
    ['str', 'hello'],
    ['int', '-12345'],
    ['long', 'compress me '.repeat(40)],
    ['list', Deque.from(Array.from({ length: 300 }, (_, i) => (i % 2 ? `item ${i}` : String(i * 1000))))],
    ['set', new Set(['a', 'b', '1'])],
    ['hash', new Map([['f', 'v'], ['g', 'w'.repeat(30)]])],
    ['zset', SortedSet.fromEntries([['m', 1.5], ['n', -2]])],
  ]);
  const expires = new Map([['str', 1_900_000_000_000]]);
  return writeRdbToBuffer({ databases: [databaseFromMaps(0, data, expires), databaseFromMaps(5, new Map([['k', 'v']]), new Map())], aux: { ctime: 1, usedMem: 1 } });
}

/** Runs the reader over the payload; returns the error it raised (failing the test when none or not an RdbError). */
function expectRdbError(payload: Buffer, chunkSize = payload.length): RdbError {
  try {
    const reader = new RdbReader({ onEntry: () => {} });
    for (const chunk of randomChunks(payload, chunkSize, payload.length)) {
      const used = reader.write(chunk);
      if (used < chunk.length) throw new RdbError('trailing data', reader.bytesConsumed);
    }
    reader.end();
  } catch (error) {
    if (!(error instanceof RdbError)) throw new Error(`expected RdbError, got ${String(error)}`);
    expect(error.message).toMatch(/at byte offset \d+/);
    return error;
  }
  throw new Error('the payload was accepted');
}

describe('RDB reader: corrupt and truncated input', () => {
  const payload = samplePayload();

  it('the intact sample loads', () => {
    expect(readRdbBuffer(payload, { onEntry: () => {} }).checksumOk).toBe(true);
  });

  it('a flipped byte anywhere is refused (by the structure checks or else by the checksum)', () => {
    let checksumErrors = 0;
    for (let i = 0; i < payload.length; i++) {
      for (const mask of i % 5 === 0 ? [0xff, 0x01] : [0xff]) {
        const corrupt = Buffer.from(payload);
        corrupt[i] ^= mask;
        const error = expectRdbError(corrupt);
        if (/checksum/.test(error.message)) checksumErrors++;
      }
    }
    expect(checksumErrors).toBeGreaterThan(0);
  });

  it('a flipped byte in a string value reports the checksum mismatch with both values', () => {
    const corrupt = Buffer.from(payload);
    const at = corrupt.indexOf('hello');
    corrupt[at] ^= 0x20;
    const error = expectRdbError(corrupt, 100);
    expect(error.reason).toMatch(/^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)$/);
    expect(error.offset).toBe(payload.length - 8);
  });

  it('truncation at every offset is refused as an unexpected EOF', () => {
    for (let length = 0; length < payload.length; length++) {
      const error = expectRdbError(payload.subarray(0, length), 1 + (length % 50));
      expect(error.reason).toBe('Unexpected EOF reading RDB file');
      expect(error.offset).toBe(length);
    }
  });

  it('refuses bad signatures and versions', () => {
    const wrongMagic = Buffer.from(payload);
    wrongMagic[0] = 0x58;
    expect(expectRdbError(wrongMagic).reason).toBe('Wrong signature trying to load DB from file');
    for (const version of ['0012', '0000', '00a1']) {
      const bad = Buffer.concat([Buffer.from(`REDIS${version}`), payload.subarray(9)]);
      expect(expectRdbError(bad).reason).toMatch(/^Can't handle RDB format version/);
    }
  });

  it('bogus huge lengths fail fast or wait for data that never comes, without allocating for them', () => {
    const before = process.memoryUsage().rss;
    const cases: Array<[Buffer, RegExp]> = [
      // 64-bit string length of 2^60.
      [new RdbBuilder().bytes(0x00).string('k').bytes(0x81, 0x10, 0, 0, 0, 0, 0, 0, 0).finish(), /too large/],
      // 32-bit string length of 4 GiB - 1: the reader waits for it, the input ends.
      [new RdbBuilder().bytes(0x00).string('k').bytes(0x80, 0xff, 0xff, 0xff, 0xff).string('x').finish(), /Unexpected EOF|longer than/],
      // LZF string claiming 4 GiB from 10 compressed bytes.
      [new RdbBuilder().bytes(0x00).string('k').bytes(0xc3).length(10).length(0xfffffff0).raw(Buffer.alloc(10, 1)).finish(), /Invalid LZF/],
      // A set of 2^40 members, then the file ends.
      // (the EOF opcode then reads as a string with encoding 0x3f).
      [new RdbBuilder().bytes(0x02).string('k').length(2 ** 40).string('a').finish(), /^Unknown RDB string encoding type 63$/],
      // A quicklist of 2^32 nodes whose first node claims 1 GiB.
      [new RdbBuilder().bytes(0x12).string('k').length(2 ** 32).length(2).bytes(0x80, 0x40, 0, 0, 0).finish(), /Unexpected EOF/],
      // A db number and a RESIZEDB with 64-bit lengths beyond 2^53.
      [new RdbBuilder().bytes(0xfb).bytes(0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff).length(0).finish(), /too large/],
    ];
    for (const [bogus, reason] of cases) {
      expect(expectRdbError(bogus).reason).toMatch(reason);
      expect(expectRdbError(bogus, 3).reason).toMatch(reason);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses unknown type bytes and length encodings', () => {
    for (const type of [8, 22, 31, 100, 244]) {
      const bogus = new RdbBuilder().bytes(type).string('k').string('v').finish();
      expect(expectRdbError(bogus).reason).toBe(`Unknown RDB encoding type ${type}`);
    }
    const badLength = new RdbBuilder().bytes(0x02).string('k').bytes(0x90).finish();
    expect(expectRdbError(badLength).reason).toMatch(/Unknown length encoding/);
    const badStringEncoding = new RdbBuilder().bytes(0x00).string('k').bytes(0xc5).finish();
    expect(expectRdbError(badStringEncoding).reason).toBe('Unknown RDB string encoding type 5');
  });

  it('refuses duplicates, NaN scores, bad containers and corrupt embedded encodings', () => {
    const cases: Array<[Buffer, RegExp]> = [
      [new RdbBuilder().bytes(0x02).string('k').length(2).string('a').string('a').finish(), /Duplicate set members/],
      [new RdbBuilder().bytes(0x04).string('k').length(2).string('f').string('1').string('f').string('2').finish(), /Duplicate hash fields/],
      [new RdbBuilder().bytes(0x03).string('k').length(1).string('m').bytes(253).finish(), /NAN score/],
      [new RdbBuilder().bytes(0x05).string('k').length(1).string('m').raw(Buffer.from('000000000000f87f', 'hex')).finish(), /NAN score/],
      [new RdbBuilder().bytes(0x03).string('k').length(1).string('m').raw(Buffer.from([3, 0x61, 0x62, 0x63])).finish(), /Invalid double/],
      [new RdbBuilder().bytes(0x12).string('k').length(1).length(3).string('xx').finish(), /Quicklist integrity/],
      [new RdbBuilder().bytes(0x12).string('k').length(1).length(2).blob(Buffer.from('not a listpack')).finish(), /Listpack integrity/],
      [new RdbBuilder().bytes(0x0a).string('k').blob(Buffer.from('not a ziplist at all')).finish(), /Ziplist integrity/],
      [new RdbBuilder().bytes(0x0b).string('k').blob(Buffer.from('12345678xx')).finish(), /Intset integrity/],
      [new RdbBuilder().bytes(0x12).string('k').length(1).length(2).length(0).finish(), /empty data/],
    ];
    for (const [bogus, reason] of cases) expect(expectRdbError(bogus).reason).toMatch(reason);
  });

  it('refuses module data with a clear error', () => {
    const moduleAux = new RdbBuilder().bytes(0xf7).length(12345).length(2).length(0).finish();
    expect(expectRdbError(moduleAux).reason).toMatch(/module/i);
    const moduleValue = new RdbBuilder().bytes(0x07).string('k').length(1).finish();
    expect(expectRdbError(moduleValue).reason).toBe('RDB type 7 (module-value) is not supported by this node');
  });
});

describeWithRedis('RDB reader: unsupported content written by redis-server 7.0', () => {
  async function saveWith(fill: (client: Redis) => Promise<unknown>): Promise<Buffer> {
    const server = await startRedisServer();
    const client = new Redis({ host: server.host, port: server.port, lazyConnect: true });
    try {
      await client.connect();
      await client.set('before', '1');
      await fill(client);
      await client.save();
      return readFileSync(join(server.dir, 'dump.rdb'));
    } finally {
      client.disconnect();
      await server.stop();
    }
  }

  it('reads streams (RDB type 19) with their consumer groups', async () => {
    const file = await saveWith(async (client) => {
      await client.xadd('s', '5-1', 'field', 'value');
      await client.xgroup('CREATE', 's', 'g', '0');
    });
    const loaded = new Map<string, unknown>();
    const reader = new RdbReader({ onEntry: (_db, key, value) => void loaded.set(key, value) });
    reader.write(file);
    reader.end();
    const stream = loaded.get('s') as Stream;
    expect(stream).toBeInstanceOf(Stream);
    expect([...stream.liveEntries()].map((entry) => [formatId(entry.id), entry.fields])).toEqual([['5-1', ['field', 'value']]]);
    expect([...stream.groups.keys()]).toEqual(['g']);
  });

  it('refuses function libraries', async () => {
    const file = await saveWith((client) => client.call('FUNCTION', 'LOAD', "#!lua name=mylib\nredis.register_function('f', function() return 1 end)"));
    expect(expectRdbError(file).reason).toMatch(/function libraries/);
  });
});
