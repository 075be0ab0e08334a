// The `timeout` directive closes idle clients, but not a client blocked on keys: Redis's
// clientsCronHandleTimeout skips blocked clients, and a BLPOP 0 consumer may wait for hours.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/clock';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';
import type { RunningServer } from '../../src/server/index';

describe('bundled node: idle timeout and blocked clients', () => {
  const clock = new ManualClock(1_700_000_000_000);
  let node: RunningServer;
  beforeAll(async () => {
    node = await startNode({ clock, config: { timeout: '10' } });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('closes an idle client but keeps the one blocked in BLPOP 0, which is then served', async () => {
    const [idle, blocked, producer] = await Promise.all([0, 1, 2].map(() => RawConnection.open(node.host, node.port)));
    try {
      expect(await idle.command(['PING'])).toBe('+PONG\r\n');
      blocked.send(['BLPOP', 'jobs', '0']);
      for (let i = 0; i < 100 && node.server.blocking.count === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(node.server.blocking.count).toBe(1);
      clock.advance(11_000);
      expect(await producer.command(['PING'])).toBe('+PONG\r\n');
      node.server.cron();
      await idle.readUntilClose(2000);
      expect(await producer.command(['RPUSH', 'jobs', 'j1'])).toBe(':1\r\n');
      expect((await blocked.readReply()).toString('latin1')).toBe('*2\r\n$4\r\njobs\r\n$2\r\nj1\r\n');
    } finally {
      for (const conn of [idle, blocked, producer]) conn.close();
    }
  });
});
