// INFO errorstats, total_error_replies and the per-command failed_calls / rejected_calls against
// a real redis-server 7.0, after the same sequence of failing commands on both: unknown commands,
// arity errors, WRONGTYPE, errors inside EXEC, EXECABORT, NOAUTH, and errors Pub/Sub context gives.

import { expect, it } from 'vitest';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

describeWithRedis('differential: error statistics', () => {
  const servers = realAndBundledPair();

  it('counts every error reply by its code and every failed or rejected call by its command', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      const other = await RawConnection.open(host, port);
      try {
        await conn.command(['CONFIG', 'RESETSTAT']);
        const commands = [
          ['NOSUCHCOMMAND'],
          ['GET'],
          ['SET', 'k', 'v'],
          ['LPUSH', 'k', 'x'],
          ['INCR', 'k'],
          ['MULTI'],
          ['SET', 'a'],
          ['EXEC'],
          ['MULTI'],
          ['INCR', 'k'],
          ['LPUSH', 'k', 'y'],
          ['EXEC'],
          ['CONFIG', 'SET', 'nosuch', 'x'],
          ['CLIENT', 'NOSUCH'],
          ['OBJECT', 'ENCODING', 'missing'],
          ['HSET', 'h'],
          ['SUBSCRIBE', 'ch'],
          ['GET', 'k'],
          ['UNSUBSCRIBE'],
          ['CONFIG', 'SET', 'requirepass', 'pw'],
          ['AUTH', 'wrong'],
          ['AUTH', 'pw'],
          ['CONFIG', 'SET', 'requirepass', ''],
        ];
        for (const cmd of commands) await conn.command(cmd);
        await other.command(['GET', 'k']);
        const info = await conn.command(['INFO', 'everything']);
        const pick = (pattern: RegExp) => info.split('\r\n').filter((line) => pattern.test(line)).map((line) => line.replace(/usec=\d+,usec_per_call=[\d.]+,/, ''));
        return {
          errorstats: pick(/^errorstat_/),
          total: pick(/^total_error_replies:/),
          commandstats: pick(/^cmdstat_/).filter((line) => !/rejected_calls=0,failed_calls=0$/.test(line)).sort(),
        };
      } finally {
        conn.close();
        other.close();
      }
    });
    expect(actual).toEqual(expected);
    expect(expected.errorstats.length).toBeGreaterThan(2);
  });
});
