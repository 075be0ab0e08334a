// Issue 7, scenario 3: a replica's link is cut for a few seconds while the master keeps taking
// writes, then restored. The replica must continue with a partial resync from the backlog and
// end with exactly the master's data.

import { expect } from 'vitest';
import { faultScenario } from './harness/scenario';
import { MIXED_TOPOLOGIES } from './harness/link';
import { runLinkFault, waitForOneReplica } from './harness/link-fault';

const CUT_MS = 3000;

faultScenario('link cut', MIXED_TOPOLOGIES, async (context) => {
  let waitDuringFault = -1;
  const outcome = await runLinkFault(context, {
    expected: 'partial resync, no data difference',
    // Paced writes: a few seconds of them fit the default 1 MB backlog many times over.
    writer: { pauseMs: 5 },
    async inject({ proxy, master }) {
      proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, CUT_MS));
      waitDuringFault = await waitForOneReplica(master, 300);
      return { description: `link cut ${CUT_MS / 1000} s (RST), writes go on` };
    },
  });
  const { before, after, missing, differing, writer, logs, pair } = outcome;
  expect(writer.errors, writer.lastError).toBe(0);
  // WAIT never counts a replica that cannot have the write; once in sync it does.
  expect(waitDuringFault).toBe(0);
  expect(await waitForOneReplica(pair.master, 5000)).toBe(1);
  // The replica noticed: the cut was not absorbed by the proxy.
  expect(pair.proxy.stats.reset).toBeGreaterThan(0);
  expect(after.syncPartialOk).toBe(before.syncPartialOk + 1);
  expect(after.syncFull).toBe(before.syncFull);
  expect(logs.replica).toContain('Successful partial resynchronization with master.');
  expect(logs.master).toMatch(/Partial resynchronization request from 127\.0\.0\.1:\d+ accepted/);
  expect(missing).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
  expect(outcome.dumps.replica).toEqual(outcome.dumps.master);
});
