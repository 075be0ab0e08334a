// A replica authenticating to its master as a restricted ACL user (masteruser + masterauth), in both
// directions between the bundled node and redis-server 7.0: the master's default user needs a
// password the replica never gets, and the replication user may run only PSYNC, REPLCONF and PING.

import { afterEach, expect, it } from 'vitest';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { infoFields, waitReplicaInSync } from '../helpers/info';
import { eventually } from '../helpers/wait';
import type { RunningServer } from '../../src/server/index';

const ADMIN_PASSWORD = 'admin-secret';
const REPL_PASSWORD = 'repl-secret';

interface Endpoint {
  host: string;
  port: number;
  stop(): Promise<void>;
}

const fromNode = (node: RunningServer): Endpoint => ({ host: node.host, port: node.port, stop: () => node.close() });
const fromRedis = (redis: RedisProcess): Endpoint => ({ host: redis.host, port: redis.port, stop: () => redis.stop() });

async function start(kind: 'node' | 'redis', directives: Record<string, string>): Promise<Endpoint> {
  return kind === 'node' ? fromNode(await startNode({ config: directives })) : fromRedis(await startRedisServer({ directives }));
}

describeWithRedis('replication: replica authenticates with masteruser', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  for (const [masterKind, replicaKind] of [['node', 'redis'], ['redis', 'node'], ['node', 'node']] as const) {
    it(`${replicaKind} replica of a ${masterKind} master, as a user allowed only +psync +replconf +ping`, async () => {
      const master = await start(masterKind, { requirepass: ADMIN_PASSWORD });
      cleanups.push(() => master.stop());
      const masterClient = new Redis({ host: master.host, port: master.port, password: ADMIN_PASSWORD, lazyConnect: true });
      cleanups.push(() => masterClient.disconnect());
      await masterClient.connect();
      expect(await masterClient.call('ACL', 'SETUSER', 'repl', 'on', `>${REPL_PASSWORD}`, '-@all', '+psync', '+replconf', '+ping')).toBe('OK');

      const replica = await start(replicaKind, { masteruser: 'repl', masterauth: REPL_PASSWORD });
      cleanups.push(() => replica.stop());
      const replicaClient = new Redis({ host: replica.host, port: replica.port, lazyConnect: true });
      cleanups.push(() => replicaClient.disconnect());
      await replicaClient.connect();
      await masterClient.set('before', '1');
      await replicaClient.replicaof(master.host, String(master.port));
      await waitReplicaInSync(masterClient, replicaClient, { what: `${replicaKind} replica in sync with ${masterKind} master` });
      await masterClient.set('after', '2');
      await waitReplicaInSync(masterClient, replicaClient);
      expect(await replicaClient.mget('before', 'after')).toEqual(['1', '2']);

      // The replica's connection on the master runs as the replication user, refused nothing.
      const replicaLine = ((await masterClient.call('CLIENT', 'LIST', 'TYPE', 'replica')) as string).trim();
      expect(replicaLine).toContain(' user=repl ');
      expect(await masterClient.call('ACL', 'LOG')).toEqual([]);
    });
  }

  it('a wrong masterauth for the user leaves the link down and the master logs the failed AUTH', async () => {
    const master = await start('node', { requirepass: ADMIN_PASSWORD });
    cleanups.push(() => master.stop());
    const masterClient = new Redis({ host: master.host, port: master.port, password: ADMIN_PASSWORD });
    cleanups.push(() => masterClient.disconnect());
    await masterClient.call('ACL', 'SETUSER', 'repl', 'on', `>${REPL_PASSWORD}`, '-@all', '+psync', '+replconf', '+ping');
    const replica = await start('redis', { masteruser: 'repl', masterauth: 'wrong' });
    cleanups.push(() => replica.stop());
    const replicaClient = new Redis({ host: replica.host, port: replica.port });
    cleanups.push(() => replicaClient.disconnect());
    await replicaClient.replicaof(master.host, String(master.port));
    await eventually(
      async () => {
        const log = (await masterClient.call('ACL', 'LOG')) as unknown[][];
        return log.some((entry) => entry.includes('auth') && entry.includes('repl'));
      },
      { what: 'failed AUTH of repl logged' },
    );
    expect((await infoFields(replicaClient)).master_link_status).toBe('down');
  });
});
