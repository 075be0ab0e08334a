// Glob patterns (Redis's stringmatchlen) as every user of them sees them: KEYS, SCAN MATCH,
// HSCAN MATCH, PUBSUB CHANNELS and PSUBSCRIBE delivery, on patterns chosen for their edge cases.

import { expect, it } from 'vitest';
import { realAndBundledPair, splitAggregate } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

const NAMES = [
  '', 'a', 'b', 'A', 'ab', 'aab', 'aaab', 'aXb', 'abab', 'hello', 'hallo', 'hxllo', 'h[a]llo', 'h\\llo',
  'a*b', 'a?b', '[', ']', '-', '^', '\\', 'x\\', '\u00e9t\u00e9', '\u00ff', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaab',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'Hello', 'HELLO', 'b-a', 'z',
];

const PATTERNS = [
  '*', '**', '', '?', '??', 'a*', '*b', 'a*b', 'a*a*b', 'a*a*a*a*a*a*a*a*b', '*a*a*a*', 'h?llo', 'h[ae]llo',
  'h[^e]llo', 'h[a-b]llo', 'h[b-a]llo', 'h\\[a\\]llo', 'h\\\\llo', 'a\\*b', 'a\\?b', 'x\\', '\\', '[', '[a',
  '[ab', '[^a', '[]', '[]]', '[\\]]', '[a-]', '[-a]', '[\\-]', '[a-z', '[^', '\\[', '[\u0080-a]', '[a-\u00ff]',
  '\u00e9*', '*\u00ff', 'H*', '[H]*', '*[^a]', '*?', '?*?', 'a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b',
];

describeWithRedis('differential: glob patterns', () => {
  const servers = realAndBundledPair();

  async function sortedReply(conn: RawConnection, args: string[]): Promise<string[]> {
    conn.send(args);
    return splitAggregate(await conn.readReply()).elements.sort();
  }

  it('KEYS, SCAN MATCH and HSCAN MATCH select the same names', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        await conn.command(['FLUSHALL']);
        for (const name of NAMES) await conn.command(['SET', name, 'v']);
        const hash = ['HSET', '\u0001hash'];
        for (const name of NAMES) hash.push(name, 'v');
        await conn.command(hash);
        const out: Record<string, string[]> = {};
        for (const pattern of PATTERNS) {
          out[`KEYS ${pattern}`] = await sortedReply(conn, ['KEYS', pattern]);
          conn.send(['SCAN', '0', 'MATCH', pattern, 'COUNT', '1000']);
          const page = splitAggregate(await conn.readReply()).elements;
          out[`SCAN ${pattern}`] = [page[0], ...splitAggregate(Buffer.from(page[1], 'latin1')).elements.sort()];
          conn.send(['HSCAN', '\u0001hash', '0', 'MATCH', pattern]);
          const hpage = splitAggregate(await conn.readReply()).elements;
          out[`HSCAN ${pattern}`] = [hpage[0], ...splitAggregate(Buffer.from(hpage[1], 'latin1')).elements.sort()];
        }
        return out;
      } finally {
        conn.close();
      }
    });
    expect(actual).toEqual(expected);
  });

  it('PSUBSCRIBE delivers, and PUBSUB CHANNELS lists, by the same patterns', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const subscriber = await RawConnection.open(host, port);
      const publisher = await RawConnection.open(host, port);
      try {
        for (const pattern of PATTERNS) {
          subscriber.send(['PSUBSCRIBE', pattern]);
          await subscriber.readReply();
        }
        const receivers: string[] = [];
        for (const name of NAMES) receivers.push(name + ' -> ' + (await publisher.command(['PUBLISH', name, 'm'])));
        const channels: Record<string, string[]> = {};
        const listener = await RawConnection.open(host, port);
        try {
          listener.send(['SUBSCRIBE', ...NAMES]);
          for (let i = 0; i < NAMES.length; i++) await listener.readReply();
          for (const pattern of PATTERNS) channels[pattern] = await sortedReply(publisher, ['PUBSUB', 'CHANNELS', pattern]);
        } finally {
          listener.close();
        }
        return { receivers, channels };
      } finally {
        subscriber.close();
        publisher.close();
      }
    });
    expect(actual).toEqual(expected);
  });
});
