// `rctl failover` on a dataset full of short TTLs, with a writer setting more all along: keys
// that expire while the switch holds writes, and that a reader meets there, must not move the old
// master's offset (they are hidden, not deleted, until the pause ends), so the candidate catches
// up to a standing target.
// Each switch must pass with no full resync and no acknowledged write lost, on bundled nodes and
// on redis-server alike.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masterClient } from './follow-master-client';
import { currentMaster, parseJson, PASSWORD, settled, startSet, totalFullSyncs, type LaunchKind, type NodeSet } from './helpers';
import { describeWithRedis } from '../helpers/redis-server';

const SWITCHES = 3;

function suite(kind: LaunchKind, names: [string, string, string]) {
  let set: NodeSet;
  beforeAll(async () => {
    set = await startSet(kind, `ttl-${kind}`, names);
  }, 60_000);
  afterAll(async () => {
    await set?.close();
  });

  it(`${SWITCHES} switches while keys with 100-500 ms TTLs expire and are written: every switch passes, no full resync, no lost write`, async () => {
    const first = await currentMaster(set);
    await settled(set, first);
    const writer = masterClient(set.nodes.map(({ host, port }) => ({ host, port })), PASSWORD);
    writer.on('error', () => {});
    const acked: string[] = [];
    let stop = false;
    const writes = (async () => {
      for (let n = 0; !stop; n++) {
        // Nine short-lived keys for each one that must survive.
        const ok = await writer
          .multi()
          .set(`keep:${n}`, String(n))
          .set(`ttl:${n}:a`, 'x', 'PX', 100 + (n % 5) * 100)
          .set(`ttl:${n}:b`, 'x', 'PX', 150)
          .set(`ttl:${n}:c`, 'x', 'PX', 250)
          .exec()
          .then((replies) => replies?.every(([error]) => error === null) ?? false)
          .catch(() => false);
        if (ok) acked.push(`keep:${n}`);
      }
    })();
    // A reader of keys about to expire: reads go on during the pause and meet expired keys there.
    const reader = masterClient(set.nodes.map(({ host, port }) => ({ host, port })), PASSWORD);
    reader.on('error', () => {});
    const reads = (async () => {
      while (!stop) {
        const n = acked.length;
        await reader.mget(`ttl:${n - 1}:a`, `ttl:${n - 2}:b`, `ttl:${n - 3}:c`, `ttl:${n - 20}:a`).catch(() => null);
      }
    })();
    const fullBefore = await totalFullSyncs(set);
    const results: Array<{ to: string; fullResyncs: number }> = [];
    for (let i = 0; i < SWITCHES; i++) {
      // Let TTLs pile up and start expiring before each switch.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const failover = await set.rctl(['failover', '--yes', '--json']);
      expect(failover.code, failover.stdout + failover.stderr).toBe(0);
      const { to, fullResyncs } = parseJson<{ to: string; fullResyncs: number }>(failover);
      results.push({ to, fullResyncs });
      await settled(set, to);
    }
    stop = true;
    await Promise.all([writes, reads]);
    writer.disconnect();
    reader.disconnect();

    expect(results.map((r) => r.fullResyncs)).toEqual(Array.from({ length: SWITCHES }, () => 0));
    expect(await totalFullSyncs(set)).toBe(fullBefore);
    expect(acked.length).toBeGreaterThan(100);
    const master = await currentMaster(set);
    await settled(set, master);
    for (const node of set.nodes) {
      const values = await set.client(node.name).mget(...acked);
      const missing = acked.filter((key, i) => values[i] !== key.slice('keep:'.length));
      expect(missing, `acknowledged writes missing on ${node.name}`).toEqual([]);
    }
    console.log(`[measure] ${kind}: ${SWITCHES} switches under a TTL-heavy load, ${acked.length} acknowledged transactions, 0 full resyncs`);
  }, 120_000);
}

describe('rctl failover with short TTLs expiring during the switch (bundled nodes)', () => suite('embedded', ['ta1', 'ta2', 'ta3']));
describeWithRedis('rctl failover with short TTLs expiring during the switch (redis-server)', () => suite('redis-server', ['tb1', 'tb2', 'tb3']));
