// The master restarted with persistence: a clean SHUTDOWN with save points writes the RDB with
// its replication ID and offset; restarted from the same config file and port, it keeps that
// history as its secondary ID (PSYNC2), so its replica continues with a partial resync and no
// acknowledged write is lost. (The master restarted *without* persistence is an rctl-level
// scenario: it needs `rctl up`/`status` in the loop.)

import { expect } from 'vitest';
import { faultScenario } from './harness/scenario';
import { MIXED_TOPOLOGIES, resyncCounters } from './harness/link';
import { runLinkFault } from './harness/link-fault';

const DOWNTIME_MS = 1000;

faultScenario('master restart (SHUTDOWN)', MIXED_TOPOLOGIES, async (context) => {
  const outcome = await runLinkFault(context, {
    expected: 'partial resync with the restarted master, data identical',
    pair: { master: { save: '3600 1' } },
    writer: { pauseMs: 2 },
    async inject({ master }) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await master.shutdown();
      await new Promise((resolve) => setTimeout(resolve, DOWNTIME_MS));
      return { description: `master SHUTDOWN (save points), down ${DOWNTIME_MS / 1000} s, restarted on the same port`, end: () => master.restart() };
    },
  });
  const { missing, differing, logs, pair } = outcome;
  // The restarted master counts from zero: its counters alone tell how the replica came back.
  const counters = await resyncCounters(pair.master);
  context.row.observed = `restarted master: ${counters.syncPartialOk} partial, ${counters.syncFull} full resync; ${differing.length === 0 ? 'data identical' : `${differing.length} keys differ`}`;
  context.save();
  expect(counters).toMatchObject({ syncPartialOk: 1, syncFull: 0 });
  expect(logs.replica).toContain('Successful partial resynchronization with master.');
  expect(missing).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
  expect(outcome.dumps.replica).toEqual(outcome.dumps.master);
});
