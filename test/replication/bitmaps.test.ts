// Bitmaps between a real redis-server and the bundled node, both ways: a bitmap in the master's
// RDB reaches the replica in the full sync, and bit writes reach it through the stream (where
// BITFIELD's verbatim propagation and SETBIT's padding must land on the same bytes).

import { afterAll, beforeAll, expect, it } from 'vitest';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { waitReplicaInSync } from '../helpers/info';
import type { RunningServer } from '../../src/server/index';

/** Bitmap writes of every kind; `prefix` keeps the RDB part and the stream part apart. */
async function writeBitmaps(client: Redis, prefix: string): Promise<void> {
  const p = client.pipeline();
  p.setbit(`${prefix}sparse`, 100_000, 1);
  p.setbit(`${prefix}sparse`, 7, 1);
  p.setbit(`${prefix}sparse`, 7, 1); // unchanged: not propagated, and nothing to apply
  p.call('BITFIELD', `${prefix}fields`, 'SET', 'i5', '3', '-7', 'INCRBY', 'u12', '#9', '4000', 'OVERFLOW', 'SAT', 'INCRBY', 'u12', '#9', '500');
  p.call('BITFIELD', `${prefix}fields`, 'OVERFLOW', 'FAIL', 'INCRBY', 'u12', '#9', '1000', 'SET', 'i64', '200', '-1');
  p.set(`${prefix}a`, Buffer.from([0xff, 0x0f, 0x00, 0x81]));
  p.setbit(`${prefix}b`, 3, 1);
  p.call('BITOP', 'XOR', `${prefix}xor`, `${prefix}a`, `${prefix}b`, `${prefix}sparse`);
  p.call('BITOP', 'NOT', `${prefix}not`, `${prefix}a`);
  p.call('BITOP', 'AND', `${prefix}a`, `${prefix}a`, `${prefix}b`);
  await p.exec();
}

async function expectSameData(a: { host: string; port: number }, b: { host: string; port: number }): Promise<void> {
  const [left, right] = await Promise.all([dumpKeyspace(a.host, a.port), dumpKeyspace(b.host, b.port)]);
  expect(Object.keys(left['0'] ?? {}).length).toBeGreaterThan(5);
  expect(right).toEqual(left);
}

interface Endpoint {
  host: string;
  port: number;
  stop(): Promise<void>;
}

const realServer = async (): Promise<Endpoint> => {
  const redis: RedisProcess = await startRedisServer();
  return { host: redis.host, port: redis.port, stop: () => redis.stop() };
};
const bundledNode = async (): Promise<Endpoint> => {
  const node: RunningServer = await startNode({ config: { 'repl-diskless-sync-delay': 0 } });
  return { host: node.host, port: node.port, stop: () => node.close() };
};

for (const [direction, startMaster, startReplica] of [
  ['a real redis-server master to a bundled replica', realServer, bundledNode],
  ['a bundled master to a real redis-server replica', bundledNode, realServer],
] as const) {
  describeWithRedis(`replication: bitmaps from ${direction}`, () => {
    let master: Endpoint;
    let replica: Endpoint;
    let masterClient: Redis;
    let replicaClient: Redis;

    beforeAll(async () => {
      [master, replica] = await Promise.all([startMaster(), startReplica()]);
      masterClient = new Redis({ host: master.host, port: master.port });
      replicaClient = new Redis({ host: replica.host, port: replica.port });
    });
    afterAll(async () => {
      masterClient?.disconnect();
      replicaClient?.disconnect();
      await Promise.all([master?.stop(), replica?.stop()]);
    });

    it('bitmaps travel in the full sync and bit writes in the stream', async () => {
      await writeBitmaps(masterClient, 'rdb:');
      await replicaClient.replicaof(master.host, master.port);
      await waitReplicaInSync(masterClient, replicaClient, { what: 'replica synced' });
      await writeBitmaps(masterClient, 'stream:');
      await waitReplicaInSync(masterClient, replicaClient, { what: 'replica caught up' });
      await expectSameData(master, replica);
      expect(await replicaClient.bitcount('stream:sparse')).toBe(2);
      expect(await replicaClient.call('BITFIELD_RO', 'stream:fields', 'GET', 'u12', '#9')).toEqual([4095]);
    });
  });
}
