// Sharded Pub/Sub outside a cluster (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, PUBSUB SHARD*) against a
// real redis-server 7.0: shard channels are a namespace of their own, counted apart, delivered as
// "smessage". Everything each connection receives is compared byte for byte.

import { expect, it } from 'vitest';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';


/** An array reply of bulk strings with its elements sorted. */
function sortedArray(reply: string): string {
  const [header, ...rest] = reply.split('\r\n').filter(Boolean);
  const elements: string[] = [];
  for (let i = 0; i < rest.length; i += 2) elements.push(`${rest[i]}\r\n${rest[i + 1]}\r\n`);
  return `${header}\r\n${elements.sort().join('')}`;
}

describeWithRedis('differential: sharded Pub/Sub', () => {
  const servers = realAndBundledPair();

  for (const resp3 of [false, true]) {
    it(`SSUBSCRIBE, SPUBLISH, PUBLISH on the same name, PUBSUB SHARDCHANNELS/SHARDNUMSUB, SUNSUBSCRIBE (${resp3 ? 'RESP3' : 'RESP2'})`, async () => {
      const [expected, actual] = await servers.onBoth(async (host, port) => {
        const subscriber = await RawConnection.open(host, port);
        const other = await RawConnection.open(host, port);
        const transcript: Record<string, string[]> = {};
        try {
          if (resp3) await subscriber.command(['HELLO', '3']);
          subscriber.send(['SSUBSCRIBE', 'a', 'b', 'a']);
          subscriber.send(['SUBSCRIBE', 'a']);
          transcript.subscribed = await subscriber.drain();
          transcript.publishers = [
            await other.command(['SPUBLISH', 'a', 'shard-message']),
            await other.command(['PUBLISH', 'a', 'plain-message']),
            await other.command(['SPUBLISH', 'nobody', 'x']),
            // Redis lists channels in its hash table's order: compared as a set.
            sortedArray(await other.command(['PUBSUB', 'SHARDCHANNELS'])),
            await other.command(['PUBSUB', 'SHARDCHANNELS', 'b*']),
            await other.command(['PUBSUB', 'SHARDNUMSUB', 'a', 'b', 'c']),
            await other.command(['PUBSUB', 'CHANNELS']),
          ];
          transcript.received = await subscriber.drain();
          subscriber.send(['SUNSUBSCRIBE', 'b']);
          subscriber.send(['SUNSUBSCRIBE']);
          subscriber.send(['SUNSUBSCRIBE']);
          subscriber.send(['UNSUBSCRIBE']);
          subscriber.send(['PING']);
          transcript.unsubscribed = await subscriber.drain();
          transcript.after = [await other.command(['PUBSUB', 'SHARDNUMSUB', 'a']), await other.command(['MULTI']), await other.command(['SSUBSCRIBE', 'x']), await other.command(['EXEC'])];
          return transcript;
        } finally {
          subscriber.close();
          other.close();
        }
      });
      expect(actual).toEqual(expected);
    });
  }
});
