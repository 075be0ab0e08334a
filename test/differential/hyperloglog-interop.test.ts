// Sketches crossing between redis-server 7.0 and the bundled node by replication: the receiving
// side counts the same cardinality and, after more PFADDs on both sides, still holds the same bytes.
// Also PFADD of 100k elements through a pipeline, byte-compared with redis-server's result.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { RawConnection, replicationLinkUp } from '../helpers/raw-connection';
import { eventually } from '../helpers/wait';
import type { RunningServer } from '../../src/server/index';

const elements = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

/** Replies of each pipelined command (sent all at once, read in order). */
async function pipeline(conn: RawConnection, commands: string[][]): Promise<string[]> {
  for (const args of commands) conn.send(args);
  const replies: string[] = [];
  for (let i = 0; i < commands.length; i++) replies.push((await conn.readReply(60_000)).toString('latin1'));
  return replies;
}

describeWithRedis('hyperloglog interop with redis-server', () => {
  let redis: RedisProcess;
  let node: RunningServer;
  let real: RawConnection;
  let ours: RawConnection;

  beforeAll(async () => {
    [redis, node] = await Promise.all([startRedisServer(), startNode()]);
    [real, ours] = await Promise.all([RawConnection.open(redis.host, redis.port), RawConnection.open(node.host, node.port)]);
  });
  afterAll(async () => {
    real?.close();
    ours?.close();
    await Promise.all([redis?.stop(), node?.close()]);
  });

  /** More PFADDs on both sides, then the same replies and the same bytes. */
  async function continueOnBoth(key: string, added: string[]): Promise<void> {
    const [a, b] = await Promise.all([real.command(['PFADD', key, ...added]), ours.command(['PFADD', key, ...added])]);
    expect(b).toBe(a);
    const [countA, countB] = await Promise.all([real.command(['PFCOUNT', key]), ours.command(['PFCOUNT', key])]);
    expect(countB).toBe(countA);
    const [bytesA, bytesB] = await Promise.all([real.command(['GET', key]), ours.command(['GET', key])]);
    expect(bytesB).toBe(bytesA);
  }

  it('sketches made by redis-server reach the node by replication and stay identical', async () => {
    await real.command(['FLUSHALL']);
    await real.command(['PFADD', 'sparse', ...elements('s', 0, 200)]);
    await real.command(['PFADD', 'dense', ...elements('d', 0, 8000)]);
    await real.command(['PFCOUNT', 'dense']);
    expect(await ours.command(['REPLICAOF', redis.host, String(redis.port)])).toBe('+OK\r\n');
    await eventually(() => replicationLinkUp(ours), { what: 'the node linked to redis-server' });
    // Written after the initial sync: these reach the node through the command stream.
    await real.command(['PFADD', 'streamed', ...elements('t', 0, 500)]);
    await real.command(['PFMERGE', 'merged', 'sparse', 'dense']);
    await real.command(['PFCOUNT', 'streamed']);
    await eventually(async () => (await ours.command(['EXISTS', 'merged'])) === ':1\r\n', { what: 'the stream applied' });
    for (const key of ['sparse', 'dense', 'streamed', 'merged']) {
      expect(await ours.command(['GET', key]), key).toBe(await real.command(['GET', key]));
    }
    expect(await ours.command(['REPLICAOF', 'NO', 'ONE'])).toBe('+OK\r\n');
    for (const key of ['sparse', 'dense', 'streamed', 'merged']) await continueOnBoth(key, elements('more', 0, 3000));
  });

  it('sketches made by the node reach redis-server by replication and stay identical', async () => {
    await ours.command(['FLUSHALL']);
    await ours.command(['PFADD', 'sparse', ...elements('x', 0, 300)]);
    await ours.command(['PFADD', 'dense', ...elements('y', 0, 6000)]);
    expect(await real.command(['REPLICAOF', node.host, String(node.port)])).toBe('+OK\r\n');
    await eventually(() => replicationLinkUp(real), { what: 'redis-server linked to the node' });
    await ours.command(['PFADD', 'streamed', ...elements('z', 0, 400)]);
    await ours.command(['PFCOUNT', 'streamed']);
    await ours.command(['PFMERGE', 'merged', 'sparse', 'streamed']);
    await eventually(async () => (await real.command(['EXISTS', 'merged'])) === ':1\r\n', { what: 'the stream applied' });
    for (const key of ['sparse', 'dense', 'streamed', 'merged']) {
      expect(await real.command(['GET', key]), key).toBe(await ours.command(['GET', key]));
    }
    expect(await real.command(['REPLICAOF', 'NO', 'ONE'])).toBe('+OK\r\n');
    for (const key of ['sparse', 'dense', 'streamed', 'merged']) await continueOnBoth(key, elements('again', 0, 3000));
  });

  it('100k elements PFADDed through a pipeline give the same sketch and count', async () => {
    await Promise.all([real.command(['FLUSHALL']), ours.command(['FLUSHALL'])]);
    const commands = elements('big', 0, 100_000).map((element) => ['PFADD', 'big', element]);
    const [repliesA, repliesB] = await Promise.all([pipeline(real, commands), pipeline(ours, commands)]);
    expect(repliesB).toEqual(repliesA);
    const [countA, countB] = await Promise.all([real.command(['PFCOUNT', 'big']), ours.command(['PFCOUNT', 'big'])]);
    expect(countB).toBe(countA);
    expect(await ours.command(['GET', 'big'])).toBe(await real.command(['GET', 'big']));
  });
});
