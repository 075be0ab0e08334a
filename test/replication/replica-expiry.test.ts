// Expiry on a replica follows its master: a key past its TTL by the replica's clock is hidden
// from clients but kept, the master's own commands still see it, and only the master's DEL removes it.

import { afterAll, expect, it } from 'vitest';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { eventually } from '../helpers/wait';
import { ManualClock } from '../../src/server/clock';
import type { RunningServer } from '../../src/server/index';

describeWithRedis('replication: expiry on a bundled replica', () => {
  let master: RedisProcess;
  let replica: RunningServer;
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await Promise.all([master?.stop(), replica?.close()]);
  });

  it('hides expired keys, applies the master stream to them, and deletes them only on DEL', async () => {
    const clock = new ManualClock(Date.now());
    master = await startRedisServer({ directives: { 'repl-diskless-sync-delay': '0' } });
    replica = await startNode({ clock });
    const m = new Redis({ host: master.host, port: master.port });
    const r = new Redis({ host: replica.host, port: replica.port });
    clients.push(m, r);
    await r.replicaof(master.host, master.port);
    await m.set('counter', '5', 'EX', 100);
    await eventually(async () => (await r.get('counter')) === '5', { what: 'counter replicated' });

    // The replica's clock runs 200 s ahead: clients no longer see the key, but it is still there.
    clock.advance(200_000);
    expect(await r.get('counter')).toBeNull();
    expect(await r.exists('counter')).toBe(0);
    expect(await r.dbsize()).toBe(1);
    replica.server.cron();
    expect(await r.dbsize()).toBe(1);

    // The master's INCR still sees the old value on the replica: no divergence.
    await m.incr('counter');
    await m.persist('counter');
    await eventually(async () => (await r.get('counter')) === '6', { what: 'INCR applied to the kept key' });

    await m.del('counter');
    await eventually(async () => (await r.dbsize()) === 0, { what: 'DEL from the master' });
  });
});
