// (a) Real redis-server replicas of a bundled master: full sync, the live stream for every type
// and several dbs, partial resync after the link is cut, and data compared key by key.

import { afterAll, beforeAll, expect, it } from 'vitest';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { fillEveryType } from '../helpers/fill-data';
import { infoFields as info, waitReplicaInSync } from '../helpers/info';
import type { RunningServer } from '../../src/server/index';


describeWithRedis('replication: real redis-server replica of a bundled master', () => {
  let master: RunningServer;
  let replica: RedisProcess;
  let masterClient: Redis;
  let replicaClient: Redis;

  beforeAll(async () => {
    master = await startNode({ config: { 'repl-diskless-sync-delay': 0, requirepass: '123456' }, keepLog: true });
    replica = await startRedisServer({ directives: { masterauth: '123456', requirepass: '123456' } });
    masterClient = new Redis({ host: master.host, port: master.port, password: '123456' });
    replicaClient = new Redis({ host: replica.host, port: replica.port, password: '123456' });
    await fillEveryType(masterClient);
  });

  afterAll(async () => {
    masterClient?.disconnect();
    replicaClient?.disconnect();
    await Promise.all([master?.close(), replica?.stop()]);
  });

  const waitInSync = () => waitReplicaInSync(masterClient, replicaClient, { what: 'replica caught up' });

  it('full sync: the replica loads the bundled master RDB with every type', async () => {
    await replicaClient.replicaof(master.host, master.port);
    await waitInSync();
    const masterInfo = await info(masterClient);
    expect(masterInfo.role).toBe('master');
    expect(masterInfo.connected_slaves).toBe('1');
    expect(masterInfo.slave0).toMatch(/^ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d+$/);
    expect(masterInfo.repl_backlog_active).toBe('1');
    expect((await info(masterClient, 'stats')).sync_full).toBe('1');
    expect(await dumpKeyspace(replica.host, replica.port, '123456')).toEqual(await dumpKeyspace(master.host, master.port, '123456'));
    expect(replica.log()).toContain('MASTER <-> REPLICA sync: Finished with success');
  });

  it('streams writes of every type in several dbs', async () => {
    await fillEveryType(masterClient, 'stream:');
    const p = masterClient.pipeline();
    p.select(5);
    p.incr('counter');
    p.incrbyfloat('float', '1.5');
    p.lpush('list', 'a', 'b');
    p.lpop('list');
    p.hincrby('hash', 'f', 3);
    p.sadd('set', 'x', 'y', 'z');
    p.spop('set');
    p.zadd('zset', '1', 'a', '2', 'b');
    p.zincrby('zset', '5', 'a');
    p.set('ttl', 'v', 'EX', '1000');
    p.expire('counter', 5000);
    p.rename('float', 'float2');
    p.del('stream:str:small');
    p.select(0);
    p.del('str:small');
    p.flushdb();
    await p.exec();
    await waitInSync();
    expect(await dumpKeyspace(replica.host, replica.port, '123456')).toEqual(await dumpKeyspace(master.host, master.port, '123456'));
  });

  it('continues with a partial resync after the link is cut', async () => {
    const before = await info(masterClient, 'stats');
    await masterClient.call('CLIENT', 'KILL', 'TYPE', 'replica');
    await masterClient.set('written-while-cut', '1');
    await waitInSync();
    const after = await info(masterClient, 'stats');
    expect(Number(after.sync_partial_ok)).toBe(Number(before.sync_partial_ok) + 1);
    expect(after.sync_full).toBe(before.sync_full);
    expect(await replicaClient.get('written-while-cut')).toBe('1');
    expect(replica.log()).toContain('Successful partial resynchronization with master.');
    expect(master.server.logger.memory?.join('\n')).toMatch(/Partial resynchronization request from 127\.0\.0\.1:\d+ accepted\./);
  });

  it('expired keys on the master reach the replica as DEL', async () => {
    await masterClient.set('short', 'v', 'PX', 50);
    await waitInSync();
    await new Promise((r) => setTimeout(r, 120));
    expect(await masterClient.get('short')).toBeNull();
    await waitInSync();
    expect(await replicaClient.exists('short')).toBe(0);
  });
});
