// (b) A bundled replica of a real redis-server master: it loads Redis's own RDB (every encoding),
// applies the stream, is read-only, and continues with a partial resync after the link is cut.

import { afterAll, beforeAll, expect, it } from 'vitest';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { fillEveryType } from '../helpers/fill-data';
import { infoFields as info, waitReplicaInSync } from '../helpers/info';
import type { RunningServer } from '../../src/server/index';


for (const diskless of [true, false]) {
  describeWithRedis(`replication: bundled replica of a real redis-server master (${diskless ? 'diskless' : 'disk'} transfer)`, () => {
    let master: RedisProcess;
    let replica: RunningServer;
    let masterClient: Redis;
    let replicaClient: Redis;

    beforeAll(async () => {
      master = await startRedisServer({
        directives: { requirepass: '123456', 'repl-diskless-sync': diskless ? 'yes' : 'no', 'repl-diskless-sync-delay': '0', 'list-compress-depth': '1' },
      });
      replica = await startNode({ config: { masterauth: '123456', requirepass: '123456' }, keepLog: true });
      masterClient = new Redis({ host: master.host, port: master.port, password: '123456' });
      replicaClient = new Redis({ host: replica.host, port: replica.port, password: '123456' });
      await fillEveryType(masterClient);
    });

    afterAll(async () => {
      masterClient?.disconnect();
      replicaClient?.disconnect();
      await Promise.all([master?.stop(), replica?.close()]);
    });

    const waitInSync = () => waitReplicaInSync(masterClient, replicaClient, { what: 'bundled replica caught up' });

    it('full sync loads the real RDB with every encoding', async () => {
      await replicaClient.replicaof(master.host, master.port);
      await waitInSync();
      const log = replica.server.logger.memory?.join('\n') ?? '';
      for (const line of [
        `Connecting to MASTER ${master.host}:${master.port}`,
        'MASTER <-> REPLICA sync started',
        'Master replied to PING, replication can continue...',
        // Like Redis, a master turned replica offers its own history first, then gets a full resync.
        'Before turning into a replica, using my own master parameters to synthesize a cached master',
        'Trying a partial resynchronization (request ',
        'Full resync from master: ',
        'MASTER <-> REPLICA sync: Flushing old data',
        'MASTER <-> REPLICA sync: Loading DB in memory',
        'MASTER <-> REPLICA sync: Finished with success',
      ]) {
        expect(log).toContain(line);
      }
      expect(await dumpKeyspace(replica.host, replica.port, '123456')).toEqual(await dumpKeyspace(master.host, master.port, '123456'));
      const r = await info(replicaClient);
      expect(r.role).toBe('slave');
      expect(r.master_host).toBe(master.host);
      expect(r.master_port).toBe(String(master.port));
      expect(r.master_sync_in_progress).toBe('0');
      expect(r.slave_read_only).toBe('1');
      expect(r.master_replid).toBe((await info(masterClient)).master_replid);
    });

    it('applies the stream and counts offsets exactly as the master does', async () => {
      await fillEveryType(masterClient, 'streamed:');
      await masterClient.set('name', 'hkping');
      await waitInSync();
      expect(await replicaClient.get('name')).toBe('hkping');
      expect(await dumpKeyspace(replica.host, replica.port, '123456')).toEqual(await dumpKeyspace(master.host, master.port, '123456'));
    });

    it('refuses writes with READONLY', async () => {
      await expect(replicaClient.set('key1', 'abc')).rejects.toThrow("READONLY You can't write against a read only replica.");
    });

    it('REPLICAOF of the same master is a no-op', async () => {
      expect(await replicaClient.call('REPLICAOF', master.host, String(master.port))).toBe('OK Already connected to specified master');
    });

    it('continues with a partial resync after the master cuts the link, in the db the stream had selected', async () => {
      // The stream stays in db 5 across the cut: no SELECT is sent again after the partial resync.
      await masterClient.select(5);
      await masterClient.set('before-cut', 'yes');
      await waitInSync();
      await masterClient.call('CLIENT', 'KILL', 'TYPE', 'replica');
      await masterClient.set('after-cut', 'yes');
      await waitInSync();
      await replicaClient.select(5);
      expect(await replicaClient.get('after-cut')).toBe('yes');
      await replicaClient.select(0);
      expect(await replicaClient.exists('after-cut')).toBe(0);
      expect(replica.server.logger.memory?.join('\n')).toContain('Successful partial resynchronization with master.');
      expect((await info(masterClient, 'stats')).sync_partial_ok).toBe('1');
    });
  });
}
