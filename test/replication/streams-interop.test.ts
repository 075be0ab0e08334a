// Streams through RDB in both directions: the bundled node as a replica of redis-server 7.0
// (it loads Redis's stream listpacks) and redis-server as a replica of the bundled node (Redis
// loads the node's), plus SAVE and a restart. Node boundaries and tombstones must survive: after
// promoting the replica, approximate trims remove exactly what they remove on the source.

import { afterEach, expect, it } from 'vitest';
import Redis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { waitReplicaInSync } from '../helpers/info';
import type { RunningServer } from '../../src/server/index';

const KEYS = ['big', 'mixed', 'emptied', 'huge-ids', 'trimmed'];

async function fillStreams(client: Redis): Promise<void> {
  const p = client.pipeline();
  for (let i = 1; i <= 350; i++) p.xadd('big', `${i}-0`, 'f', String(i), 'g', 'v'.repeat(i % 50));
  p.xdel('big', '5-0', '150-0', '151-0', '349-0');
  for (let i = 1; i <= 120; i++) {
    const fields = i % 4 === 0 ? ['other', String(-i * 100000)] : ['f', 'x'.repeat(i * 7), 'n', String(i * 2 ** 40)];
    p.xadd('mixed', `${1000 + i}-${i}`, ...fields);
  }
  p.xadd('mixed', '5000-0', 'long', 'L'.repeat(5000));
  p.xadd('emptied', '1-0', 'a', '1');
  p.xdel('emptied', '1-0');
  p.xadd('huge-ids', '18446744073709551614-5', 'a', '1');
  p.xadd('huge-ids', '18446744073709551615-*', 'a', '2');
  for (let i = 1; i <= 60; i++) p.xadd('trimmed', `${i}-0`, 'f', String(i));
  p.xtrim('trimmed', 'MAXLEN', '45');
  p.xsetid('trimmed', '100-0', 'ENTRIESADDED', '500', 'MAXDELETEDID', '90-0');
  p.xgroup('CREATE', 'big', 'readers', '0');
  p.xgroup('CREATE', 'big', 'idle', '$');
  p.xgroup('CREATECONSUMER', 'big', 'idle', 'nobody');
  p.xreadgroup('GROUP', 'readers', 'alice', 'COUNT', '3', 'STREAMS', 'big', '>');
  p.xreadgroup('GROUP', 'readers', 'bob', 'COUNT', '4', 'STREAMS', 'big', '>');
  p.xack('big', 'readers', '2-0', '6-0');
  p.xgroup('CREATE', 'emptied', 'g', '$');
  await p.exec();
}

/** Groups as XPENDING shows them, without idle times (they depend on when the check runs). */
async function groupState(client: Redis): Promise<unknown> {
  const pending = (await client.call('XPENDING', 'big', 'readers', '-', '+', '100')) as unknown[][];
  return {
    summary: await client.call('XPENDING', 'big', 'readers'),
    pending: pending.map(([id, consumer, , count]) => [id, consumer, count]),
    idle: await client.call('XPENDING', 'big', 'idle'),
    emptied: await client.call('XPENDING', 'emptied', 'g'),
    newReads: await client.call('XREADGROUP', 'GROUP', 'readers', 'carol', 'COUNT', '2', 'STREAMS', 'big', '>'),
    deleted: await client.call('XGROUP', 'DELCONSUMER', 'big', 'idle', 'nobody'),
  };
}

async function streamState(client: Redis): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    out[key] = {
      type: await client.type(key),
      len: await client.xlen(key),
      entries: await client.xrange(key, '-', '+'),
    };
  }
  return out;
}

/** Approximate trims and XADDs whose results depend on the node structure and stream metadata. */
async function probeStructure(client: Redis): Promise<unknown[]> {
  const out: unknown[] = [];
  out.push(await client.call('XTRIM', 'big', 'MAXLEN', '~', '120'));
  out.push(await client.xlen('big'));
  out.push(await client.call('XTRIM', 'mixed', 'MINID', '~', '1090'));
  out.push(await client.xlen('mixed'));
  out.push(await client.call('XADD', 'huge-ids', '18446744073709551615-*', 'a', '3').catch((e: Error) => e.message));
  out.push(await client.call('XADD', 'trimmed', '99-0', 'a', '1').catch((e: Error) => e.message));
  out.push(await client.call('XADD', 'trimmed', '100-1', 'a', '1'));
  out.push(await client.call('XADD', 'emptied', '1-0', 'a', '1').catch((e: Error) => e.message));
  return out;
}

describeWithRedis('replication: streams between redis-server and the bundled node', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function pair(): Promise<{ redis: RedisProcess; node: RunningServer; redisClient: Redis; nodeClient: Redis }> {
    const redis = await startRedisServer();
    const node = await startNode({ config: { 'repl-diskless-sync-delay': 0 } });
    const redisClient = new Redis({ host: redis.host, port: redis.port });
    const nodeClient = new Redis({ host: node.host, port: node.port });
    cleanups.push(() => redis.stop(), () => node.close(), () => redisClient.disconnect(), () => nodeClient.disconnect());
    return { redis, node, redisClient, nodeClient };
  }

  it('the bundled node loads redis-server streams in a full sync', async () => {
    const { redis, nodeClient, redisClient } = await pair();
    await fillStreams(redisClient);
    await nodeClient.replicaof(redis.host, redis.port);
    await waitReplicaInSync(redisClient, nodeClient, { what: 'node replica caught up' });
    expect(await streamState(nodeClient)).toEqual(await streamState(redisClient));
    // The live stream: XREADGROUP reaches the node as XCLAIM ... FORCE JUSTID LASTID.
    await redisClient.call('XREADGROUP', 'GROUP', 'readers', 'dave', 'COUNT', '2', 'STREAMS', 'big', '>');
    await redisClient.call('XREADGROUP', 'GROUP', 'readers', 'erin', 'NOACK', 'COUNT', '2', 'STREAMS', 'big', '>');
    await waitReplicaInSync(redisClient, nodeClient, { what: 'node replica applied the group reads' });
    await nodeClient.replicaof('NO', 'ONE');
    await redisClient.replicaof('NO', 'ONE');
    expect(await groupState(nodeClient)).toEqual(await groupState(redisClient));
    const probed = await probeStructure(redisClient);
    // The probe must exercise node boundaries: both trims remove whole nodes.
    expect(probed.slice(0, 4)).toEqual([197, 149, 82, 39]);
    expect(await probeStructure(nodeClient)).toEqual(probed);
  });

  it('redis-server loads the bundled node streams in a full sync, and the live stream', async () => {
    const { node, nodeClient, redisClient } = await pair();
    await fillStreams(nodeClient);
    await redisClient.replicaof(node.host, node.port);
    await waitReplicaInSync(nodeClient, redisClient, { what: 'redis replica caught up' });
    expect(await streamState(redisClient)).toEqual(await streamState(nodeClient));
    // The live stream: generated IDs and approximate trims reach the replica as concrete values.
    await nodeClient.call('XADD', 'big', 'MAXLEN', '~', '200', '*', 'live', '1');
    await nodeClient.call('XADD', 'mixed', '9000-*', 'live', '2');
    await nodeClient.call('XTRIM', 'mixed', 'MINID', '~', '1050');
    await waitReplicaInSync(nodeClient, redisClient, { what: 'redis replica applied the stream' });
    expect(await streamState(redisClient)).toEqual(await streamState(nodeClient));
    await nodeClient.call('XREADGROUP', 'GROUP', 'readers', 'dave', 'COUNT', '2', 'STREAMS', 'big', '>');
    await nodeClient.call('XREADGROUP', 'GROUP', 'readers', 'erin', 'NOACK', 'COUNT', '2', 'STREAMS', 'big', '>');
    await waitReplicaInSync(nodeClient, redisClient, { what: 'redis replica applied the group reads' });
    await redisClient.replicaof('NO', 'ONE');
    expect(await groupState(redisClient)).toEqual(await groupState(nodeClient));
    expect(await probeStructure(redisClient)).toEqual(await probeStructure(nodeClient));
  });

  it('SAVE and a restart keep streams, node boundaries and metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rctl-streams-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const redis = await startRedisServer();
    const redisClient = new Redis({ host: redis.host, port: redis.port });
    cleanups.push(() => redis.stop(), () => redisClient.disconnect());
    await fillStreams(redisClient);
    const first = await startNode({ config: { dir, dbfilename: 'dump.rdb' } });
    const firstClient = new Redis({ host: first.host, port: first.port });
    await fillStreams(firstClient);
    await firstClient.save();
    firstClient.disconnect();
    await first.close();
    const second = await startNode({ config: { dir, dbfilename: 'dump.rdb' } });
    const secondClient = new Redis({ host: second.host, port: second.port });
    cleanups.push(() => second.close(), () => secondClient.disconnect());
    expect(await streamState(secondClient)).toEqual(await streamState(redisClient));
    expect(await groupState(secondClient)).toEqual(await groupState(redisClient));
    expect(await probeStructure(secondClient)).toEqual(await probeStructure(redisClient));
  });
});
