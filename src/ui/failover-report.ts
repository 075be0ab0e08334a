// How a failover reads on a terminal: the step table (step, node, ms, ok), then a one-line summary.
// The final status table comes from the status renderer.

import type { FailoverJson, FailoverStep } from '../cluster/failover/types';
import { createTable } from './table';
import { symbolsOf, type Charset } from './charset';

export function renderStepTable(steps: FailoverStep[], charset: Charset): string {
  const { ok, fail } = symbolsOf(charset);
  const table = createTable(charset, { head: ['STEP', 'NODE', 'MS', 'OK'], colAligns: ['left', 'left', 'right', 'left'] });
  for (const step of steps) table.push([step.step, step.node, step.ms.toFixed(1), step.ok ? ok : fail]);
  return table.toString();
}

export function summaryLine(result: FailoverJson, charset: Charset): string {
  const paused =
    result.readsPausedMs > 0
      ? `, reads and writes paused ${result.readsPausedMs} ms`
      : result.mode === 'graceful' || result.writesPausedMs > 0
        ? `, writes paused ${result.writesPausedMs} ms`
        : '';
  const resyncs = `${result.fullResyncs} full resync${result.fullResyncs === 1 ? '' : 's'}, ${result.partialResyncs} partial`;
  return `failover ${result.from} ${symbolsOf(charset).arrow} ${result.to} (${result.mode}) done in ${result.durationMs} ms${paused}; ${resyncs}`;
}
