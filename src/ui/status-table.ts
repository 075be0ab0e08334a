// Renders the status report as a table with a one-line verdict under it.

import type { StatusView } from '../cluster/status';
import { createTable } from './table';
import { symbolsOf, type Charset } from './charset';
import { renderSentinelTable, sentinelProblemCount } from './sentinel-table';

const dash = '-';

function text(value: string | number | null | undefined): string {
  return value === null || value === undefined ? dash : String(value);
}

export function renderStatusTable(view: StatusView, charset: Charset): string {
  const { ok, fail } = symbolsOf(charset);
  const table = createTable(charset, {
    head: ['NODE', 'ADDRESS', 'VERSION', 'ROLE', 'LINK', 'MASTER', 'OFFSET', 'LAG', 'IO AGO', 'KEYS', 'REPLICAS', 'REPLID', 'HEALTH'],
  });
  view.report.nodes.forEach((node, i) => {
    const detail = view.details[i];
    const role = node.role === null ? dash : node.role === detail.declaredRole ? node.role : `${node.role}!`;
    table.push([
      node.name,
      node.address,
      node.version === null ? dash : detail.bundled ? `${node.version} (rctl)` : node.version,
      role,
      text(node.linkStatus),
      text(node.master),
      text(node.offset),
      node.lagBytes === null ? dash : `${node.lagBytes}B`,
      detail.lastIoSecondsAgo === null ? dash : `${detail.lastIoSecondsAgo}s`,
      text(node.keys),
      text(node.connectedReplicas),
      node.replid ? node.replid.slice(0, 8) : dash,
      detail.problems.length === 0 ? ok : `${fail} ${detail.problems.join('; ')}`,
    ]);
  });
  const sentinels = view.report.sentinel ? '\n' + renderSentinelTable(view.report.sentinel, charset) : '';
  return table.toString() + sentinels + '\n' + verdict(view);
}

export function verdict(view: StatusView): string {
  const { report, details } = view;
  const replicas = report.nodes.filter((_, i) => details[i].declaredRole === 'replica');
  const inSync = replicas.filter((n) => n.role === 'replica' && n.linkStatus === 'up' && n.error === null).length;
  if (report.healthy) {
    return `${report.topology}: healthy; master ${report.master}, ${inSync}/${replicas.length} replica${replicas.length === 1 ? '' : 's'} linked`;
  }
  const problems = details.reduce((sum, d) => sum + d.problems.length, 0) + sentinelProblemCount(report.sentinel);
  return `${report.topology}: DEGRADED; ${problems} problem${problems === 1 ? '' : 's'} (see HEALTH)`;
}
