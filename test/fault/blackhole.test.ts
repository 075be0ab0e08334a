// A frozen network on the replication link: the proxy swallows every byte and every close in
// both directions, longer than repl-timeout. Both sides must detect the timeout on their own
// (the master drops the replica, the replica drops the master), and once the network is back the
// replica reconnects and continues with a partial resync (the backlog still covers the gap).

import { expect } from 'vitest';
import { faultScenario } from './harness/scenario';
import { MIXED_TOPOLOGIES } from './harness/link';
import { runLinkFault, waitForOneReplica } from './harness/link-fault';
import { waitForLog } from './harness/logs';

const REPL_TIMEOUT_S = 2;
const MASTER_DETECTED = /Disconnecting timedout replica \(streaming sync\): 127\.0\.0\.1:\d+/;
const REPLICA_DETECTED = 'MASTER timeout: no data nor PING received...';

faultScenario('blackhole > repl-timeout', MIXED_TOPOLOGIES, async (context) => {
  const detection = { master: 0, replica: 0 };
  let waitDuringFault = -1;
  const outcome = await runLinkFault(context, {
    expected: 'both sides time out, then partial resync, data identical',
    pair: {
      master: { 'repl-timeout': String(REPL_TIMEOUT_S), 'repl-ping-replica-period': '1' },
      replica: { 'repl-timeout': String(REPL_TIMEOUT_S) },
    },
    writer: { pauseMs: 5 },
    async inject({ proxy, master, replica }) {
      const marks = { master: master.logMark(), replica: replica.logMark() };
      const started = Date.now();
      proxy.blackhole();
      // Early in the blackhole the master still lists the replica as online: WAIT must not count it.
      const waiting = waitForOneReplica(master, 300).then((count) => (waitDuringFault = count));
      // The fault lasts until both sides noticed it by themselves: nothing reached them meanwhile.
      [detection.master, detection.replica] = await Promise.all([
        waitForLog(master, marks.master, MASTER_DETECTED, started),
        waitForLog(replica, marks.replica, REPLICA_DETECTED, started),
      ]);
      await waiting;
      return { description: `blackhole ${((Date.now() - started) / 1000).toFixed(1)} s, repl-timeout ${REPL_TIMEOUT_S} s, writes go on` };
    },
  });
  const { before, after, missing, differing, writer, pair } = outcome;
  const { row } = context;
  row.observed = `timeout seen by master after ${(detection.master / 1000).toFixed(1)} s, by replica after ${(detection.replica / 1000).toFixed(1)} s; ${row.observed}`;
  context.save();
  expect(writer.errors, writer.lastError).toBe(0);
  // WAIT never counts a replica that cannot have the write; once in sync it does.
  expect(waitDuringFault).toBe(0);
  expect(await waitForOneReplica(pair.master, 5000)).toBe(1);
  expect(pair.proxy.stats.dropped.toClient).toBeGreaterThan(0);
  expect(after.syncPartialOk).toBe(before.syncPartialOk + 1);
  expect(after.syncFull).toBe(before.syncFull);
  expect(missing).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
  expect(outcome.dumps.replica).toEqual(outcome.dumps.master);
});
