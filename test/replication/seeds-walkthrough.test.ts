// (c) The seeds' walkthrough on mixed three-node sets (bundled node and real redis-server):
// one master and two replicas with password 123456, reads on replicas, READONLY, the master
// dies, one replica is promoted with REPLICAOF NO ONE, the other continues from it with a
// partial resync, and the new master takes writes. (d) Data is compared key by key.

import { afterAll, expect, it } from 'vitest';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { eventually } from '../helpers/wait';
import { infoFields as info } from '../helpers/info';
import { freePort } from '../helpers/ports';

type Kind = 'bundled' | 'redis';

interface SeedNode {
  kind: Kind;
  host: string;
  port: number;
  client: Redis;
  log(): string;
  kill(): Promise<void>;
}

const PASSWORD = '123456';

async function startSeedNode(kind: Kind, host: string): Promise<SeedNode> {
  const port = await freePort(host);
  if (kind === 'redis') {
    const proc = await startRedisServer({ host, port, directives: { requirepass: PASSWORD, masterauth: PASSWORD, 'repl-diskless-sync-delay': '0' } });
    return { kind, host, port, client: new Redis({ host, port, password: PASSWORD }), log: () => proc.log(), kill: () => proc.stop() };
  }
  const node = await startNode({ config: { bind: host, port, requirepass: PASSWORD, masterauth: PASSWORD, 'repl-diskless-sync-delay': 0 }, keepLog: true });
  return { kind, host, port, client: new Redis({ host, port, password: PASSWORD }), log: () => node.server.logger.memory?.join('\n') ?? '', kill: () => node.close() };
}


const compositions: Array<[Kind, Kind, Kind]> = [
  ['bundled', 'redis', 'bundled'],
  ['redis', 'bundled', 'redis'],
  ['bundled', 'bundled', 'bundled'],
];

for (const [masterKind, slave1Kind, slave2Kind] of compositions) {
  describeWithRedis(`seeds walkthrough: master=${masterKind} slave1=${slave1Kind} slave2=${slave2Kind}`, () => {
    const nodes: SeedNode[] = [];
    afterAll(async () => {
      for (const node of nodes) {
        node.client.disconnect();
        await node.kill().catch(() => {});
      }
    });

    it('replicates, fails over by hand with a partial resync, and loses nothing', async () => {
      const master = await startSeedNode(masterKind, '127.0.0.58');
      const slave1 = await startSeedNode(slave1Kind, '127.0.0.17');
      const slave2 = await startSeedNode(slave2Kind, '127.0.0.27');
      nodes.push(master, slave1, slave2);
      for (const node of nodes) node.client.on('error', () => {});

      // 1. Replicas follow the master.
      for (const slave of [slave1, slave2]) {
        expect(await slave.client.call('REPLICAOF', master.host, String(master.port))).toBe('OK');
        expect(await slave.client.config('SET', 'masterauth', PASSWORD)).toBe('OK');
      }
      await master.client.mset('k1', 'v1', 'k2', 'v2');
      // 2. The seeds' writes and reads.
      expect(await master.client.set('name', 'hkping')).toBe('OK');
      await eventually(async () => {
        const m = await info(master.client);
        const offsets = await Promise.all([slave1, slave2].map(async (s) => (await info(s.client)).slave_repl_offset));
        return offsets.every((o) => o === m.master_repl_offset);
      }, { what: 'replicas in sync' });
      for (const slave of [slave1, slave2]) {
        expect(await slave.client.get('name')).toBe('hkping');
        expect(await slave.client.dbsize()).toBe(await master.client.dbsize());
        await expect(slave.client.set('key1', 'abc')).rejects.toThrow("READONLY You can't write against a read only replica.");
        const r = await info(slave.client);
        expect(r.role).toBe('slave');
        expect(r.master_link_status).toBe('up');
      }
      const masterReplid = (await info(master.client)).master_replid;
      const sizeBefore = await master.client.dbsize();

      // 3. The master dies; the replicas see the link down.
      master.client.disconnect();
      await master.kill();
      for (const slave of [slave1, slave2]) {
        await eventually(async () => (await info(slave.client)).master_link_status === 'down', { what: 'link down' });
      }

      // 4. slave1 is promoted: its old replication ID becomes replid2. slave2 is repointed.
      expect(await slave1.client.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
      const promoted = await info(slave1.client);
      expect(promoted.role).toBe('master');
      expect(promoted.master_replid2).toBe(masterReplid);
      expect(await slave2.client.call('REPLICAOF', slave1.host, String(slave1.port))).toBe('OK');
      await eventually(async () => (await info(slave2.client)).master_link_status === 'up', { what: 'slave2 linked to the new master' });
      await eventually(() => slave2.log().includes('Successful partial resynchronization with master.'), { what: 'partial resync logged' });
      const stats = await info(slave1.client, 'stats');
      expect(stats.sync_partial_ok).toBe('1');
      expect(stats.sync_full).toBe('0');

      // 5. The new master takes writes.
      expect(await slave1.client.set('age', '35')).toBe('OK');
      expect(await slave1.client.dbsize()).toBe(sizeBefore + 1);
      await eventually(async () => (await slave2.client.get('age')) === '35', { what: 'age replicated' });
      expect(await dumpKeyspace(slave2.host, slave2.port, PASSWORD)).toEqual(await dumpKeyspace(slave1.host, slave1.port, PASSWORD));
    });
  });
}
