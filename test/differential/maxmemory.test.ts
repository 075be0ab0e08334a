// maxmemory against a real redis-server 7.0: OOM refusals (and inside MULTI), eviction of every
// key under an allkeys policy and of only the volatile ones under a volatile policy, OBJECT
// FREQ/IDLETIME's policy errors, and the INFO fields that describe maxmemory. A limit of 1 byte
// is below what either server needs empty, so the outcome does not depend on how each counts.
// Every case puts maxmemory and the policy back, as the two servers are shared.

import { expect, it } from 'vitest';
import Redis from 'ioredis';
import { describeDifferential, realAndBundledPair, setup, typeOnly } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { infoFields } from '../helpers/info';

const restore = [setup('CONFIG', 'SET', 'maxmemory', '0'), setup('CONFIG', 'SET', 'maxmemory-policy', 'noeviction')];

describeDifferential('maxmemory', [
  {
    name: 'noeviction: denyoom commands get OOM, reads and DEL run; inside MULTI every queued command is refused',
    steps: [
      ['SET', 'a', 'b'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['SET', 'c', 'd'],
      ['INCR', 'n'],
      ['GET', 'a'],
      ['MULTI'],
      ['GET', 'a'],
      ['PING'],
      ['EXEC'],
      ['MULTI'],
      ['DISCARD'],
      ['DEL', 'a'],
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['SET', 'c', 'd'],
      ...restore,
    ],
  },
  {
    name: 'allkeys-lru under a 1-byte limit evicts every key, then refuses writes',
    steps: [
      ['SET', 'a', '1'],
      ['RPUSH', 'l', 'x', 'y'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['DBSIZE'],
      ['SET', 'c', '3'],
      ['GET', 'c'],
      ...restore,
    ],
  },
  {
    name: 'volatile-ttl and volatile-random evict only keys with a TTL',
    steps: [
      ['SET', 'p', '1'],
      ['SET', 't1', '2', 'EX', '100'],
      ['SET', 't2', '2', 'EX', '200'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['EXISTS', 't1', 't2'],
      ['EXISTS', 'p'],
      ['SET', 'x', 'y'],
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['SET', 't3', '3', 'PX', '100000'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-random'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['DBSIZE'],
      ['GET', 'p'],
      ...restore,
    ],
  },
  {
    name: 'OBJECT FREQ and IDLETIME answer with the policy errors Redis gives',
    steps: [
      ['SET', 'k', 'v'],
      ['OBJECT', 'FREQ', 'k'],
      typeOnly('OBJECT', 'IDLETIME', 'k'),
      ['OBJECT', 'FREQ', 'missing'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
      ['OBJECT', 'IDLETIME', 'k'],
      ['SET', 'fresh', 'v'],
      ['OBJECT', 'FREQ', 'fresh'],
      ['OBJECT', 'IDLETIME', 'missing'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu'],
      ['OBJECT', 'IDLETIME', 'fresh'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru'],
      ['OBJECT', 'FREQ', 'k'],
      ...restore,
    ],
  },
]);

describeWithRedis('differential: maxmemory in INFO', () => {
  const servers = realAndBundledPair();
  const FIELDS = ['maxmemory', 'maxmemory_human', 'maxmemory_policy', 'mem_not_counted_for_evict', 'mem_clients_slaves', 'mem_replication_backlog'];

  it('shows maxmemory, its human form, the policy and evicted_keys as Redis does', async () => {
    const [real, ours] = await servers.onBoth(async (host, port) => {
      const client = new Redis({ host, port });
      try {
        await client.flushall();
        await client.config('RESETSTAT');
        await client.set('a', '1');
        await client.set('b', '2', 'EX', 100);
        await client.config('SET', 'maxmemory-policy', 'allkeys-lfu');
        await client.config('SET', 'maxmemory', '1');
        await client.dbsize();
        await client.config('SET', 'maxmemory', '10mb');
        const memory = await infoFields(client, 'memory');
        const stats = await infoFields(client, 'stats');
        // CONFIG GET's order is its dict's in Redis: compare the pairs as a set.
        const flat = (await client.config('GET', 'maxmemory*')) as string[];
        const configured = flat.filter((_, i) => i % 2 === 0).map((name, i) => `${name}=${flat[i * 2 + 1]}`).sort();
        await client.config('SET', 'maxmemory', '0');
        await client.config('SET', 'maxmemory-policy', 'noeviction');
        return { fields: FIELDS.map((f) => `${f}:${memory[f]}`), evicted: stats.evicted_keys, configured };
      } finally {
        client.disconnect();
      }
    });
    expect(ours).toEqual(real);
    expect(real.fields).toContain('maxmemory_human:10.00M');
    expect(real.evicted).toBe('2');
  });
});
