// A master slow to start a full sync: it accepted PSYNC but its snapshot starts only later (a
// diskless delay here; a long BGSAVE on a big dataset does the same), and meanwhile it sends the
// bare-newline keepalives Redis masters send to waiting replicas. A replica whose repl-timeout is
// shorter than that wait must keep waiting, because every newline is proof of life (Redis
// counts it as I/O on the link), and get exactly one full sync. A replica that timed the
// handshake out instead would reconnect, ask again, and, against a master that restarts its
// delay for each new request, never be served.

import { expect } from 'vitest';
import { faultScenario } from './harness/scenario';
import { MIXED_TOPOLOGIES, resyncCounters, waitInSync } from './harness/link';
import { FaultNode } from './harness/nodes';
import { fillEveryType } from '../helpers/fill-data';

const SNAPSHOT_DELAY_S = 4;
const REPLICA_TIMEOUT_S = 2;
const SYNC_WAIT_MS = 15_000;
const HANDSHAKE_TIMEOUT = 'Timeout connecting to the MASTER...';

faultScenario('slow full-sync start', MIXED_TOPOLOGIES, async (context) => {
  const { row, topology } = context;
  row.fault = `master starts the snapshot ${SNAPSHOT_DELAY_S} s after PSYNC (keepalive newlines meanwhile); replica repl-timeout ${REPLICA_TIMEOUT_S} s`;
  row.expected = 'replica waits: one full sync, no handshake timeout';
  const master = await FaultNode.start(topology.master, 'master', { 'repl-diskless-sync-delay': String(SNAPSHOT_DELAY_S) });
  context.defer(() => master.close());
  await fillEveryType(master.client());
  const started = Date.now();
  const replica = await FaultNode.start(topology.replica, 'replica', { replicaof: `${master.host} ${master.port}`, 'repl-timeout': String(REPLICA_TIMEOUT_S) });
  context.defer(() => replica.close());
  let syncedAfter: number | null = null;
  try {
    syncedAfter = (await waitInSync(master, replica, SYNC_WAIT_MS)) - started;
  } catch {
    // Reported below: a replica that never syncs is the failure this scenario looks for.
  }
  const counters = await resyncCounters(master);
  const timeouts = replica.log().split(HANDSHAKE_TIMEOUT).length - 1;
  row.recoveryMs = syncedAfter;
  row.observed = `${syncedAfter === null ? `not in sync within ${SYNC_WAIT_MS / 1000} s` : `in sync after ${(syncedAfter / 1000).toFixed(1)} s`}; ${counters.syncFull} full sync requests; ${timeouts} handshake timeouts`;
  context.save();
  expect(timeouts, replica.log().slice(-2500)).toBe(0);
  expect(counters.syncFull).toBe(1);
  expect(syncedAfter).not.toBeNull();
});
