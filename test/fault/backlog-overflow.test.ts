// Issue 7, scenario 4: a cut long enough for the writes made meanwhile to overflow a small
// backlog. The replica cannot continue: it must get a full resync, complete it, and end with
// exactly the master's data.

import { expect } from 'vitest';
import { faultScenario } from './harness/scenario';
import { MIXED_TOPOLOGIES } from './harness/link';
import { runLinkFault } from './harness/link-fault';

/** The smallest backlog both nodes allow (Redis clamps smaller settings to 16 KiB). */
const BACKLOG_BYTES = 16 * 1024;
/** Written while cut, as a multiple of the backlog: well past it even with Redis's block slack. */
const OVERFLOW_FACTOR = 8;
const MIN_CUT_MS = 1000;

faultScenario('backlog overflow', MIXED_TOPOLOGIES, async (context) => {
  let streamedWhileCut = 0;
  const outcome = await runLinkFault(context, {
    expected: 'full resync, completed, data identical',
    pair: { master: { 'repl-backlog-size': String(BACKLOG_BYTES) } },
    writer: { payloadBytes: 512 },
    async inject({ proxy, master }) {
      const startOffset = Number((await master.info()).master_repl_offset);
      const started = Date.now();
      proxy.cut();
      const deadline = Date.now() + 20_000;
      for (;;) {
        streamedWhileCut = Number((await master.info()).master_repl_offset) - startOffset;
        // At least a second, so the replica also retries against the dead link a few times.
        if (streamedWhileCut > OVERFLOW_FACTOR * BACKLOG_BYTES && Date.now() - started >= MIN_CUT_MS) break;
        if (Date.now() > deadline) throw new Error(`only ${streamedWhileCut} bytes streamed while cut`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { description: `link cut ${((Date.now() - started) / 1000).toFixed(1)} s while ${Math.round(streamedWhileCut / 1024)} KiB were written; backlog ${BACKLOG_BYTES / 1024} KiB` };
    },
  });
  const { before, after, missing, differing, writer, logs, pair } = outcome;
  expect(writer.errors, writer.lastError).toBe(0);
  expect(after.syncFull).toBe(before.syncFull + 1);
  expect(after.syncPartialOk).toBe(before.syncPartialOk);
  expect(logs.master).toMatch(/Unable to partial resync with replica 127\.0\.0\.1:\d+ for lack of backlog/);
  expect(logs.replica).toContain('MASTER <-> REPLICA sync: Finished with success');
  expect((await pair.master.info()).repl_backlog_size).toBe(String(BACKLOG_BYTES));
  expect(missing).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
  expect(outcome.dumps.replica).toEqual(outcome.dumps.master);
});
