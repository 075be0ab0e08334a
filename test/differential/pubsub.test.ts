// Pub/Sub against a real redis-server: confirmation replies, subscriber context, PUBSUB
// introspection, and message delivery between connections in RESP2 and RESP3.

import { expect, it } from 'vitest';
import { describeDifferential, unordered, realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

describeDifferential('pubsub', [
  {
    name: 'PUBSUB arity, unknown subcommands and HELP',
    steps: [
      ['PUBSUB'],
      ['PUBSUB', 'NOSUCH'],
      ['PUBSUB', 'CHANNELS', 'a', 'b'],
      ['PUBSUB', 'SHARDCHANNELS', 'a', 'b'],
      ['PUBSUB', 'NUMPAT', 'x'],
      ['PUBSUB', 'HELP'],
      ['PUBSUB', 'HELP', 'x'],
      ['SUBSCRIBE'],
      ['PSUBSCRIBE'],
      ['PUBLISH', 'a'],
      ['PUBLISH', 'a', 'b', 'c'],
    ],
  },
  {
    name: 'PUBSUB introspection without subscribers',
    steps: [
      ['PUBSUB', 'NUMSUB'],
      ['PUBSUB', 'NUMSUB', 'a', 'b', 'a'],
      ['PUBSUB', 'NUMPAT'],
      ['PUBSUB', 'CHANNELS'],
      ['PUBSUB', 'CHANNELS', '*'],
      ['PUBSUB', 'SHARDCHANNELS'],
      ['PUBSUB', 'SHARDNUMSUB', 'x'],
      ['PUBLISH', 'nobody', 'hello'],
    ],
  },
  {
    name: 'UNSUBSCRIBE and PUNSUBSCRIBE with nothing subscribed',
    steps: [['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['UNSUBSCRIBE', 'a'], ['PUNSUBSCRIBE', 'p*'], ['ECHO', 'still normal']],
  },
  {
    name: 'SUBSCRIBE and PSUBSCRIBE count channels plus patterns',
    steps: [
      ['SUBSCRIBE', 'a'],
      ['SUBSCRIBE', 'b'],
      ['SUBSCRIBE', 'a'],
      ['PSUBSCRIBE', 'x*'],
      ['PSUBSCRIBE', 'x*'],
      ['PSUBSCRIBE', 'y?'],
      ['UNSUBSCRIBE', 'zz'],
      ['UNSUBSCRIBE', 'a'],
      ['PUNSUBSCRIBE', 'x*'],
      ['PUNSUBSCRIBE'],
      ['UNSUBSCRIBE'],
      ['UNSUBSCRIBE'],
      ['ECHO', 'back to normal'],
    ],
  },
  {
    name: 'RESP2 subscriber context allows only (un)subscribe, PING, QUIT and RESET',
    steps: [
      ['SUBSCRIBE', 'ch'],
      ['ECHO', 'x'],
      ['PUBLISH', 'ch', 'x'],
      ['TIME'],
      ['PING'],
      ['PING', 'hello'],
      ['PSUBSCRIBE', 'p*'],
      ['PUNSUBSCRIBE', 'p*'],
      ['RESET'],
      ['ECHO', 'after reset'],
    ],
  },
  {
    name: 'RESP3 confirmations are pushes and other commands stay allowed',
    resp3: true,
    steps: [
      ['SUBSCRIBE', 'a'],
      ['PSUBSCRIBE', 'a*'],
      ['ECHO', 'allowed in RESP3'],
      ['PING'],
      ['UNSUBSCRIBE', 'nosuch'],
      ['UNSUBSCRIBE'],
      ['PUNSUBSCRIBE'],
      ['PUNSUBSCRIBE'],
    ],
  },
  {
    name: 'PUBSUB CHANNELS, NUMSUB and NUMPAT see this connection in RESP3',
    resp3: true,
    steps: [
      ['SUBSCRIBE', 'news.1'],
      ['SUBSCRIBE', 'news.2'],
      ['SUBSCRIBE', 'other'],
      ['PSUBSCRIBE', 'n*'],
      unordered('PUBSUB', 'CHANNELS'),
      unordered('PUBSUB', 'CHANNELS', 'news.*'),
      ['PUBSUB', 'CHANNELS', 'nomatch*'],
      ['PUBSUB', 'NUMSUB', 'news.1', 'nosuch'],
      ['PUBSUB', 'NUMPAT'],
      ['UNSUBSCRIBE', 'news.1', 'news.2', 'other'],
      ['PUNSUBSCRIBE', 'n*'],
      ['PUBSUB', 'NUMPAT'],
    ],
  },
]);

describeWithRedis('differential: pubsub message delivery', () => {
  const servers = realAndBundledPair();


  async function readN(conn: RawConnection, n: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await conn.readReply()).toString('latin1'));
    return out;
  }

  for (const resp3 of [false, true]) {
    it(`message and pmessage reach a ${resp3 ? 'RESP3' : 'RESP2'} subscriber with exact bytes`, async () => {
      const [expected, actual] = await servers.onBoth(async (host, port) => {
        const subscriber = await RawConnection.open(host, port);
        const publisher = await RawConnection.open(host, port);
        try {
          const log: string[] = [];
          if (resp3) await subscriber.command(['HELLO', '3']);
          subscriber.send(['SUBSCRIBE', 'chan', 'other']);
          subscriber.send(['PSUBSCRIBE', 'ch*']);
          log.push(...(await readN(subscriber, 3)));
          log.push(await publisher.command(['PUBLISH', 'chan', 'hello\r\nworld']));
          log.push(...(await readN(subscriber, 2)));
          log.push(await publisher.command(['PUBLISH', 'chat', '\x00\xff']));
          log.push(...(await readN(subscriber, 1)));
          log.push(await publisher.command(['PUBLISH', 'other', '']));
          log.push(...(await readN(subscriber, 1)));
          log.push(await publisher.command(['PUBSUB', 'NUMSUB', 'chan', 'other', 'chat']));
          log.push(await publisher.command(['PUBSUB', 'NUMPAT']));
          subscriber.send(['UNSUBSCRIBE', 'chan']);
          log.push(...(await readN(subscriber, 1)));
          log.push(await publisher.command(['PUBLISH', 'chan', 'only the pattern']));
          log.push(...(await readN(subscriber, 1)));
          return log;
        } finally {
          subscriber.close();
          publisher.close();
        }
      });
      expect(actual).toEqual(expected);
    });
  }

  it('a RESP3 client publishing to a channel it is subscribed to gets the message before the count', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        await conn.command(['HELLO', '3']);
        await conn.command(['SUBSCRIBE', 'self']);
        conn.send(['PUBLISH', 'self', 'echo']);
        return await readN(conn, 2);
      } finally {
        conn.close();
      }
    });
    expect(actual).toEqual(expected);
  });

  it('a closed subscriber no longer counts as a receiver', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const subscriber = await RawConnection.open(host, port);
      const publisher = await RawConnection.open(host, port);
      try {
        await subscriber.command(['SUBSCRIBE', 'gone']);
        await subscriber.command(['PSUBSCRIBE', 'go*']);
        const before = await publisher.command(['PUBLISH', 'gone', 'x']);
        subscriber.close();
        // The server notices the close asynchronously: wait until it has dropped the subscriptions.
        let after = before;
        for (let attempt = 0; attempt < 100 && after !== ':0\r\n'; attempt++) {
          await new Promise((r) => setTimeout(r, 10));
          after = await publisher.command(['PUBLISH', 'gone', 'x']);
        }
        return [before, after, await publisher.command(['PUBSUB', 'NUMPAT'])];
      } finally {
        publisher.close();
      }
    });
    expect(actual).toEqual(expected);
  });
});
