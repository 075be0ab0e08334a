// Chained replication, WAIT, the FAILOVER command in both directions with real redis-server,
// and a full sync taken while the master is under a write load (the copy-on-write snapshot).

import { afterEach, expect, it } from 'vitest';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { eventually } from '../helpers/wait';
import { infoFields as info } from '../helpers/info';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

interface Handle {
  host: string;
  port: number;
  client: Redis;
  log(): string;
}

async function bundled(config: Record<string, string | number> = {}): Promise<Handle> {
  const node = await startNode({ config: { 'repl-diskless-sync-delay': 0, ...config }, keepLog: true });
  const client = new Redis({ host: node.host, port: node.port });
  client.on('error', () => {});
  cleanups.push(async () => {
    client.disconnect();
    await node.close();
  });
  return { host: node.host, port: node.port, client, log: () => node.server.logger.memory?.join('\n') ?? '' };
}

async function real(directives: Record<string, string> = {}): Promise<Handle> {
  const proc = await startRedisServer({ directives: { 'repl-diskless-sync-delay': '0', ...directives } });
  const client = new Redis({ host: proc.host, port: proc.port });
  client.on('error', () => {});
  cleanups.push(async () => {
    client.disconnect();
    await proc.stop();
  });
  return { host: proc.host, port: proc.port, client, log: () => proc.log() };
}


async function inSync(master: Handle, ...replicas: Handle[]): Promise<void> {
  await eventually(async () => {
    const m = await info(master.client);
    // The master must see every replica online too: after a diskless sync that waits for its first ACK.
    const online = Object.entries(m).filter(([k, v]) => /^slave\d+$/.test(k) && v.includes('state=online')).length;
    if (online < replicas.length) return false;
    for (const replica of replicas) {
      const r = await info(replica.client);
      if (r.master_link_status !== 'up' || r.master_repl_offset !== m.master_repl_offset) return false;
    }
    return true;
  }, { what: 'replicas in sync', timeout: 20_000 });
}

describeWithRedis('replication topologies', () => {
  it('chained: a bundled replica serves a real replica with its master stream', async () => {
    const master = await bundled();
    const middle = await bundled();
    const leaf = await real();
    await middle.client.replicaof(master.host, master.port);
    await leaf.client.replicaof(middle.host, middle.port);
    await master.client.mset('a', '1', 'b', '2');
    await master.client.select(2);
    await master.client.rpush('list', 'x', 'y');
    await inSync(master, middle);
    await inSync(middle, leaf);
    expect((await info(leaf.client)).master_repl_offset).toBe((await info(master.client)).master_repl_offset);
    expect(await dumpKeyspace(leaf.host, leaf.port)).toEqual(await dumpKeyspace(master.host, master.port));
  });

  it('WAIT counts replicas that acknowledged the write', async () => {
    const master = await bundled();
    const r1 = await bundled();
    const r2 = await real();
    await r1.client.replicaof(master.host, master.port);
    await r2.client.replicaof(master.host, master.port);
    await inSync(master, r1, r2);
    await master.client.set('k', 'v');
    expect(await master.client.wait(2, 5000)).toBe(2);
    expect(await master.client.wait(3, 200)).toBe(2);
    await expect(r1.client.wait(1, 10)).rejects.toThrow('ERR WAIT cannot be used with replica instances');
  });

  for (const [masterKind, targetKind] of [
    ['bundled', 'bundled'],
    ['bundled', 'redis'],
    ['redis', 'bundled'],
  ] as const) {
    it(`FAILOVER TO: ${masterKind} master hands over to a ${targetKind} replica with a partial resync`, async () => {
      const master = masterKind === 'bundled' ? await bundled() : await real();
      const target = targetKind === 'bundled' ? await bundled() : await real();
      await target.client.replicaof(master.host, master.port);
      await master.client.set('before', '1');
      await inSync(master, target);
      expect(await master.client.call('FAILOVER', 'TO', target.host, String(target.port), 'TIMEOUT', '5000')).toBe('OK');
      await eventually(async () => (await info(target.client)).role === 'master' && (await info(master.client)).master_link_status === 'up', { what: 'roles swapped', timeout: 10_000 });
      await eventually(async () => (await info(master.client)).master_failover_state === 'no-failover', { what: 'failover state cleared' });
      const stats = await info(target.client, 'stats');
      expect(stats.sync_partial_ok).toBe('1');
      expect(stats.sync_full).toBe('0');
      expect(await target.client.set('after', '2')).toBe('OK');
      await inSync(target, master);
      expect(await master.client.get('after')).toBe('2');
      expect(await dumpKeyspace(master.host, master.port)).toEqual(await dumpKeyspace(target.host, target.port));
    });
  }

  it('FAILOVER errors match Redis', async () => {
    const lonely = await bundled();
    await expect(lonely.client.call('FAILOVER')).rejects.toThrow('ERR FAILOVER requires connected replicas.');
    await expect(lonely.client.call('FAILOVER', 'ABORT')).rejects.toThrow('ERR No failover in progress.');
    await expect(lonely.client.call('FAILOVER', 'TIMEOUT', '0')).rejects.toThrow('ERR FAILOVER timeout must be greater than 0');
    await expect(lonely.client.call('FAILOVER', 'BOGUS')).rejects.toThrow('ERR syntax error');
  });

  it('a full sync taken under a write load is a consistent point in time', async () => {
    const master = await bundled();
    const pipeline = master.client.pipeline();
    for (let i = 0; i < 100_000; i++) pipeline.set(`key:${i}`, `value:${i}`);
    for (let i = 0; i < 100; i++) pipeline.hset(`hash:${i}`, 'count', '0');
    await pipeline.exec();
    const replica = await real();
    const writer = new Redis({ host: master.host, port: master.port });
    cleanups.push(() => writer.disconnect());
    let stop = false;
    let writes = 0;
    const load = (async () => {
      while (!stop) {
        const p = writer.pipeline();
        for (let i = 0; i < 50; i++) {
          const n = writes++;
          p.incr('counter');
          p.hincrby(`hash:${n % 100}`, 'count', 1);
          p.set(`key:${(n * 7919) % 100_000}`, `rewritten:${n}`);
          if (n % 3 === 0) p.del(`key:${(n * 104729) % 100_000}`);
          p.rpush('log', String(n));
        }
        await p.exec();
      }
    })();
    await replica.client.replicaof(master.host, master.port);
    await eventually(async () => (await info(replica.client)).master_link_status === 'up', { what: 'link up', timeout: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop = true;
    await load;
    await inSync(master, replica);
    expect(Number(await replica.client.get('counter'))).toBe(writes);
    expect(await replica.client.dbsize()).toBe(await master.client.dbsize());
    const sample = ['counter', 'log', 'hash:7', 'key:1', 'key:99999'];
    for (const key of sample) {
      const type = await master.client.type(key);
      if (type === 'list') expect(await replica.client.lrange(key, 0, -1)).toEqual(await master.client.lrange(key, 0, -1));
      else if (type === 'hash') expect(await replica.client.hgetall(key)).toEqual(await master.client.hgetall(key));
      else expect(await replica.client.get(key)).toEqual(await master.client.get(key));
    }
  });
});
