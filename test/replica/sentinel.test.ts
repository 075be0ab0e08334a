// `rctl replica add/remove` on a Sentinel-managed set (bundled nodes, Sentinel 7.0 launched by
// rctl up): an added replica is listed by a quorum of sentinels before the add returns; a removed
// one is forgotten by every sentinel (SENTINEL RESET), which relearn the rest.

import { expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { ENV, describeWithSentinel, status, upAndCheck, useSet } from '../sentinel/set-helpers';

describeWithSentinel('7.0', 'rctl replica add/remove under Sentinel 7.0', (redis) => {
  const current = useSet(redis);

  it('add waits until a quorum lists the replica; remove makes every sentinel forget it', async () => {
    const set = current();
    await upAndCheck(set);
    const port = await freePort();
    const add = await set.box.run(['replica', 'add', 'n4', `127.0.0.1:${port}`, '-t', set.file, '--json'], { env: ENV, timeoutMs: 120_000 });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toContain('sentinels list n4');
    const after = await status(set);
    expect(after.code).toBe(0);
    // Every sentinel counts 3 replicas (num-slaves) once it has seen n4 too.
    expect(after.json.sentinel.sentinels.filter((s) => s.replicas === 3).length).toBeGreaterThanOrEqual(2);

    const removed = await set.box.run(['replica', 'remove', 'n4', '-t', set.file, '--json'], { env: ENV, timeoutMs: 120_000 });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toContain('SENTINEL RESET');
    const end = await status(set);
    expect(end.code, JSON.stringify(end.json)).toBe(0);
    expect(end.json.nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(end.json.sentinel.sentinels.map((s) => s.replicas)).toEqual([2, 2, 2]);
  }, 240_000);
});
