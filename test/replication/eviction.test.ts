// Evictions on a bundled master reach its replicas as DELs: a real redis-server replica and a
// bundled one end with exactly the master's keys. The bundled replica has a maxmemory of its own
// far below its dataset, which it ignores (replica-ignore-maxmemory yes, the default), as Redis
// replicas do: only the master decides what goes.

import { afterAll, beforeAll, expect, it } from 'vitest';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { infoFields, waitReplicaInSync } from '../helpers/info';
import type { RunningServer } from '../../src/server/index';

describeWithRedis('replication: evictions on a bundled master', () => {
  let master: RunningServer;
  let bundledReplica: RunningServer;
  let realReplica: RedisProcess;
  const clients: Redis[] = [];
  let m: Redis;
  let rb: Redis;
  let rr: Redis;

  beforeAll(async () => {
    master = await startNode({ config: { 'repl-diskless-sync-delay': 0 } });
    bundledReplica = await startNode({ config: { maxmemory: '1', 'maxmemory-policy': 'allkeys-random' } });
    realReplica = await startRedisServer();
    m = new Redis({ host: master.host, port: master.port });
    rb = new Redis({ host: bundledReplica.host, port: bundledReplica.port });
    rr = new Redis({ host: realReplica.host, port: realReplica.port });
    clients.push(m, rb, rr);
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await Promise.all([master?.close(), bundledReplica?.close(), realReplica?.stop()]);
  });

  const sortedKeys = async (client: Redis) => (await client.keys('*')).sort();

  it('sends the DEL of each evicted key; replicas ignore their own maxmemory', async () => {
    await rb.replicaof(master.host, master.port);
    await rr.replicaof(master.host, master.port);
    for (let i = 0; i < 40; i++) await m.set(`key:${i}`, 'x'.repeat(200));
    await waitReplicaInSync(m, rb);
    await waitReplicaInSync(m, rr);
    // The bundled replica is far over its maxmemory, yet keeps every key its master has.
    expect(await rb.dbsize()).toBe(40);

    const used = Number((await infoFields(m, 'memory')).used_memory);
    await m.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await m.config('SET', 'maxmemory', String(used - 10 * 300));
    await m.dbsize();
    const evicted = Number((await infoFields(m, 'stats')).evicted_keys);
    expect(evicted).toBeGreaterThan(0);
    expect(await m.dbsize()).toBeLessThan(40);

    await waitReplicaInSync(m, rb);
    await waitReplicaInSync(m, rr);
    const keys = await sortedKeys(m);
    expect(await sortedKeys(rr)).toEqual(keys);
    expect(await sortedKeys(rb)).toEqual(keys);
    expect(Number((await infoFields(rb, 'stats')).evicted_keys)).toBe(0);
  });
});
