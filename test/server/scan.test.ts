// SCAN on the bundled node: full iterations under concurrent writes keep Redis's guarantee
// (every key present for the whole iteration is returned), plus MATCH, COUNT and TYPE, and
// cursors that are unknown to the server (evicted, replayed, from another database).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import type { RunningServer } from '../../src/server/index';
import { Deque } from '../../src/server/keyspace/deque';
import { startNode } from '../helpers/bundled-node';

type ScanReply = [string, string[]];

describe('SCAN cursors', () => {
  let node: RunningServer;
  let client: Redis;

  beforeAll(async () => {
    node = await startNode();
    client = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
  });
  afterAll(async () => {
    client?.disconnect();
    await node?.close();
  });
  beforeEach(async () => {
    await client.flushall();
  });

  async function scan(cursor: string, ...options: string[]): Promise<ScanReply> {
    return (await client.call('SCAN', cursor, ...options)) as ScanReply;
  }

  /** Runs a whole iteration, calling between() after every step; returns every key seen and the step count. */
  async function fullScan(options: string[], between: (step: number) => Promise<void> | void = () => {}): Promise<{ seen: string[]; steps: number }> {
    const seen: string[] = [];
    let cursor = '0';
    let steps = 0;
    do {
      const [next, keys] = await scan(cursor, ...options);
      seen.push(...keys);
      cursor = next;
      steps++;
      if (steps > 10_000) throw new Error('SCAN did not terminate');
      await between(steps);
    } while (cursor !== '0');
    return { seen, steps };
  }

  async function fill(count: number, prefix = 'key:'): Promise<string[]> {
    const keys = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
    const pipeline = client.pipeline();
    for (const key of keys) pipeline.set(key, 'v');
    await pipeline.exec();
    return keys;
  }

  it('returns every key exactly once when nothing changes', async () => {
    const keys = await fill(1000);
    const { seen, steps } = await fullScan(['COUNT', '10']);
    expect([...seen].sort()).toEqual([...keys].sort());
    expect(steps).toBeGreaterThanOrEqual(100);
  });

  it('returns every key present for the whole iteration while others are deleted and added', async () => {
    const keys = await fill(1000);
    const stable = keys.filter((_, i) => i % 3 !== 0);
    const doomed = keys.filter((_, i) => i % 3 === 0);
    let added = 0;
    const { seen } = await fullScan(['COUNT', '7'], async () => {
      const pipeline = client.pipeline();
      // Delete some keys ahead of and behind the cursor, re-create some, and add new ones.
      for (let i = 0; i < 3 && doomed.length > 0; i++) pipeline.del(doomed.pop() as string);
      pipeline.set(`new:${added++}`, 'v');
      if (added % 5 === 0) pipeline.set(stable[added % stable.length], 'overwritten');
      await pipeline.exec();
    });
    const seenSet = new Set(seen);
    const missing = stable.filter((key) => !seenSet.has(key));
    expect(missing).toEqual([]);
  });

  it('terminates even when every step adds more keys than it returns', async () => {
    await fill(200);
    let added = 0;
    const { seen } = await fullScan(['COUNT', '5'], async () => {
      const pipeline = client.pipeline();
      for (let i = 0; i < 20; i++) pipeline.set(`grow:${added++}`, 'v');
      await pipeline.exec();
    });
    const seenSet = new Set(seen);
    for (let i = 0; i < 200; i++) expect(seenSet.has(`key:${i}`)).toBe(true);
  });

  it('filters with MATCH after visiting COUNT entries', async () => {
    await fill(100, 'a:');
    await fill(100, 'b:');
    const { seen } = await fullScan(['MATCH', 'a:*', 'COUNT', '20']);
    expect(seen.length).toBe(100);
    expect(seen.every((key) => key.startsWith('a:'))).toBe(true);
    // A step may come back empty when none of the entries it visited matched.
    const [, firstPage] = await scan('0', 'MATCH', 'nothing*', 'COUNT', '20');
    expect(firstPage).toEqual([]);
  });

  it('visits about COUNT entries per call', async () => {
    await fill(100);
    const [cursor, keys] = await scan('0', 'COUNT', '25');
    expect(cursor).not.toBe('0');
    expect(keys.length).toBe(25);
    const [end, rest] = await scan('0', 'COUNT', '1000');
    expect(end).toBe('0');
    expect(rest.length).toBe(100);
  });

  it('filters by TYPE', async () => {
    await fill(20, 'str:');
    const db = node.server.dbs[0];
    for (let i = 0; i < 10; i++) db.set(`set:${i}`, new Set(['m']));
    for (let i = 0; i < 5; i++) db.set(`list:${i}`, Deque.from(['x']));
    const sets = await fullScan(['TYPE', 'set', 'COUNT', '4']);
    expect(sets.seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `set:${i}`).sort());
    const lists = await fullScan(['TYPE', 'LIST']);
    expect(lists.seen.length).toBe(5);
    const none = await fullScan(['TYPE', 'nosuchtype']);
    expect(none.seen).toEqual([]);
  });

  it('resumes from the position encoded in a cursor the server no longer holds', async () => {
    const keys = await fill(300);
    const [first, firstKeys] = await scan('0', 'COUNT', '100');
    // Start more iterations than the server keeps live cursors for, evicting the first one.
    const pipeline = client.pipeline();
    for (let i = 0; i < 1100; i++) pipeline.call('SCAN', '0', 'COUNT', '1');
    await pipeline.exec();
    const seen = [...firstKeys];
    let cursor = first;
    while (cursor !== '0') {
      const [next, page] = await scan(cursor, 'COUNT', '100');
      seen.push(...page);
      cursor = next;
    }
    expect([...seen].sort()).toEqual([...keys].sort());
    expect(seen.length).toBe(keys.length);
  });

  it('lets a client replay a cursor it already used', async () => {
    const keys = await fill(50);
    const [cursor, firstPage] = await scan('0', 'COUNT', '10');
    const [, again] = await scan(cursor, 'COUNT', '10');
    const [nextCursor, replayed] = await scan(cursor, 'COUNT', '10');
    expect(replayed).toEqual(again);
    const seen = [...firstPage, ...replayed];
    let next = nextCursor;
    while (next !== '0') {
      const [following, page] = await scan(next, 'COUNT', '10');
      seen.push(...page);
      next = following;
    }
    expect(new Set(seen)).toEqual(new Set(keys));
  });

  it('survives the database changing under a cursor (SWAPDB, FLUSHDB)', async () => {
    await fill(50);
    const [cursor] = await scan('0', 'COUNT', '10');
    await client.select(1);
    const other = await fill(30, 'other:');
    await client.select(0);
    await client.call('SWAPDB', '0', '1');
    // The cursor now points into the other database: it restarts there at the same position.
    const seen: string[] = [];
    let next = cursor;
    while (next !== '0') {
      const [following, page] = await scan(next, 'COUNT', '10');
      seen.push(...page);
      next = following;
    }
    expect(seen.every((key) => other.includes(key))).toBe(true);
    const [afterFlush] = await scan('0', 'COUNT', '5');
    await client.flushdb();
    expect(await scan(afterFlush, 'COUNT', '5')).toEqual(['0', []]);
  });

  it('keeps separate iterations of different clients apart', async () => {
    const keys = await fill(100);
    const other = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await other.connect();
    try {
      const seenA: string[] = [];
      const seenB: string[] = [];
      let cursorA: string | null = '0';
      let cursorB: string | null = '0';
      while (cursorA !== null || cursorB !== null) {
        if (cursorA !== null) {
          const [next, page] = (await client.call('SCAN', cursorA, 'COUNT', '7')) as ScanReply;
          seenA.push(...page);
          cursorA = next === '0' ? null : next;
        }
        if (cursorB !== null) {
          const [next, page] = (await other.call('SCAN', cursorB, 'COUNT', '13')) as ScanReply;
          seenB.push(...page);
          cursorB = next === '0' ? null : next;
        }
      }
      expect(new Set(seenA)).toEqual(new Set(keys));
      expect(new Set(seenB)).toEqual(new Set(keys));
    } finally {
      other.disconnect();
    }
  });
});
