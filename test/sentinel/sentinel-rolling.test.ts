// `rctl restart --all` on a Sentinel-managed set, through the built binary, on real
// redis-sentinel 7.0 (Debian's) over bundled nodes: the replicas restart one at a time, the
// switchover goes through the sentinels, the old master comes back as a replica, and afterwards
// every sentinel names the new master, with no full resync and the set healthy.

import { expect, it } from 'vitest';
import { redisCommand } from '../cli/helpers';
import { describeWithSentinel, ENV, NODE_PASSWORD, status, upAndCheck, useSet } from './set-helpers';

interface RollingJson {
  masterBefore: string;
  masterAfter: string;
  fullResyncs: number;
  nodes: Array<{ name: string; resync: string }>;
  switchover: { sentinel?: { asked: string[] } } | null;
}

describeWithSentinel('7.0', 'rctl restart on a Sentinel-managed set of bundled nodes', (redis) => {
  const current = useSet(redis);

  it('restarts every node with partial resyncs and switches over through the sentinels', async () => {
    await upAndCheck(current());
    const set = current();
    // Keys written before must all be there afterwards, on the new master.
    for (let i = 0; i < 200; i++) await redisCommand('127.0.0.1', set.nodePorts[0], NODE_PASSWORD, ['SET', `before:${i}`, String(i)]);
    const result = await set.box.run(['restart', '-t', set.file, '--all', '--yes', '--json'], { env: ENV, timeoutMs: 180_000 });
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as RollingJson;
    expect(json.fullResyncs).toBe(0);
    expect(json.nodes.map((n) => n.resync)).toEqual(['partial', 'partial', 'partial']);
    expect(json.masterAfter).not.toBe(json.masterBefore);
    expect(json.switchover?.sentinel?.asked.length).toBeGreaterThan(0);
    const after = await status(set);
    expect(after.code).toBe(0);
    expect(after.json.sentinel.master).toBe(json.masterAfter);
    expect(after.json.sentinel.agreeing).toBe(3);
    const masterPort = set.nodePorts[Number(json.masterAfter.slice(1)) - 1];
    expect(await redisCommand('127.0.0.1', masterPort, NODE_PASSWORD, ['DBSIZE'])).toBe(':200\r\n');
  }, 240_000);
});
