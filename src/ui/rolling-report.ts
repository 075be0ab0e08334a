// How a rolling restart or upgrade reads on a terminal: the plan (--dry-run, and before it
// starts), the per-node table after it, and a one-line summary.

import type { RollingJson, RollingPlan } from '../cluster/rolling/types';
import { symbolsOf, type Charset } from './charset';
import { createTable } from './table';

function versionChange(before: string | null, after: string | null, charset: Charset): string {
  if (!after || before === after) return before ?? '?';
  return `${before ?? '?'} ${symbolsOf(charset).arrow} ${after}`;
}

export function renderRollingPlan(plan: RollingPlan, charset: Charset): string {
  const { arrow } = symbolsOf(charset);
  const lines: string[] = [];
  const to = plan.target ? ` to ${plan.target.bundled ? `the bundled node (Redis ${plan.target.version})` : `Redis ${plan.target.version} (${plan.target.redisServer})`}` : '';
  lines.push(`rolling ${plan.kind}${to}, master ${plan.master}:`);
  let step = 1;
  for (const node of plan.nodes) {
    if (node.turnRole === 'old master' && plan.switchover) {
      lines.push(`${String(step++).padStart(3)}. switchover ${plan.switchover.from} ${arrow} ${plan.switchover.to} (graceful: writes paused until ${plan.switchover.to} has every byte; no acknowledged write lost)`);
    }
    const head = `${String(step++).padStart(3)}. ${node.name} (${node.address}, ${node.turnRole === 'old master' ? `old master, then a replica of ${plan.switchover?.to}` : 'replica'})`;
    if (node.skip) {
      lines.push(`${head}: skipped, ${node.skip}`);
      continue;
    }
    lines.push(`${head}: expect a ${node.expectedResync} resync (${node.reason})`);
    for (const command of node.commands) lines.push(`       ${command}`);
  }
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

export function renderRollingTable(json: RollingJson, charset: Charset): string {
  const table = createTable(charset, { head: ['NODE', 'RESYNC', 'DOWN MS', 'TOTAL MS', 'VERSION'], colAligns: ['left', 'left', 'right', 'right', 'left'] });
  for (const node of json.nodes) {
    table.push([node.name, node.skipped ? 'skipped' : node.resync, node.skipped ? '-' : String(node.downMs), node.skipped ? '-' : String(node.ms), versionChange(node.versionBefore, node.versionAfter, charset)]);
  }
  return table.toString();
}

export function rollingSummary(json: RollingJson, charset: Charset): string {
  const { arrow } = symbolsOf(charset);
  const done = json.nodes.filter((n) => !n.skipped).length;
  const switched = json.switchover ? `, switchover ${json.switchover.from} ${arrow} ${json.switchover.to} with writes paused ${json.writesPausedMs} ms` : '';
  return `${json.kind} of ${done} node${done === 1 ? '' : 's'} done in ${(json.durationMs / 1000).toFixed(1)} s${switched}; ${json.fullResyncs} full resync${json.fullResyncs === 1 ? '' : 's'}, ${json.partialResyncs} partial`;
}
