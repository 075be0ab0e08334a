// INFO errorstats, total_error_replies and commandstats' failed_calls/rejected_calls after a run
// of failing commands, against a real redis-server given the same run.

import { expect, it } from 'vitest';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

const RUN: string[][] = [
  ['CONFIG', 'RESETSTAT'],
  ['GET'],
  ['NOSUCHCMD', 'a'],
  ['SET', 'str', 'v'],
  ['LPUSH', 'str', 'x'],
  ['INCR', 'str'],
  ['CONFIG', 'GET'],
  ['CONFIG', 'NOSUCH'],
  ['OBJECT', 'ENCODING', 'missing'],
  ['MULTI'],
  ['SET', 'a'],
  ['EXEC'],
  ['MULTI'],
  ['INCR', 'str'],
  ['LPUSH', 'str', 'x'],
  ['SET', 'ok', '1'],
  ['EXEC'],
  ['EXEC'],
  ['DISCARD'],
  ['MULTI'],
  ['MULTI'],
  ['DISCARD'],
  ['HSET', 'h'],
  ['SET', 'k', 'v', 'EX', '-1'],
  ['EXPIRE', 'k', 'x'],
];

/** The parts of INFO this test compares: errorstats, the error totals, and commandstats' failure counts. */
function errorView(info: string): string[] {
  const out: string[] = [];
  for (const line of info.split('\r\n')) {
    if (line.startsWith('errorstat_') || line.startsWith('total_error_replies:')) out.push(line);
    const cmd = /^cmdstat_([^:]+):calls=(\d+),.*rejected_calls=(\d+),failed_calls=(\d+)/.exec(line);
    if (cmd && cmd[1] !== 'info' && cmd[1] !== 'config|resetstat') out.push(`${cmd[1]} calls=${cmd[2]} rejected=${cmd[3]} failed=${cmd[4]}`);
  }
  return out.sort();
}

describeWithRedis('differential: error statistics', () => {
  const servers = realAndBundledPair();

  it('counts errors by prefix and per command as Redis 7.0 does', async () => {
    const [real, ours] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      for (const cmd of RUN) await conn.command(cmd);
      const info = await conn.command(['INFO', 'ALL']);
      conn.close();
      return errorView(info);
    });
    expect(ours).toEqual(real);
  });

  it('NOAUTH is counted before AUTH', async () => {
    const [real, ours] = await servers.onBoth(async (host, port) => {
      const admin = await RawConnection.open(host, port);
      await admin.command(['CONFIG', 'RESETSTAT']);
      await admin.command(['CONFIG', 'SET', 'requirepass', 'pw']);
      const other = await RawConnection.open(host, port);
      await other.command(['GET', 'x']);
      await other.command(['AUTH', 'wrong']);
      await other.command(['AUTH', 'pw']);
      await other.command(['CONFIG', 'SET', 'requirepass', '']);
      const info = await other.command(['INFO', 'ALL']);
      other.close();
      admin.close();
      return errorView(info);
    });
    expect(ours).toEqual(real);
  });
});
