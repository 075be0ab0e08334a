// Keys that expire while writes are paused (CLIENT PAUSE WRITE) are hidden but not deleted, so the
// master's replication offset stands still during the pause: rctl's graceful failover relies on
// it (the candidate must reach an offset that no longer moves). Played on redis-server 7.0 and on
// the node side by side, each with a redis-server replica attached, and the outcomes compared.

import Redis from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { infoFields, waitReplicaInSync } from '../helpers/info';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';

const KEYS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithRedis('expiry while writes are paused', () => {
  const stops: Array<() => Promise<unknown>> = [];
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(stops.map((stop) => stop()));
  });
  const connect = (host: string, port: number) => {
    const client = new Redis({ host, port, maxRetriesPerRequest: 1 });
    clients.push(client);
    return client;
  };

  async function scenario(master: Redis, replica: Redis) {
    await master.flushall();
    // The replica's first sync may take a second or two: done before any TTL starts running.
    await waitReplicaInSync(master, replica);
    const pipeline = master.pipeline();
    for (let i = 0; i < KEYS; i++) pipeline.set(`short:${i}`, 'v', 'PX', 1000);
    pipeline.set('stays', 'v');
    await pipeline.exec();
    await waitReplicaInSync(master, replica);
    const offsetBefore = (await infoFields(master)).master_repl_offset;
    const expiredBefore = (await infoFields(master, 'stats')).expired_keys;
    expect(await master.call('CLIENT', 'PAUSE', '5000', 'WRITE')).toBe('OK');
    // Every key is past its TTL now, and the active cycle has had many chances to run.
    await sleep(1500);
    const duringPause = {
      get: await master.get('short:7'),
      exists: await master.exists('short:8'),
      ttl: await master.pttl('short:9'),
      offsetMoved: (await infoFields(master)).master_repl_offset !== offsetBefore,
      expiredCounted: (await infoFields(master, 'stats')).expired_keys !== expiredBefore,
      dbsize: await master.dbsize(),
      replicaDbsize: await replica.dbsize(),
    };
    expect(await master.call('CLIENT', 'UNPAUSE')).toBe('OK');
    // After the pause the expiries happen and reach the replica as DELs.
    await eventually(async () => (await replica.dbsize()) === 1, { what: 'the expired keys deleted on the replica', timeout: 10_000 });
    const after = { offsetMoved: (await infoFields(master)).master_repl_offset !== offsetBefore, replicaKeys: await replica.keys('*') };
    return { duringPause, after };
  }

  it('hides expired keys without deleting them or moving the offset, then deletes them after UNPAUSE', async () => {
    const redisMaster: RedisProcess = await startRedisServer();
    const node = await startNode();
    stops.push(() => redisMaster.stop(), () => node.close());
    const replicaOfRedis = await startRedisServer({ directives: { replicaof: `${redisMaster.host} ${redisMaster.port}` } });
    const replicaOfNode = await startRedisServer({ directives: { replicaof: `${node.host} ${node.port}` } });
    stops.push(() => replicaOfRedis.stop(), () => replicaOfNode.stop());

    const expected = await scenario(connect(redisMaster.host, redisMaster.port), connect(replicaOfRedis.host, replicaOfRedis.port));
    const actual = await scenario(connect(node.host, node.port), connect(replicaOfNode.host, replicaOfNode.port));
    expect(actual).toEqual(expected);
    expect(expected.duringPause).toEqual({ get: null, exists: 0, ttl: -2, offsetMoved: false, expiredCounted: false, dbsize: KEYS + 1, replicaDbsize: KEYS + 1 });
    expect(expected.after).toEqual({ offsetMoved: true, replicaKeys: ['stays'] });
  });
});
