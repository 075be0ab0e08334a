// DEBUG OBJECT against a real redis-server 7.0: refcount, encoding, serializedlength and a list's
// quicklist figures byte for byte; the address and the LRU fields are masked (the address is a
// pointer, the LRU clock ticks), and a missing key is "ERR no such key" even when expired first.

import { expect, it } from 'vitest';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

const STEPS: string[][] = [
  ['SET', 'foo', 'bar'],
  ['SET', 'n', '123'],
  ['SET', 'big', '12345678901234'],
  ['SET', 'long', 'a'.repeat(65)],
  ['RPUSH', 'l', 'a', 'b', 'c', '1', '2', '3', 'hello'],
  ['RPUSH', 'biglist', ...Array.from({ length: 1300 }, (_, i) => `element-${i}`)],
  ['HSET', 'h', 'a', '1', 'b', '2'],
  ['SADD', 's', '1', '2', '3'],
  ['SADD', 's2', 'a', 'b'],
  ['ZADD', 'z', '1', 'a', '2', 'b'],
  ['XADD', 'st', '1-1', 'f', 'v'],
  ['DEBUG', 'OBJECT', 'foo'],
  ['DEBUG', 'OBJECT', 'n'],
  ['DEBUG', 'OBJECT', 'big'],
  ['DEBUG', 'OBJECT', 'long'],
  ['DEBUG', 'OBJECT', 'l'],
  ['DEBUG', 'OBJECT', 'biglist'],
  ['DEBUG', 'OBJECT', 'h'],
  ['DEBUG', 'OBJECT', 's'],
  ['DEBUG', 'OBJECT', 's2'],
  ['DEBUG', 'OBJECT', 'z'],
  ['DEBUG', 'OBJECT', 'nosuch'],
  ['DEBUG', 'OBJECT'],
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
  ['SET', 'gone', 'v', 'PX', '1'],
  ['RESTORE', 'restored', '1', '\x00\x03bar\x0a\x00\x8f\x0e\x2a\x4d\xf5\x3d\x07\x4b', 'ABSTTL', 'REPLACE'],
  ['DEBUG', 'OBJECT', 'restored'],
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
];

const mask = (reply: string) => reply.replace(/at:0x[0-9a-f]+/, 'at:ADDR').replace(/lru:\d+ lru_seconds_idle:\d+/, 'LRU');

describeWithRedis('differential: DEBUG OBJECT', () => {
  const servers = realAndBundledPair({ 'enable-debug-command': 'yes' });

  it('the fields of strings, lists, hashes, sets, sorted sets and streams; missing keys and arity', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        await conn.command(['FLUSHALL']);
        const transcript: string[] = [];
        for (const cmd of STEPS) transcript.push(`${cmd.slice(0, 3).join(' ')} -> ${mask(await conn.command(cmd))}`);
        return transcript;
      } finally {
        conn.close();
      }
    });
    expect(actual).toEqual(expected);
  });
});
