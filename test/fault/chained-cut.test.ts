// Chained replication with the upper link cut: master -> bundled middle replica -> leaf replica.
// The middle replica's link to the master is cut for a few seconds under writes. The middle
// must continue with a partial resync, and its own replica must ride it out without any resync
// of its own (PSYNC2: the middle keeps its replication ID), ending with the master's data.

import { expect } from 'vitest';
import { faultScenario } from './harness/scenario';
import { describeResyncs, differingKeys, dumpNode, resyncCounters, waitInSync, type Topology } from './harness/link';
import { FaultNode } from './harness/nodes';
import { FaultProxy } from './proxy';
import { AckedWriter } from './harness/writer';
import { waitForSteps } from './harness/link-fault';
import { fillEveryType } from '../helpers/fill-data';

const CUT_MS = 2000;

/** master and leaf kinds; the middle replica is always the bundled node. */
const CHAINS: readonly Topology[] = [
  { master: 'bundled', replica: 'redis', label: 'bundled -> bundled -> redis' },
  { master: 'redis', replica: 'bundled', label: 'redis -> bundled -> bundled' },
];

faultScenario('chained: upper link cut', CHAINS, async (context) => {
  const { row, topology } = context;
  row.expected = 'middle: partial resync; leaf: no resync; data identical on all three';
  const master = await FaultNode.start(topology.master, 'master');
  context.defer(() => master.close());
  const proxy = await FaultProxy.start({ host: master.host, port: master.port });
  context.defer(() => proxy.close());
  const middle = await FaultNode.start('bundled', 'middle', { replicaof: `${proxy.host} ${proxy.port}` });
  context.defer(() => middle.close());
  const leaf = await FaultNode.start(topology.replica, 'leaf', { replicaof: `${middle.host} ${middle.port}` });
  context.defer(() => leaf.close());

  await fillEveryType(master.client());
  await waitInSync(master, middle);
  await waitInSync(middle, leaf);
  const before = { master: await resyncCounters(master), middle: await resyncCounters(middle) };
  const leafMark = leaf.logMark();

  const writer = new AckedWriter(master.client(), { pauseMs: 5 }).start();
  context.defer(() => writer.stop());
  await waitForSteps(writer, 20);
  proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, CUT_MS));
  row.fault = `upper link (master -> middle) cut ${CUT_MS / 1000} s, writes go on`;
  await writer.stop();
  const faultEnd = Date.now();
  proxy.restore();
  await waitInSync(master, middle);
  const recoveredAt = await waitInSync(middle, leaf);
  row.recoveryMs = recoveredAt - faultEnd;

  const after = { master: await resyncCounters(master), middle: await resyncCounters(middle) };
  const dumps = await Promise.all([master, middle, leaf].map((node) => dumpNode(node)));
  const missing = dumps.map((dump) => writer.missingIn(dump));
  const differing = [...differingKeys(dumps[0], dumps[1]), ...differingKeys(dumps[0], dumps[2])];
  row.ackedWrites = writer.acked.size;
  row.lostWrites = new Set(missing.flat()).size;
  row.observed = `middle: ${describeResyncs(before.master, after.master)}; leaf: ${describeResyncs(before.middle, after.middle)}; ${differing.length === 0 ? 'data identical' : `${differing.length} keys differ`}`;
  context.save();

  expect(writer.errors, writer.lastError).toBe(0);
  expect(after.master.syncPartialOk).toBe(before.master.syncPartialOk + 1);
  expect(after.master.syncFull).toBe(before.master.syncFull);
  expect(after.middle).toEqual(before.middle);
  expect(leaf.logSince(leafMark)).not.toContain('Connection with master lost');
  expect(missing).toEqual([[], [], []]);
  expect(differing).toEqual([]);
});
