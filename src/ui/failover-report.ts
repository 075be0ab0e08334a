// How a failover reads on a terminal: the step table (step, node, ms, ok), then a one-line summary.
// The final status table comes from the status renderer.

import Table from 'cli-table3';
import type { FailoverJson, FailoverStep } from '../cluster/failover/types';

export function renderStepTable(steps: FailoverStep[], unicode = true): string {
  const table = new Table({
    head: ['STEP', 'NODE', 'MS', 'OK'],
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    colAligns: ['left', 'left', 'right', 'left'],
  });
  for (const step of steps) table.push([step.step, step.node, step.ms.toFixed(1), step.ok ? (unicode ? '✔' : 'ok') : unicode ? '✘' : 'FAIL']);
  return table.toString();
}

export function summaryLine(result: FailoverJson): string {
  const paused =
    result.readsPausedMs > 0
      ? `, reads and writes paused ${result.readsPausedMs} ms`
      : result.mode === 'graceful' || result.writesPausedMs > 0
        ? `, writes paused ${result.writesPausedMs} ms`
        : '';
  const resyncs = `${result.fullResyncs} full resync${result.fullResyncs === 1 ? '' : 's'}, ${result.partialResyncs} partial`;
  return `failover ${result.from} → ${result.to} (${result.mode}) done in ${result.durationMs} ms${paused}; ${resyncs}`;
}
