// Issue 7, scenario 2: the master of a set launched by `rctl up` is frozen with SIGSTOP (it still
// accepts TCP connections through the kernel, and never answers). `rctl status --timeout 1` must
// mark it down and return (exit 3) instead of hanging; `rctl failover --yes` promotes a replica
// (forced). A write sent to the frozen master is answered after SIGCONT by the old master alone:
// `rctl up --yes` rejoins it as a replica and says how many bytes of writes it discards. At the
// end all three nodes hold the same data, key by key.

import { expect } from 'vitest';
import { parseJson, settled, startSet } from '../failover/helpers';
import { faultScenario } from './harness/scenario';
import { AckedWriter } from './harness/writer';
import { compareAll, dumpSetNode, launchKind, ownClient, RCTL_TOPOLOGIES } from './harness/rctl-set';

const NODES: [string, string, string] = ['master', 'slave1', 'slave2'];
const STATUS_TIMEOUT_S = 1;
/** Status may take its timeout plus a Node start and a few round trips; beyond this it hung. */
const STATUS_MARGIN_MS = 9_000;
const REJOIN_LINE = /^\s*master: REPLICAOF \S+ \d+ \(rejoins: it holds (\d+) bytes? of writes (\S+) never saw/m;

faultScenario('master frozen (SIGSTOP) + rctl', RCTL_TOPOLOGIES, async (context) => {
  context.row.fault = 'SIGSTOP of the master; rctl status, rctl failover --yes; SIGCONT, rctl up --yes';
  context.row.expected = `status exits 3 within ${STATUS_TIMEOUT_S} s + margin; forced failover; up rejoins the old master and names the bytes it discards`;
  const set = await startSet(launchKind(context.topology), 'sigstop', NODES);
  context.defer(() => set.close());

  const writerClient = ownClient(set, 'master');
  // No command timeout: this client's write waits for SIGCONT, like an application's would.
  const frozenClient = ownClient(set, 'master', undefined);
  context.defer(() => {
    writerClient.disconnect();
    frozenClient.disconnect();
  });
  const writer = new AckedWriter(writerClient, { pauseMs: 1 }).start();
  await new Promise((resolve) => setTimeout(resolve, 800));
  await writer.stop();
  await settled(set, 'master');
  await frozenClient.ping();

  const pid = set.pid('master');
  process.kill(pid, 'SIGSTOP');
  const frozenAt = Date.now();
  let resumed = false;
  context.defer(() => {
    if (!resumed) process.kill(pid, 'SIGCONT');
  });
  const frozenWrite = frozenClient.set('frozen-write', 'only the old master answers this');

  const statusStarted = Date.now();
  const status = await set.rctl(['status', '--timeout', String(STATUS_TIMEOUT_S), '--json'], { timeoutMs: 30_000 });
  const statusMs = Date.now() - statusStarted;
  const report = parseJson<{ nodes: Array<{ name: string; error: string | null }> }>(status);
  const masterError = report.nodes.find((n) => n.name === 'master')?.error ?? null;

  const failover = await set.rctl(['failover', '--yes', '--json', '--connect-timeout', '1']);
  expect(failover.code, failover.stdout + failover.stderr).toBe(0);
  const json = parseJson<{ to: string; mode: string }>(failover);
  const newMaster = json.to;
  await settled(set, newMaster, NODES.filter((n) => n !== 'master'));
  context.row.recoveryMs = Date.now() - frozenAt;

  process.kill(pid, 'SIGCONT');
  resumed = true;
  const frozenReply = await frozenWrite;
  const up = await set.rctl(['up', '--yes']);
  const rejoin = REJOIN_LINE.exec(up.stdout);
  await settled(set, newMaster);
  const { dumps, differing } = await compareAll(set, [newMaster, ...NODES.filter((n) => n !== newMaster)]);
  const lostPlain = writer.missingIn(await dumpSetNode(set, newMaster));
  const frozenWriteKept = NODES.some((n) => 'frozen-write' in (dumps[n]['0'] ?? {}));

  context.row.ackedWrites = writer.acked.size + (frozenReply === 'OK' ? 1 : 0);
  context.row.lostWrites = lostPlain.length + (frozenReply === 'OK' && !frozenWriteKept ? 1 : 0);
  context.row.observed =
    `status exit ${status.code} in ${statusMs} ms, master: ${masterError}; ${json.mode} failover to ${newMaster}; ` +
    `up: ${rejoin ? `discards ${rejoin[1]} bytes (the write answered after SIGCONT)` : 'no rejoin line'}; ${differing.length} differing keys`;
  context.save();

  expect(status.code, status.stdout + status.stderr).toBe(3);
  expect(statusMs).toBeLessThan(STATUS_TIMEOUT_S * 1000 + STATUS_MARGIN_MS);
  expect(masterError).not.toBeNull();
  expect(json.mode).toBe('forced');
  expect(frozenReply).toBe('OK');
  expect(up.code, up.stdout + up.stderr).toBe(0);
  expect(rejoin, up.stdout).not.toBeNull();
  expect(Number(rejoin?.[1])).toBeGreaterThan(0);
  expect(rejoin?.[2]).toBe(newMaster);
  expect(lostPlain).toEqual([]);
  expect(frozenWriteKept).toBe(false);
  expect(differing).toEqual([]);
});
