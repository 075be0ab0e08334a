// Forced failover when the master stops answering while it holds writes its replicas never got
// (it is frozen with SIGSTOP, so it can come back with them): a named candidate behind the other
// replica is refused (exit 5, naming the better one and the byte gap); the best one is promoted;
// when the old master comes back, status flags it with the bytes the new master never saw, a
// failover refuses two live masters, and `up` rejoins it only when that loss is confirmed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithRedis } from '../helpers/redis-server';
import { errorLines } from '../cli/helpers';
import { detach, info, parseJson, settled, startSet, type LaunchKind, type NodeSet } from './helpers';

function comebackSuite(kind: LaunchKind) {
  let set: NodeSet;
  let offsets: { behind: number; ahead: number; master: number };

  beforeAll(async () => {
    set = await startSet(kind, 'comeback-lab', ['old', 'ahead', 'behind']);
    const pipeline = set.client('old').pipeline();
    for (let i = 0; i < 50; i++) pipeline.set(`shared:${i}`, String(i));
    await pipeline.exec();
    await settled(set, 'old');
  });
  afterAll(async () => set?.close());

  it('a named candidate behind another replica is refused with the better one and the gap (exit 5)', async () => {
    // "behind" stops receiving, then "ahead" gets more, then "old" takes writes nobody else gets.
    await detach(set, 'behind');
    await set.client('old').set('only-ahead-and-old', '1');
    await settled(set, 'old', ['old', 'ahead']);
    await detach(set, 'ahead');
    await set.client('old').set('only-old', 'lost-if-forced');
    offsets = {
      behind: Number((await info(set.client('behind'))).slave_repl_offset),
      ahead: Number((await info(set.client('ahead'))).slave_repl_offset),
      master: Number((await info(set.client('old'))).master_repl_offset),
    };
    expect(offsets.behind).toBeLessThan(offsets.ahead);
    expect(offsets.ahead).toBeLessThan(offsets.master);
    process.kill(set.pid('old'), 'SIGSTOP');

    const refused = await set.rctl(['failover', '--promote', 'behind', '--yes', '--connect-timeout', '0.5']);
    expect(refused.code).toBe(5);
    const gap = offsets.ahead - offsets.behind;
    expect(errorLines(refused.stderr)).toEqual([
      `rctl: behind is ${gap} bytes behind ahead (offset ${offsets.behind} vs ${offsets.ahead}): promoting it would lose the writes only ahead has — promote ahead (--promote ahead), or pass --force to accept losing those ${gap} bytes`,
    ]);
    expect((await info(set.client('behind'))).role).toBe('slave');
    expect((await info(set.client('ahead'))).role).toBe('slave');
  });

  it('without --promote the most advanced replica is promoted, the other continues with a partial resync', async () => {
    const result = await set.rctl(['failover', '--yes', '--json', '--connect-timeout', '0.5']);
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson(result)).toMatchObject({ from: 'old', to: 'ahead', mode: 'forced', fullResyncs: 0, partialResyncs: 1, writesPausedMs: 0 });
    await settled(set, 'ahead', ['ahead', 'behind']);
    expect(await set.client('behind').get('only-ahead-and-old')).toBe('1');
  });

  it('the old master comes back: status flags it with the bytes the new master never saw', async () => {
    process.kill(set.pid('old'), 'SIGCONT');
    const lost = offsets.master - offsets.ahead;
    const status = await set.rctl(['status', '--json']);
    expect(status.code).toBe(3);
    const old = parseJson<{ nodes: Array<{ name: string; role: string; error: string | null }> }>(status).nodes.find((n) => n.name === 'old');
    expect(old?.role).toBe('master');
    expect(old?.error).toBe(
      `declared replica, but is a master; old master back after a failover: it holds ${lost} bytes of writes ahead never saw, discarded by a rejoin (full resync); \`rctl up\` rejoins it as a replica; 2 masters (old, ahead)`,
    );
  });

  it('a failover with two live masters is refused (exit 5)', async () => {
    const result = await set.rctl(['failover', '--yes']);
    expect(result.code).toBe(5);
    expect(errorLines(result.stderr)[0]).toMatch(/^rctl: 2 masters are live: old \(127\.0\.0\.58:\d+, offset \d+\), ahead \(127\.0\.0\.17:\d+, offset \d+\); a failover now could lose the writes one of them took — /);
  });

  it('up rejoins the old master only when the loss is confirmed, and reports it', async () => {
    const lost = offsets.master - offsets.ahead;
    const refused = await set.rctl(['up']);
    expect(refused.code).toBe(5);
    expect(errorLines(refused.stderr)).toEqual([
      `rctl: refusing to rejoin old as a replica of ahead: old (127.0.0.58:${set.byName('old').port}) has ${lost} bytes of writes ahead never saw, which the rejoin discards — confirm on a terminal, or pass --yes to accept losing those writes`,
    ]);
    expect((await info(set.client('old'))).role).toBe('master');

    const up = await set.rctl(['up', '--yes']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`old: REPLICAOF 127.0.0.17 ${set.byName('ahead').port} (rejoins: it holds ${lost} bytes of writes ahead never saw, discarded by a rejoin (full resync))`);
    await settled(set, 'ahead');
    expect(await set.client('old').get('only-old')).toBeNull();
    expect(await set.client('old').get('only-ahead-and-old')).toBe('1');
    const status = await set.rctl(['status']);
    expect(status.code, status.stdout).toBe(0);
  });
}

describe('forced failover and the old master coming back, on bundled nodes', () => comebackSuite('embedded'));
describeWithRedis('forced failover and the old master coming back, on redis-server', () => comebackSuite('redis-server'));
