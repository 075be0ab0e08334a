// How a failover reads on a terminal: the plan it asks to confirm, the step table (step, node, ms, ok), then a one-line summary.
// The final status table comes from the status renderer.

import type { FailoverPlan } from '../cluster/failover/plan';
import type { FailoverJson, FailoverStep, PlannedStep } from '../cluster/failover/types';
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

/** The plan as text: a heading, the candidates, warnings, then the steps. */
export function renderFailoverPlan(plan: FailoverPlan, steps: PlannedStep[], charset: Charset): string {
  const { from, to, topology } = plan;
  const lines: string[] = [];
  const state = plan.masterLive ? 'answers' : `does not answer (${from.error?.message ?? 'unreachable'})`;
  lines.push(`failover of ${topology.name}, ${plan.mode}: ${from.node.name} (${from.node.address}) ${symbolsOf(charset).arrow} ${to.node.name} (${to.node.address}); ${from.node.name} ${state}`);
  lines.push(`candidates: ${plan.ranked.map((c) => `${c.node.name} (priority ${c.priority}, offset ${c.offset}, lag ${c.lagBytes} B)`).join(', ')}`);
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  const width = {
    step: Math.max(...steps.map((s) => s.step.length)),
    node: Math.max(...steps.map((s) => s.node.length)),
  };
  steps.forEach((s, i) => lines.push(`${String(i + 1).padStart(3)}. ${s.step.padEnd(width.step)}  ${s.node.padEnd(width.node)}  ${s.command}`));
  return lines.join('\n');
}
