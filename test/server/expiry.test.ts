// Key expiry on the bundled node with a manual clock: lazy expiry, the active sweep, TTL
// arithmetic, and how expiring commands are propagated to replicas and the AOF.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import { ManualClock } from '../../src/server/clock';
import type { RunningServer } from '../../src/server/index';
import { startNode } from '../helpers/bundled-node';

const START = 1_700_000_000_000;

describe('key expiry with a manual clock', () => {
  const clock = new ManualClock(START);
  let node: RunningServer;
  let client: Redis;
  let propagated: string[][] = [];

  beforeAll(async () => {
    node = await startNode({ clock, config: { 'enable-debug-command': 'yes' } });
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
    await client.flushall();
    propagated = [];
  });
  afterEach(async () => {
    clock.set(START);
    await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
  });

  it('counts TTL and PTTL down as the clock moves and hides the key when it is due', async () => {
    await client.set('k', 'v', 'PX', 10_000);
    expect(await client.pttl('k')).toBe(10_000);
    expect(await client.ttl('k')).toBe(10);
    clock.advance(2_500);
    expect(await client.pttl('k')).toBe(7_500);
    // Seconds are rounded to the nearest: 7.5 s shows as 8.
    expect(await client.ttl('k')).toBe(8);
    clock.advance(7_499);
    expect(await client.pttl('k')).toBe(1);
    expect(await client.ttl('k')).toBe(0);
    clock.advance(1);
    expect(await client.pttl('k')).toBe(-2);
    expect(await client.ttl('k')).toBe(-2);
    expect(await client.get('k')).toBeNull();
    expect(await client.exists('k')).toBe(0);
  });

  it('reports absolute expiry times with EXPIRETIME and PEXPIRETIME', async () => {
    await client.set('k', 'v');
    expect(await client.call('EXPIRETIME', 'k')).toBe(-1);
    await client.pexpire('k', 1_499);
    expect(await client.call('PEXPIRETIME', 'k')).toBe(START + 1_499);
    expect(await client.call('EXPIRETIME', 'k')).toBe(Math.floor((START + 1_499 + 500) / 1000));
    await client.expireat('k', START / 1000 + 60);
    expect(await client.call('PEXPIRETIME', 'k')).toBe(START + 60_000);
    clock.advance(30_000);
    // Absolute times do not move with the clock.
    expect(await client.call('PEXPIRETIME', 'k')).toBe(START + 60_000);
    expect(await client.ttl('k')).toBe(30);
  });

  it('expires a key lazily on access and propagates the deletion as DEL', async () => {
    await client.set('k', 'v', 'PX', 100);
    propagated = [];
    clock.advance(100);
    const expiredBefore = node.server.stats.expiredKeys;
    expect(await client.get('k')).toBeNull();
    expect(node.server.dbs[0].data.has('k')).toBe(false);
    expect(node.server.stats.expiredKeys).toBe(expiredBefore + 1);
    expect(propagated).toEqual([['DEL', 'k']]);
  });

  it('removes expired keys in the active sweep without any access', async () => {
    const pipeline = client.pipeline();
    for (let i = 0; i < 50; i++) pipeline.set(`volatile:${i}`, 'v', 'PX', 100);
    pipeline.set('persistent', 'v');
    await pipeline.exec();
    propagated = [];
    clock.advance(200);
    node.server.cron();
    const db = node.server.dbs[0];
    expect(db.size).toBe(1);
    expect(db.data.has('persistent')).toBe(true);
    expect(propagated.length).toBe(50);
    expect(propagated.every((args) => args[0] === 'DEL' && args[1].startsWith('volatile:'))).toBe(true);
  });

  it('keeps keys whose time has not come yet', async () => {
    await client.set('k', 'v', 'PX', 1_000);
    clock.advance(999);
    node.server.cron();
    expect(await client.get('k')).toBe('v');
    expect(await client.call('KEYS', '*')).toEqual(['k']);
  });

  it('leaves expired keys out of KEYS, SCAN, EXISTS and RANDOMKEY', async () => {
    await client.set('gone', 'v', 'PX', 10);
    await client.set('stays', 'v');
    clock.advance(10);
    expect(await client.call('KEYS', '*')).toEqual(['stays']);
    expect(await client.call('SCAN', '0', 'COUNT', '100')).toEqual(['0', ['stays']]);
    expect(await client.exists('gone', 'stays')).toBe(1);
    expect(await client.randomkey()).toBe('stays');
    expect(await client.dbsize()).toBe(1);
  });

  it('propagates relative expiry as absolute times', async () => {
    await client.set('a', '1', 'EX', 100);
    await client.set('b', '2', 'PX', 5_000, 'NX');
    await client.setex('c', 10, '3');
    await client.psetex('d', 20, '4');
    await client.expire('a', 50);
    await client.pexpire('b', 60);
    await client.expireat('c', START / 1000 + 70);
    await client.call('PEXPIREAT', 'd', String(START + 80));
    await client.call('EXPIRE', 'a', '90', 'GT');
    expect(propagated).toEqual([
      ['SET', 'a', '1', 'PXAT', String(START + 100_000)],
      ['SET', 'b', '2', 'PXAT', String(START + 5_000)],
      ['SET', 'c', '3', 'PXAT', String(START + 10_000)],
      ['SET', 'd', '4', 'PXAT', String(START + 20)],
      ['PEXPIREAT', 'a', String(START + 50_000)],
      ['PEXPIREAT', 'b', String(START + 60)],
      ['PEXPIREAT', 'c', String(START + 70_000)],
      ['PEXPIREAT', 'd', String(START + 80)],
      ['PEXPIREAT', 'a', String(START + 90_000), 'GT'],
    ]);
  });

  it('propagates GETEX, GETDEL, GETSET, SET GET and INCRBYFLOAT in their replayable forms', async () => {
    await client.set('k', 'v');
    await client.call('GETEX', 'k', 'EX', '100');
    await client.call('GETEX', 'k', 'PERSIST');
    await client.call('GETEX', 'k', 'PERSIST');
    await client.call('GETEX', 'k');
    await client.call('GETSET', 'k', 'w');
    await client.call('SET', 'k', 'x', 'GET', 'KEEPTTL');
    await client.call('GETDEL', 'k');
    await client.call('GETDEL', 'k');
    await client.set('f', '10.5', 'EX', 100);
    await client.incrbyfloat('f', '0.1');
    expect(propagated).toEqual([
      ['set', 'k', 'v'],
      ['PEXPIREAT', 'k', String(START + 100_000)],
      ['PERSIST', 'k'],
      ['SET', 'k', 'w'],
      ['SET', 'k', 'x', 'KEEPTTL'],
      ['DEL', 'k'],
      ['SET', 'f', '10.5', 'PXAT', String(START + 100_000)],
      ['SET', 'f', '10.6', 'KEEPTTL'],
    ]);
    expect(await client.ttl('f')).toBe(100);
  });

  it('deletes the key when an expiry lies in the past, propagated as DEL', async () => {
    await client.mset('a', '1', 'b', '2', 'c', '3');
    propagated = [];
    expect(await client.expire('a', -1)).toBe(1);
    expect(await client.call('PEXPIREAT', 'b', String(START))).toBe(1);
    expect(await client.call('GETEX', 'c', 'PXAT', String(START - 1))).toBe('3');
    expect(await client.exists('a', 'b', 'c')).toBe(0);
    expect(propagated).toEqual([
      ['DEL', 'a'],
      ['DEL', 'b'],
      ['DEL', 'c'],
    ]);
  });

  it('uses UNLINK for those deletions when lazyfree-lazy-expire is on', async () => {
    node.server.config.setValidated('lazyfree-lazy-expire', 'yes');
    try {
      await client.set('a', '1');
      propagated = [];
      await client.expire('a', 0);
      expect(propagated).toEqual([['UNLINK', 'a']]);
    } finally {
      node.server.config.setValidated('lazyfree-lazy-expire', 'no');
    }
  });

  it('compares NX/XX/GT/LT against the exact current expiry', async () => {
    await client.set('k', 'v', 'PX', 10_000);
    expect(await client.call('PEXPIRE', 'k', '10000', 'GT')).toBe(0);
    expect(await client.call('PEXPIRE', 'k', '10001', 'GT')).toBe(1);
    expect(await client.call('PEXPIRE', 'k', '10001', 'LT')).toBe(0);
    expect(await client.call('PEXPIRE', 'k', '9999', 'LT')).toBe(1);
    expect(await client.pttl('k')).toBe(9_999);
    expect(await client.call('PEXPIRE', 'k', '1', 'NX')).toBe(0);
    await client.persist('k');
    expect(await client.call('PEXPIRE', 'k', '1', 'XX')).toBe(0);
    expect(await client.call('PEXPIRE', 'k', '500', 'LT')).toBe(1);
    expect(await client.pttl('k')).toBe(500);
  });

  it('carries the exact expiry through RENAME, MOVE and COPY', async () => {
    await client.set('k', 'v', 'PX', 12_345);
    await client.rename('k', 'r');
    expect(await client.pttl('r')).toBe(12_345);
    await client.call('COPY', 'r', 'c', 'DB', '2');
    await client.move('r', 1);
    await client.select(1);
    expect(await client.pttl('r')).toBe(12_345);
    await client.select(2);
    expect(await client.pttl('c')).toBe(12_345);
    clock.advance(12_345);
    expect(await client.get('c')).toBeNull();
    await client.select(0);
  });

  it('keeps the TTL on INCR, APPEND and SETRANGE but drops it on SET and GETSET', async () => {
    await client.set('n', '1', 'PX', 5_000);
    await client.incr('n');
    await client.append('n', '0');
    await client.setrange('n', 0, '3');
    expect(await client.pttl('n')).toBe(5_000);
    expect(await client.get('n')).toBe('30');
    await client.getset('n', 'x');
    expect(await client.pttl('n')).toBe(-1);
    await client.set('n', 'y', 'PX', 5_000);
    await client.set('n', 'z');
    expect(await client.pttl('n')).toBe(-1);
  });

  it('DEBUG SET-ACTIVE-EXPIRE 0 stops the sweep, not lazy expiry; 1 starts it again', async () => {
    await client.set('swept', '1', 'PX', 10);
    await client.set('read', '1', 'PX', 10);
    expect(await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    clock.advance(10);
    node.server.cron();
    expect(node.server.dbs[0].data.has('swept')).toBe(true);
    expect(await client.get('read')).toBeNull();
    expect(await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('OK');
    node.server.cron();
    expect(node.server.dbs[0].data.has('swept')).toBe(false);
  });

  it('counts an expired key as not deleted by DEL, and deletes expired keys SCAN meets', async () => {
    // The sweep runs on a real timer: stopped here, so only DEL and SCAN can meet the expired keys.
    await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await client.set('a', '1', 'PX', 10);
    await client.set('b', '2', 'PX', 10);
    await client.set('c', '3');
    propagated = [];
    clock.advance(10);
    expect(await client.del('a', 'c')).toBe(1);
    expect(propagated).toEqual([
      ['MULTI'],
      ['DEL', 'a'],
      ['del', 'a', 'c'],
      ['EXEC'],
    ]);
    propagated = [];
    expect(await client.call('SCAN', '0', 'COUNT', '100')).toEqual(['0', []]);
    expect(node.server.dbs[0].data.has('b')).toBe(false);
    expect(propagated).toEqual([['DEL', 'b']]);
  });

  it('treats an expired key as missing for SET NX, RENAME and INCR', async () => {
    await client.set('k', 'old', 'PX', 10);
    clock.advance(10);
    expect(await client.set('k', 'new', 'NX')).toBe('OK');
    await client.set('e', '5', 'PX', 10);
    clock.advance(10);
    expect(await client.incr('e')).toBe(1);
    expect(await client.pttl('e')).toBe(-1);
    await client.set('src', 'v', 'PX', 10);
    clock.advance(10);
    await expect(client.rename('src', 'dst')).rejects.toThrow('ERR no such key');
  });
});
