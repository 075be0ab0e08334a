// Issue 7, scenario 1: the master of a set launched by `rctl up` is killed with SIGKILL in the
// middle of a write load, then `rctl failover --yes` promotes a replica (forced: the master does
// not answer). No write acknowledged together with `WAIT 1` may be missing from the new master;
// plain writes (asynchronous replication) are counted and reported. The old master then rejoins
// with `rctl up`, and all three nodes end with the same data, key by key.

import { expect } from 'vitest';
import { parseJson, settled, startSet } from '../failover/helpers';
import { faultScenario } from './harness/scenario';
import { AckedWriter } from './harness/writer';
import { compareAll, dumpSetNode, killAndWait, launchKind, ownClient, RCTL_TOPOLOGIES, WaitWriter } from './harness/rctl-set';

const LOAD_MS = 1_500;
const NODES: [string, string, string] = ['master', 'slave1', 'slave2'];

faultScenario('kill -9 master + rctl failover', RCTL_TOPOLOGIES, async (context) => {
  context.row.fault = `SIGKILL of the master after ${LOAD_MS} ms of load, then rctl failover --yes (forced)`;
  context.row.expected = 'no write acknowledged with WAIT 1 is missing; plain-write loss reported; all nodes identical';
  const set = await startSet(launchKind(context.topology), 'kill9', NODES);
  context.defer(() => set.close());

  const plainClient = ownClient(set, 'master');
  const waitClient = ownClient(set, 'master');
  context.defer(() => {
    plainClient.disconnect();
    waitClient.disconnect();
  });
  const plain = new AckedWriter(plainClient, { pauseMs: 1 }).start();
  const waited = new WaitWriter(waitClient).start();
  await new Promise((resolve) => setTimeout(resolve, LOAD_MS));

  const killedAt = Date.now();
  await killAndWait(set.pid('master'));
  await Promise.all([plain.stop(), waited.stop()]);

  const result = await set.rctl(['failover', '--yes', '--json', '--connect-timeout', '1']);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const json = parseJson<{ to: string; mode: string; fullResyncs: number; partialResyncs: number }>(result);
  const newMaster = json.to;
  const other = NODES.find((n) => n !== 'master' && n !== newMaster) as string;
  await settled(set, newMaster, [newMaster, other]);
  context.row.recoveryMs = Date.now() - killedAt;

  const promoted = await dumpSetNode(set, newMaster);
  const lostWaited = waited.missingIn(promoted);
  const lostPlain = plain.missingIn(promoted);
  context.row.ackedWrites = plain.acked.size + waited.acked.size;
  context.row.lostWrites = lostPlain.length + lostWaited.length;
  context.row.observed =
    `${json.mode} failover to ${newMaster} (${json.partialResyncs} partial, ${json.fullResyncs} full resync); ` +
    `WAIT 1 acked ${waited.acked.size}, lost ${lostWaited.length}; plain acked ${plain.acked.size}, lost ${lostPlain.length}`;
  context.save();

  // The old master comes back as a replica of the new one; then every node holds the same data.
  const up = await set.rctl(['up', '--yes']);
  expect(up.code, up.stdout + up.stderr).toBe(0);
  await settled(set, newMaster);
  const { differing } = await compareAll(set, [newMaster, ...NODES.filter((n) => n !== newMaster)]);
  context.row.observed += `; old master rejoined, ${differing.length} differing keys`;
  context.save();

  expect(json.mode).toBe('forced');
  expect(waited.acked.size).toBeGreaterThan(0);
  expect(plain.acked.size).toBeGreaterThan(0);
  expect(lostWaited).toEqual([]);
  expect(differing).toEqual([]);
});
