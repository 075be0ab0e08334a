// The network freezes in the middle of a diskless full sync: the master's socket to the replica
// stops draining and no close ever arrives. A variant blackholes it instead: the payload drains
// into nothing, so the master finishes sending and then waits for an ACK that never comes. Redis 7 bounds this with repl-timeout: the master
// logs "Disconnecting timedout replica (full sync)" (or "(streaming sync)" once the payload is
// out) and frees the replica, so the snapshot it was streaming ends and other replicas can
// sync; the replica gives up with "Timeout receiving bulk data from MASTER...". Once the
// network is back the replica does a new full sync, with every acknowledged write.
//
// A second replica, connected directly, asks for a full sync while the link is frozen: it
// must be served within a few timeouts, not wait for the frozen one forever.
//
// Used by full-sync-freeze.test.ts and full-sync-blackhole.test.ts (two files, so the two run
// in parallel).

import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { faultScenario } from './scenario';
import { differingKeys, dumpNode, describeResyncs, resyncCounters, waitInSync, MIXED_TOPOLOGIES } from './link';
import { FaultNode } from './nodes';
import { FaultProxy } from '../proxy';
import { AckedWriter } from './writer';
import { waitForLog } from './logs';
import { waitForSteps } from './link-fault';
import { fillEveryType } from '../../helpers/fill-data';

const REPL_TIMEOUT_S = 2;
/** Incompressible values, more than the kernel and the node can buffer for a socket that does not drain. */
const BIG_VALUES = 32;
const BIG_VALUE_BYTES = 1024 * 1024;
/** Freeze once this much of the payload went through: the transfer is under way. */
const FREEZE_AFTER_BYTES = 1024 * 1024;
/** How long the scenario waits for each expected reaction while frozen (several repl-timeouts). */
const REACTION_WAIT_MS = 15_000;

const MASTER_DROPS = /Disconnecting timedout replica \((full|streaming) sync\): 127\.0\.0\.1:\d+/;
const REPLICA_GIVES_UP = 'Timeout receiving bulk data from MASTER';

export type LinkFailure = 'freeze' | 'blackhole';

const FAILURES: Record<LinkFailure, string> = {
  freeze: 'link frozen (both ways, closes held)',
  blackhole: 'link blackholed (bytes and closes dropped)',
};

export function fullSyncScenario(failure: LinkFailure): void {
  faultScenario(
    `${failure} during full sync`,
    MIXED_TOPOLOGIES,
    async (context) => {
      const { topology, row } = context;
      row.expected = 'both sides time out the stuck transfer, other replicas still sync; full resync after, data identical';
      const timeouts = { 'repl-timeout': String(REPL_TIMEOUT_S), 'repl-ping-replica-period': '1' };
      const master = await FaultNode.start(topology.master, 'master', timeouts);
      context.defer(() => master.close());
      const filler = master.client();
      const p = filler.pipeline();
      for (let i = 0; i < BIG_VALUES; i++) p.set(`big:${i}`, randomBytes(BIG_VALUE_BYTES));
      await p.exec();
      await fillEveryType(filler);

      const proxy = await FaultProxy.start({ host: master.host, port: master.port });
      context.defer(() => proxy.close());
      const replica = await FaultNode.start(topology.replica, 'replica', { ...timeouts, replicaof: `${proxy.host} ${proxy.port}` });
      context.defer(() => replica.close());
      const marks = { master: master.logMark(), replica: replica.logMark() };
      const deadline = Date.now() + 10_000;
      while (proxy.stats.forwarded.toClient < FREEZE_AFTER_BYTES) {
        if (Date.now() > deadline) throw new Error(`the full sync did not start: ${JSON.stringify(proxy.stats)}\n${replica.log()}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const frozenAt = Date.now();
      if (failure === 'freeze') proxy.freeze();
      else proxy.blackhole();
      expect((await replica.info()).master_link_status).toBe('down');

      const writer = new AckedWriter(master.client(), { pauseMs: 5 }).start();
      context.defer(() => writer.stop());
      await waitForSteps(writer, 20);

      // Another replica, on a healthy link, asks for a full sync meanwhile.
      const bystander = await FaultNode.start(topology.replica, 'bystander', { ...timeouts, replicaof: `${master.host} ${master.port}` });
      context.defer(() => bystander.close());

      const [masterDropped, replicaGaveUp, bystanderSynced] = await Promise.allSettled([
        waitForLog(master, marks.master, MASTER_DROPS, frozenAt, REACTION_WAIT_MS),
        waitForLog(replica, marks.replica, REPLICA_GIVES_UP, frozenAt, REACTION_WAIT_MS),
        waitInSync(master, bystander, REACTION_WAIT_MS).then((at) => at - frozenAt),
      ]);
      const seconds = (result: PromiseSettledResult<number>) => (result.status === 'fulfilled' ? `after ${(result.value / 1000).toFixed(1)} s` : `not within ${REACTION_WAIT_MS / 1000} s`);
      const frozenFor = Date.now() - frozenAt;
      row.fault = `${FAILURES[failure]} ${(frozenFor / 1000).toFixed(1)} s during a ${BIG_VALUES} MiB diskless full sync; repl-timeout ${REPL_TIMEOUT_S} s`;

      await writer.stop();
      const before = await resyncCounters(master);
      const faultEnd = Date.now();
      proxy.restore();
      const recoveredAt = await waitInSync(master, replica);
      row.recoveryMs = recoveredAt - faultEnd;
      await waitInSync(master, bystander);
      const after = await resyncCounters(master);

      const dumps = await Promise.all([master, replica, bystander].map((node) => dumpNode(node)));
      const missing = dumps.map((dump) => writer.missingIn(dump));
      const differing = [...differingKeys(dumps[0], dumps[1]), ...differingKeys(dumps[0], dumps[2])];
      row.ackedWrites = writer.acked.size;
      row.lostWrites = new Set(missing.flat()).size;
      row.observed =
        `master dropped the replica ${seconds(masterDropped)}, replica gave up ${seconds(replicaGaveUp)}, ` +
        `bystander synced ${seconds(bystanderSynced)}; after restore: ${describeResyncs(before, after)}; ` +
        (differing.length === 0 ? 'data identical' : `${differing.length} keys differ`);
      context.save();

      expect(writer.errors, writer.lastError).toBe(0);
      expect(replicaGaveUp.status, 'the replica times out the stalled transfer').toBe('fulfilled');
      expect(masterDropped.status, `the master frees the frozen replica within repl-timeout:\n${master.logSince(marks.master).slice(-2000)}`).toBe('fulfilled');
      expect(bystanderSynced.status, 'a healthy replica is not held up by a frozen one').toBe('fulfilled');
      expect(after.syncFull).toBeGreaterThan(before.syncFull);
      expect(missing).toEqual([[], [], []]);
      expect(differing).toEqual([]);
    },
    { timeoutMs: 90_000 },
  );
}

