// maxmemory and eviction on the bundled node, with a manual clock: the memory model moves exactly
// with writes and deletes, each maxmemory-policy evicts what it should (volatile-* only keys with
// a TTL, volatile-ttl the nearest expiry first, LRU the least recently used, LFU the least often
// used), evictions reach replicas and the AOF as DEL/UNLINK and publish "evicted", and OBJECT
// IDLETIME/FREQ follow the per-key access field.
//
// maxmemory-samples is raised in the policy tests so that the sampled pool sees every key: the
// approximation then picks exactly what the policy prefers and the assertions cannot be flaky.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import { ManualClock } from '../../src/server/clock';
import type { RunningServer } from '../../src/server/index';
import { startNode } from '../helpers/bundled-node';
import { infoFields } from '../helpers/info';
import { eventually } from '../helpers/wait';

const START = 1_700_000_000_000;
const VALUE = 'v'.repeat(100);

describe('maxmemory and eviction with a manual clock', () => {
  const clock = new ManualClock(START);
  let node: RunningServer;
  let client: Redis;
  let propagated: string[][] = [];

  const used = async () => Number((await infoFields(client, 'memory')).used_memory);
  const evicted = async () => Number((await infoFields(client, 'stats')).evicted_keys);
  const config = (name: string, value: string) => client.config('SET', name, value);
  const exists = async (keys: string[]) => Promise.all(keys.map(async (k) => (await client.exists(k)) === 1));
  const names = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

  /** Lowers maxmemory so that about `keys` keys of the given cost must go, then lets eviction run. */
  async function squeeze(keys: number, perKey: number): Promise<void> {
    await config('maxmemory', String((await used()) - keys * perKey + Math.floor(perKey / 2)));
    await client.dbsize();
  }

  /** What one key of `VALUE` costs in the model, measured on the node. */
  async function costOfOneKey(withTtl = false): Promise<number> {
    const before = await used();
    if (withTtl) await client.set('__probe__', VALUE, 'EX', 100_000);
    else await client.set('__probe__', VALUE);
    const cost = (await used()) - before;
    await client.del('__probe__');
    return cost;
  }

  beforeAll(async () => {
    node = await startNode({ clock });
    node.server.propagation.addSink((commands) => {
      for (const command of commands) propagated.push(command.args);
    });
    client = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
  });
  afterAll(async () => {
    client?.disconnect();
    await node?.close();
  });
  beforeEach(async () => {
    clock.set(START);
    await config('maxmemory', '0');
    await config('maxmemory-policy', 'noeviction');
    await config('maxmemory-samples', '5');
    await config('lfu-log-factor', '10');
    await config('lfu-decay-time', '1');
    await config('lazyfree-lazy-eviction', 'no');
    await client.flushall();
    await client.config('RESETSTAT');
    propagated = [];
  });

  it('moves used_memory exactly with writes and deletes, TTLs included', async () => {
    const empty = await used();
    await client.set('k', VALUE);
    const withKey = await used();
    expect(withKey).toBeGreaterThan(empty + VALUE.length);
    await client.expire('k', 100);
    const withTtl = await used();
    expect(withTtl).toBeGreaterThan(withKey);
    await client.persist('k');
    expect(await used()).toBe(withKey);
    await client.hset('h', 'f1', 'a', 'f2', 'b');
    const withHash = await used();
    await client.hset('h', 'f3', 'c');
    expect(await used()).toBeGreaterThanOrEqual(withHash);
    await client.del('h');
    expect(await used()).toBe(withKey);
    await client.del('k');
    expect(await used()).toBe(empty);
    const info = await infoFields(client, 'memory');
    expect(Number(info.used_memory_dataset)).toBe(0);
  });

  it('noeviction refuses denyoom commands with OOM but still serves reads and DEL', async () => {
    await client.set('a', 'b');
    await config('maxmemory', '1');
    await expect(client.set('c', 'd')).rejects.toThrow("OOM command not allowed when used memory > 'maxmemory'.");
    expect(await client.get('a')).toBe('b');
    expect(await client.del('a')).toBe(1);
    expect(await evicted()).toBe(0);
  });

  it('refuses queued commands with OOM inside MULTI and aborts EXEC', async () => {
    await config('maxmemory', '1');
    const replies = await client.multi().get('a').set('a', 'b').exec().catch((e: Error) => e);
    expect(String(replies)).toContain('EXECABORT');
  });

  it('allkeys-random evicts until used memory is back under maxmemory', async () => {
    for (let i = 0; i < 50; i++) await client.set(`k${i}`, VALUE);
    const perKey = await costOfOneKey();
    await config('maxmemory-policy', 'allkeys-random');
    await squeeze(10, perKey);
    const limit = Number(((await client.config('GET', 'maxmemory')) as string[])[1]);
    expect(await used()).toBeLessThanOrEqual(limit);
    expect(await evicted()).toBe(50 - (await client.dbsize()));
    expect(await evicted()).toBeGreaterThanOrEqual(9);
  });

  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
    it(`${policy} evicts only keys with a TTL, then refuses writes with OOM`, async () => {
      const volatile = names('t', 0, 10);
      const persistent = names('p', 0, 10);
      for (const key of persistent) await client.set(key, VALUE);
      for (const key of volatile) await client.set(key, VALUE, 'EX', 100_000);
      const perKey = await costOfOneKey(true);
      await config('maxmemory-policy', policy);
      await squeeze(4, perKey);
      expect(await exists(persistent)).toEqual(persistent.map(() => true));
      expect((await exists(volatile)).filter(Boolean).length).toBeLessThan(10);
      // With room for fewer keys than the persistent ones, every volatile key goes and writes fail.
      await config('maxmemory', '1');
      await expect(client.set('x', 'y')).rejects.toThrow(/^OOM/);
      expect(await exists(volatile)).toEqual(volatile.map(() => false));
      expect(await client.dbsize()).toBe(10);
    });
  }

  it('volatile-ttl evicts the nearest expiry first', async () => {
    await config('maxmemory-samples', '1000');
    const keys = names('t', 1, 11);
    for (let i = 0; i < keys.length; i++) await client.set(keys[i], VALUE, 'EX', 1000 * (i + 1));
    const perKey = await costOfOneKey(true);
    await config('maxmemory-policy', 'volatile-ttl');
    await squeeze(3, perKey);
    const present = await exists(keys);
    const gone = present.filter((p) => !p).length;
    expect(gone).toBeGreaterThanOrEqual(2);
    // The evicted keys are exactly the ones with the shortest TTLs.
    expect(present).toEqual(keys.map((_, i) => i >= gone));
  });

  it('allkeys-lru keeps the recently touched keys', async () => {
    await config('maxmemory-samples', '1000');
    await config('maxmemory-policy', 'allkeys-lru');
    // Reads are tracked once maxmemory is set with an LRU/LFU policy (or OBJECT IDLETIME/FREQ was asked).
    await config('maxmemory', '1000000000');
    const cold = names('k', 0, 10);
    const hot = names('k', 10, 20);
    for (const key of [...cold, ...hot]) await client.set(key, VALUE);
    clock.advance(100_000);
    for (const key of hot) await client.get(key);
    clock.advance(100_000);
    const perKey = await costOfOneKey();
    await squeeze(5, perKey);
    expect(await exists(hot)).toEqual(hot.map(() => true));
    expect((await exists(cold)).filter((p) => !p).length).toBeGreaterThanOrEqual(4);
  });

  it('allkeys-lfu keeps the frequently used keys', async () => {
    await config('maxmemory-samples', '1000');
    await config('maxmemory-policy', 'allkeys-lfu');
    // Log factor 0 makes every access raise the counter: no randomness in the outcome.
    await config('lfu-log-factor', '0');
    const rare = names('k', 0, 10);
    const frequent = names('k', 10, 20);
    for (const key of [...frequent, ...rare]) await client.set(key, VALUE);
    for (let round = 0; round < 3; round++) for (const key of frequent) await client.get(key);
    const perKey = await costOfOneKey();
    await squeeze(5, perKey);
    expect(await exists(frequent)).toEqual(frequent.map(() => true));
    expect((await exists(rare)).filter((p) => !p).length).toBeGreaterThanOrEqual(4);
  });

  /** Runs `body` with a subscriber collecting the keys of `evicted` events in `events`. */
  async function withEvictedEvents(body: (events: string[]) => Promise<void>): Promise<void> {
    await config('notify-keyspace-events', 'Ee');
    const subscriber = new Redis({ host: node.host, port: node.port });
    const events: string[] = [];
    try {
      await subscriber.subscribe('__keyevent@0__:evicted');
      subscriber.on('message', (_channel, key) => events.push(key));
      await body(events);
    } finally {
      subscriber.disconnect();
      await config('maxmemory', '0');
      await config('notify-keyspace-events', '');
    }
  }

  it('propagates evictions as DEL (UNLINK with lazyfree-lazy-eviction) and publishes "evicted"', async () => {
    await withEvictedEvents(async (events) => {
      await client.set('a', '1');
      await config('maxmemory-policy', 'allkeys-lru');
      await config('maxmemory', '1');
      await client.dbsize();
      expect(propagated).toContainEqual(['DEL', 'a']);
      await config('maxmemory', '0');
      await config('lazyfree-lazy-eviction', 'yes');
      await client.set('b', '1');
      await config('maxmemory', '1');
      await client.dbsize();
      expect(propagated).toContainEqual(['UNLINK', 'b']);
      await eventually(() => events.length === 2, { what: 'two evicted events' });
      expect(events).toEqual(['a', 'b']);
      expect(await evicted()).toBe(2);
    });
  });

  it('CONFIG SET maxmemory below the usage evicts at once: the evicted event comes with no further command', async () => {
    await withEvictedEvents(async (events) => {
      await client.set('foo', 'bar');
      await config('maxmemory-policy', 'allkeys-lru');
      await config('maxmemory', '1');
      // Nothing more is sent on `client` until the event arrived.
      await eventually(() => events.length === 1, { what: 'the evicted event' });
      expect(events).toEqual(['foo']);
    });
  });

  it('OBJECT IDLETIME follows reads, writes and TOUCH, and OBJECT itself does not reset it', async () => {
    await client.set('k', 'v');
    clock.advance(10_000);
    expect(await client.object('IDLETIME', 'k')).toBe(10);
    expect(await client.object('IDLETIME', 'k')).toBe(10);
    await client.get('k');
    expect(await client.object('IDLETIME', 'k')).toBe(0);
    clock.advance(5_000);
    await client.touch('k');
    expect(await client.object('IDLETIME', 'k')).toBe(0);
    clock.advance(3_000);
    await client.append('k', 'w');
    expect(await client.object('IDLETIME', 'k')).toBe(0);
  });

  it('OBJECT FREQ counts accesses (log factor 0) and decays with lfu-decay-time', async () => {
    await config('maxmemory-policy', 'allkeys-lfu');
    await config('lfu-log-factor', '0');
    await client.set('k', 'v');
    expect(await client.object('FREQ', 'k')).toBe(5);
    for (let i = 0; i < 3; i++) await client.get('k');
    expect(await client.object('FREQ', 'k')).toBe(8);
    clock.advance(3 * 60_000);
    expect(await client.object('FREQ', 'k')).toBe(5);
    // Reading FREQ does not store the decay: with decay off, the stored counter shows again.
    await config('lfu-decay-time', '0');
    clock.advance(60 * 60_000);
    expect(await client.object('FREQ', 'k')).toBe(8);
  });
});
