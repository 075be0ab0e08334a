// A graceful failover by the built `rctl` on bundled nodes while thousands of keys with short
// TTLs (100-500 ms) are being written and expiring: the paused master must not expire anything
// (its DELs would move the offset the candidate has to reach), so the switch succeeds with no
// full resync and every acknowledged write is on the new master.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/wait';
import { prng } from '../helpers/prng';
import { masterClient } from './follow-master-client';
import { parseJson, PASSWORD, settled, startSet, totalFullSyncs, type NodeSet } from './helpers';

describe('rctl failover under a load of expiring keys (bundled nodes)', () => {
  let set: NodeSet;
  beforeAll(async () => {
    set = await startSet('embedded', 'expiry-lab', ['n1', 'n2', 'n3']);
    await settled(set, 'n1');
  });
  afterAll(async () => set?.close());

  it('switches with no full resync and no lost acknowledged write', async () => {
    const client = masterClient(set.nodes, PASSWORD);
    client.on('error', () => {});
    const rand = prng(4);
    const acked: string[] = [];
    let expiring = 0;
    let failed = 0;
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          // Ten short-lived keys for every durable one, pipelined so that thousands are live.
          const batch = client.pipeline();
          for (let j = 0; j < 10; j++) batch.set(`ttl:${i}:${j}`, 'v', 'PX', 100 + Math.floor(rand() * 400));
          batch.set(`durable:${i}`, String(i));
          const replies = (await batch.exec()) ?? [];
          if (replies.some(([error]) => error)) failed++;
          else {
            expiring += 10;
            acked.push(`durable:${i}`);
          }
        } catch {
          failed++;
        }
      }
    })();
    // Reads of keys whose TTL has passed, on the master being switched: lazy expiry must not
    // delete them (and propagate DELs) while its writes are paused.
    const reader = set.client('n1');
    const reading = (async () => {
      while (!stop) {
        // The first key of each of the last 200 batches: most of them have expired.
        const written = Math.floor(expiring / 10);
        const keys: string[] = [];
        for (let b = Math.max(0, written - 200); b < written; b++) keys.push(`ttl:${b}:0`);
        try {
          if (keys.length > 0) await reader.exists(...keys);
        } catch {
          // The old master's role changes under the reader; it only needs to read while it can.
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await eventually(() => expiring >= 5000, { timeout: 30_000, what: 'thousands of expiring keys written' });
    const fullBefore = await totalFullSyncs(set);
    const result = await set.rctl(['failover', '--yes', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = parseJson<{ to: string; fullResyncs: number; partialResyncs: number; steps: Array<{ ok: boolean }> }>(result);
    const ackedAtSwitch = acked.length;
    await eventually(() => acked.length >= ackedAtSwitch + 100, { timeout: 30_000, what: 'writes on the new master' });
    stop = true;
    await Promise.all([writer, reading]);
    client.disconnect();

    expect(json).toMatchObject({ fullResyncs: 0, partialResyncs: 2 });
    expect(json.steps.every((s) => s.ok)).toBe(true);
    expect(await totalFullSyncs(set)).toBe(fullBefore);
    const values: Array<string | null> = [];
    for (let i = 0; i < acked.length; i += 1000) values.push(...(await set.client(json.to).mget(...acked.slice(i, i + 1000))));
    expect(acked.filter((_, i) => values[i] === null)).toEqual([]);
    expect(failed).toBe(0);
    await settled(set, json.to);
  }, 120_000);
});
