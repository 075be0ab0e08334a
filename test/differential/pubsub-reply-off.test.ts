// Pub/sub confirmations and messages are pushes: Redis 7.0 sends them even while CLIENT REPLY
// OFF or SKIP mutes the command replies (CLIENT_PUSHING), while everything else stays muted.

import { expect, it } from 'vitest';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

async function repliesUntilEnd(conn: RawConnection): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const reply = (await conn.readReply()).toString('latin1');
    if (reply === '$3\r\nend\r\n') return out;
    out.push(reply);
  }
}

describeWithRedis('differential: pub/sub pushes under CLIENT REPLY OFF and SKIP', () => {
  const servers = realAndBundledPair();

  for (const resp of ['2', '3']) {
    for (const mode of ['OFF', 'SKIP']) {
      it(`RESP${resp}, CLIENT REPLY ${mode}: confirmations and messages still arrive`, async () => {
        const [expected, actual] = await servers.onBoth(async (host, port) => {
          const conn = await RawConnection.open(host, port);
          const publisher = await RawConnection.open(host, port);
          try {
            await conn.command(['HELLO', resp]);
            const steps = [
              ['CLIENT', 'REPLY', mode],
              ['SUBSCRIBE', 'a', 'b'],
              ['PSUBSCRIBE', 'p*'],
              ['PING'],
              ['UNSUBSCRIBE', 'zz'],
              ['PUNSUBSCRIBE'],
              // Named, not bare: a bare UNSUBSCRIBE goes in Redis's (unspecified) dict order.
              ['UNSUBSCRIBE', 'b', 'a'],
              ['UNSUBSCRIBE'],
              ['GET', 'x'],
              // RESP2 allows CLIENT REPLY ON and ECHO only outside the subscribed context.
              ['CLIENT', 'REPLY', 'ON'],
              ['ECHO', 'end'],
            ];
            for (const step of steps) conn.send(step);
            const before = await repliesUntilEnd(conn);
            if (resp === '2') return { before, after: [] };
            // RESP3 only: a subscriber under CLIENT REPLY OFF/SKIP still gets messages.
            conn.send(['SUBSCRIBE', 'c']);
            conn.send(['ECHO', 'end']);
            await repliesUntilEnd(conn);
            conn.send(['CLIENT', 'REPLY', mode]);
            conn.send(['PING']);
            await publisher.command(['PUBLISH', 'c', 'hello']);
            conn.send(['PUBLISH', 'c', 'self']);
            conn.send(['UNSUBSCRIBE', 'c']);
            conn.send(['CLIENT', 'REPLY', 'ON']);
            conn.send(['ECHO', 'end']);
            const after = await repliesUntilEnd(conn);
            return { before, after };
          } finally {
            conn.close();
            publisher.close();
          }
        });
        expect(actual).toEqual(expected);
      });
    }
  }
});
