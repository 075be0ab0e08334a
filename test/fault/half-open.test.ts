// A half-open replication link: one direction stalls while the other keeps flowing.
// - master -> replica stalled: the replica hears nothing, times out, and closes; its close
//   reaches the master, which drops the replica.
// - replica -> master stalled: the master gets no ACKs, times the replica out and closes; the
//   replica sees the close.
// Once the link flows again the replica continues with a partial resync and identical data.

import { expect } from 'vitest';
import { faultScenario, type ScenarioContext } from './harness/scenario';
import { MIXED_TOPOLOGIES } from './harness/link';
import { runLinkFault } from './harness/link-fault';
import { waitForLog } from './harness/logs';
import type { Direction } from './proxy';

const REPL_TIMEOUT_S = 2;

const EXPECTATIONS: Record<Direction, { label: string; detector: 'master' | 'replica'; detected: RegExp; other: RegExp }> = {
  toClient: {
    label: 'master -> replica stalled',
    detector: 'replica',
    detected: /MASTER timeout: no data nor PING received\.\.\./,
    // Redis names a replica whose socket is already gone by its client id.
    other: /Connection with replica (127\.0\.0\.1:\d+|client id #\d+) lost\./,
  },
  toTarget: {
    label: 'replica -> master stalled',
    detector: 'master',
    detected: /Disconnecting timedout replica \(streaming sync\): 127\.0\.0\.1:\d+/,
    other: /Connection with master lost\./,
  },
};

async function halfOpen(context: ScenarioContext, stalled: Direction): Promise<void> {
  const expectation = EXPECTATIONS[stalled];
  let detectedAfter = 0;
  const outcome = await runLinkFault(context, {
    expected: `${expectation.detector} times out, link drops, then partial resync, data identical`,
    pair: {
      master: { 'repl-timeout': String(REPL_TIMEOUT_S), 'repl-ping-replica-period': '1' },
      replica: { 'repl-timeout': String(REPL_TIMEOUT_S) },
    },
    writer: { pauseMs: 5 },
    async inject({ proxy, master, replica }) {
      const nodes = { master, replica };
      const detector = nodes[expectation.detector];
      const other = expectation.detector === 'master' ? replica : master;
      const marks = { detector: detector.logMark(), other: other.logMark() };
      const started = Date.now();
      proxy.halfOpen(stalled);
      detectedAfter = await waitForLog(detector, marks.detector, expectation.detected, started);
      // The drop travels the direction still open: the other side learns it too.
      await waitForLog(other, marks.other, expectation.other, started);
      return { description: `half-open link, ${expectation.label}, ${((Date.now() - started) / 1000).toFixed(1)} s; repl-timeout ${REPL_TIMEOUT_S} s` };
    },
  });
  const { before, after, missing, differing, writer, pair } = outcome;
  const { row } = context;
  row.observed = `${expectation.detector} timed out after ${(detectedAfter / 1000).toFixed(1)} s; ${row.observed}`;
  context.save();
  expect(writer.errors, writer.lastError).toBe(0);
  expect(pair.proxy.stats.held[stalled]).toBeGreaterThan(0);
  expect(after.syncPartialOk).toBe(before.syncPartialOk + 1);
  expect(after.syncFull).toBe(before.syncFull);
  expect(missing).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
  expect(outcome.dumps.replica).toEqual(outcome.dumps.master);
}

faultScenario('half-open: master->replica', MIXED_TOPOLOGIES, (context) => halfOpen(context, 'toClient'));
faultScenario('half-open: replica->master', MIXED_TOPOLOGIES, (context) => halfOpen(context, 'toTarget'));
