// A slow replication link: every chunk in both directions arrives 50 ms late, from the first
// handshake on (so the full sync runs over it too). Replication must converge with no resync,
// no timeout, and INFO must stay sane: the replica is never ahead of the master, the master's
// view of the replica's offset never goes back, and the lag stays under repl-timeout.

import { expect } from 'vitest';
import { faultScenario } from './harness/scenario';
import { MIXED_TOPOLOGIES, syncState } from './harness/link';
import { runLinkFault } from './harness/link-fault';

const DELAY_MS = 50;
const LOAD_MS = 2000;
const SAMPLE_EVERY_MS = 50;
const REPL_TIMEOUT_S = 5;

faultScenario('delayed link', MIXED_TOPOLOGIES, async (context) => {
  const samples = { count: 0, maxLagS: 0, maxGapBytes: 0, replicaAhead: 0, ackWentBack: 0, linkDown: 0, notOnline: 0 };
  const outcome = await runLinkFault(context, {
    expected: 'converges under delay, no resync, offsets and lag sane',
    pair: {
      master: { 'repl-timeout': String(REPL_TIMEOUT_S), 'repl-ping-replica-period': '1' },
      replica: { 'repl-timeout': String(REPL_TIMEOUT_S) },
      beforeReplica: (proxy) => proxy.delay(DELAY_MS),
    },
    writer: { pauseMs: 2 },
    async inject({ master, replica }) {
      let lastAck = -1;
      const until = Date.now() + LOAD_MS;
      while (Date.now() < until) {
        const state = await syncState(master, replica);
        samples.count++;
        if (!state.linkUp) samples.linkDown++;
        if (state.replicaOffset > state.masterOffset) samples.replicaAhead++;
        samples.maxGapBytes = Math.max(samples.maxGapBytes, state.masterOffset - state.replicaOffset);
        const line = /state=(\w+),offset=(\d+),lag=(\d+)/.exec(state.replicaLine ?? '');
        if (!line || line[1] !== 'online') samples.notOnline++;
        else {
          const ack = Number(line[2]);
          if (ack < lastAck) samples.ackWentBack++;
          lastAck = ack;
          samples.maxLagS = Math.max(samples.maxLagS, Number(line[3]));
        }
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
      }
      // The delay stays on: the recovery time is how long the replica needs to catch up through it.
      return { description: `every chunk delayed ${DELAY_MS} ms both ways, from the first sync on, ${LOAD_MS / 1000} s of writes`, end: async () => {} };
    },
  });
  const { before, after, missing, differing, writer, pair } = outcome;
  context.row.observed = `${samples.count} INFO samples: max lag ${samples.maxLagS} s, max offset gap ${samples.maxGapBytes} B; ${context.row.observed}`;
  context.save();
  pair.proxy.restore();
  expect(writer.errors, writer.lastError).toBe(0);
  // No resync of any kind first: it tells a dropped link apart from a transient INFO reading.
  expect(after).toEqual(before);
  // One sample in which the master did not list the replica online was seen once in CI (redis -> bundled),
  // with no resync and no link drop; more than one would be a real problem.
  expect(samples).toMatchObject({ replicaAhead: 0, ackWentBack: 0, linkDown: 0 });
  expect(samples.notOnline).toBeLessThanOrEqual(1);
  expect(samples.maxLagS).toBeLessThan(REPL_TIMEOUT_S);
  expect(missing).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
  expect(outcome.dumps.replica).toEqual(outcome.dumps.master);
});
