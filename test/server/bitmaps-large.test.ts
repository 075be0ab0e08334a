// Bitmap commands over megabyte strings on the bundled node: results checked against a plain
// byte-by-byte model. A quadratic implementation would not finish within the test's timeout
// (10^12 steps for 1 MB); the times are printed for the record, not asserted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import { startNode } from '../helpers/bundled-node';
import { prng } from '../helpers/prng';
import type { RunningServer } from '../../src/server/index';

const MB = 1024 * 1024;

function naiveCount(bytes: Buffer, firstBit: number, lastBit: number): number {
  let count = 0;
  for (let bit = firstBit; bit <= lastBit; bit++) count += (bytes[bit >> 3] >> (7 - (bit & 7))) & 1;
  return count;
}

describe('bitmaps over 1 MB strings on the bundled node', () => {
  let node: RunningServer;
  let client: Redis;
  const random = prng(7);
  const data = Buffer.from(Array.from({ length: MB }, () => Math.floor(random() * 256)));
  const timings: string[] = [];

  /** Runs `run` `times` times (reads only when more than once) and records the fastest, JIT warm. */
  const timed = async <T>(what: string, run: () => Promise<T>, times = 1): Promise<T> => {
    let result!: T;
    let best = Infinity;
    for (let i = 0; i < times; i++) {
      const started = process.hrtime.bigint();
      result = await run();
      best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
    }
    timings.push(`${what}: ${best.toFixed(2)} ms${times > 1 ? ` (best of ${times})` : ''}`);
    return result;
  };

  beforeAll(async () => {
    node = await startNode();
    client = new Redis({ host: node.host, port: node.port });
    await client.set('big', data);
  });
  afterAll(async () => {
    console.log(timings.join('\n'));
    client?.disconnect();
    await node?.close();
  });

  it('BITCOUNT counts whole strings and odd BIT ranges', async () => {
    expect(await timed('BITCOUNT 1 MB', () => client.bitcount('big'), 10)).toBe(naiveCount(data, 0, MB * 8 - 1));
    const [first, last] = [13, MB * 8 - 6];
    expect(await timed('BITCOUNT 1 MB BIT range', () => client.call('BITCOUNT', 'big', String(first), String(last), 'BIT'), 10)).toBe(naiveCount(data, first, last));
    expect(await client.call('BITCOUNT', 'big', '1', '-2')).toBe(naiveCount(data, 8, MB * 8 - 9));
  });

  it('BITPOS finds a bit at the far end of a megabyte of zeros', async () => {
    await client.setbit('zeros', MB * 8 - 3, 1);
    expect(await timed('BITPOS 1 over 1 MB of zeros', () => client.bitpos('zeros', 1), 10)).toBe(MB * 8 - 3);
    expect(await client.call('BITPOS', 'zeros', '1', '3', '-4', 'BIT')).toBe(-1);
    expect(await client.call('BITPOS', 'zeros', '1', '3', '-3', 'BIT')).toBe(MB * 8 - 3);
    await client.call('BITOP', 'NOT', 'ones', 'zeros');
    expect(await timed('BITPOS 0 over 1 MB of ones', () => client.bitpos('ones', 0), 10)).toBe(MB * 8 - 3);
  });

  it('BITOP combines megabyte strings', async () => {
    const half = data.subarray(0, MB / 2);
    await client.set('half', half);
    expect(await timed('BITOP XOR 1 MB + 512 KB', () => client.call('BITOP', 'XOR', 'x', 'big', 'half'), 10)).toBe(MB);
    const expected = Buffer.from(data);
    for (let i = 0; i < half.length; i++) expected[i] ^= half[i];
    expect((await client.getBuffer('x'))!.equals(expected)).toBe(true);
    expect(await client.call('BITOP', 'AND', 'a', 'big', 'half')).toBe(MB);
    expect(await client.bitcount('a', MB / 2, -1)).toBe(0);
  });

  it('SETBIT and BITFIELD grow a string to a megabyte and write near its end', async () => {
    expect(await timed('SETBIT growing to 1 MB', () => client.setbit('grown', MB * 8 - 1, 1))).toBe(0);
    expect(await client.strlen('grown')).toBe(MB);
    expect(await timed('BITFIELD on 1 MB', () => client.call('BITFIELD', 'grown', 'SET', 'u8', `#${MB - 2}`, '255', 'GET', 'u16', `#${MB / 2 - 1}`))).toEqual([0, 0xff01]);
    for (let i = 0; i < 50; i++) await client.setbit('grown', i * 1000, 1);
    expect(await client.bitcount('grown')).toBe(1 + 8 + 50);
  });

  it('refuses bit writes past the longest string V8 can hold, even when proto-max-bulk-len allows them', async () => {
    await client.config('SET', 'proto-max-bulk-len', '1gb');
    try {
      const tooFar = String(2 ** 29 * 8);
      await expect(client.setbit('far', Number(tooFar), 1)).rejects.toThrow('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
      await expect(client.call('BITFIELD', 'far', 'SET', 'u8', tooFar, '1')).rejects.toThrow('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
      expect(await client.exists('far')).toBe(0);
      // Reads of such offsets are only zeros, as Redis answers them.
      expect(await client.getbit('far', Number(tooFar))).toBe(0);
      expect(await client.call('BITFIELD_RO', 'big', 'GET', 'u8', tooFar)).toEqual([0]);
    } finally {
      await client.config('SET', 'proto-max-bulk-len', '512mb');
    }
  });
});
