// min-replicas-to-write under a dead link: with `min-replicas-to-write 1` and
// `min-replicas-max-lag 2`, a master whose only replica went silent (link blackholed, not yet
// timed out) must start refusing writes with NOREPLICAS once the replica's last ACK is older
// than the max lag, and keep refusing them. Writes it acknowledged before that are "at risk" and
// are counted; none may be missing once the link is back.

import { expect } from 'vitest';
import { faultScenario } from './harness/scenario';
import { MIXED_TOPOLOGIES } from './harness/link';
import { runLinkFault } from './harness/link-fault';

const MAX_LAG_S = 2;
const NOREPLICAS = 'NOREPLICAS Not enough good replicas to write.';
const REFUSAL_WAIT_MS = 10_000;
/** After the first refusal, how long the scenario checks that nothing else gets acknowledged. */
const STILL_REFUSING_MS = 500;

faultScenario('min-replicas-to-write, link dark', MIXED_TOPOLOGIES, async (context) => {
  const measured = { refusedAfterMs: -1, ackedWhileDark: 0, ackedAfterRefusal: 0 };
  const outcome = await runLinkFault(context, {
    expected: `writes refused (NOREPLICAS) once the replica lags > ${MAX_LAG_S} s; nothing acknowledged is lost`,
    pair: {
      // repl-timeout well above the lag: the master still lists the replica, only its ACKs stop.
      master: { 'min-replicas-to-write': '1', 'min-replicas-max-lag': String(MAX_LAG_S), 'repl-timeout': '20', 'repl-ping-replica-period': '1' },
      replica: { 'repl-timeout': '20' },
    },
    writer: { pauseMs: 5 },
    async inject({ proxy }, writer) {
      const ackedAtStart = writer.acked.size;
      const started = Date.now();
      proxy.blackhole();
      while (!writer.lastError.includes('NOREPLICAS')) {
        if (Date.now() - started > REFUSAL_WAIT_MS) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (writer.lastError.includes('NOREPLICAS')) {
        measured.refusedAfterMs = Date.now() - started;
        measured.ackedWhileDark = writer.acked.size - ackedAtStart;
        const ackedAtRefusal = writer.acked.size;
        await new Promise((resolve) => setTimeout(resolve, STILL_REFUSING_MS));
        measured.ackedAfterRefusal = writer.acked.size - ackedAtRefusal;
      }
      return { description: `link blackholed ${((Date.now() - started) / 1000).toFixed(1)} s; min-replicas-to-write 1, max-lag ${MAX_LAG_S} s` };
    },
  });
  const { missing, differing, writer, pair } = outcome;
  const { row } = context;
  row.observed =
    (measured.refusedAfterMs >= 0
      ? `refused after ${(measured.refusedAfterMs / 1000).toFixed(1)} s; ${measured.ackedWhileDark} writes acknowledged while dark, ${measured.ackedAfterRefusal} after the first refusal; `
      : `never refused within ${REFUSAL_WAIT_MS / 1000} s (${measured.ackedWhileDark} acknowledged); `) + row.observed;
  context.save();
  expect(measured.refusedAfterMs, `last writer error: ${writer.lastError}`).toBeGreaterThanOrEqual(0);
  expect(writer.lastError).toContain(NOREPLICAS);
  expect(measured.ackedAfterRefusal).toBe(0);
  // Back in sync, the master takes writes again.
  expect(await pair.master.command('SET', 'after-recovery', '1')).toBe('OK');
  expect(missing).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
});
