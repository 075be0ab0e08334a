// CLIENT LIST's flags and redir fields against a real redis-server 7.0: connections put in each
// state (monitor, subscriber, open transaction with a dirty WATCH, tracking in BCAST mode with a
// broken redirect, no-evict), then every connection's flags compared by its name.

import { expect, it } from 'vitest';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

describeWithRedis('differential: CLIENT LIST flags', () => {
  const servers = realAndBundledPair();

  it('O, P, x, d, t, R, B, e and N, in Redis order, and redir', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const open = async (name: string) => {
        const conn = await RawConnection.open(host, port);
        await conn.command(['CLIENT', 'SETNAME', name]);
        return conn;
      };
      const plain = await open('plain');
      const monitor = await open('monitor');
      await monitor.command(['MONITOR']);
      const subscriber = await open('subscriber');
      await subscriber.command(['SUBSCRIBE', 'ch']);
      const transaction = await open('transaction');
      await transaction.command(['WATCH', 'w']);
      await plain.command(['SET', 'w', '1']);
      await transaction.command(['MULTI']);
      const target = await open('target');
      const targetId = /:(\d+)/.exec(await target.command(['CLIENT', 'ID']))![1];
      const tracker = await open('tracker');
      await tracker.command(['HELLO', '3']);
      await tracker.command(['CLIENT', 'TRACKING', 'ON', 'BCAST', 'REDIRECT', targetId]);
      target.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await plain.command(['SET', 'any', 'key']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const protectedConn = await open('protected');
      await protectedConn.command(['CLIENT', 'NO-EVICT', 'ON']);
      const list = await plain.command(['CLIENT', 'LIST']);
      for (const conn of [plain, monitor, subscriber, transaction, tracker, protectedConn]) conn.close();
      return list
        .split('\n')
        .map((line) => {
          const name = /name=(\S*)/.exec(line)?.[1];
          return name ? `${name}: ${/ flags=\S+/.exec(line)?.[0]} ${/ redir=-?\d+/.exec(line)?.[0].replace(targetId, 'TARGET')}` : '';
        })
        .filter(Boolean)
        .sort();
    });
    expect(actual).toEqual(expected);
    expect(expected.length).toBe(6);
    expect(expected.join('\n')).toContain('flags=tRB');
  });
});
