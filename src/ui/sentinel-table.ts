// The sentinels' view under the status table: who each names, its flags, epoch and health.

import Table from 'cli-table3';
import type { SentinelReport } from '../cluster/sentinel/view';
import type { TableStyle } from './status-table';

const dash = '-';

export function renderSentinelTable(report: SentinelReport, style: TableStyle): string {
  const ok = style.unicode ? '✔' : 'ok';
  const bad = style.unicode ? '✘' : 'FAIL';
  const table = new Table({
    head: ['SENTINEL', 'ADDRESS', 'NAMES MASTER', 'FLAGS', 'EPOCH', 'SENTINELS', 'REPLICAS', 'QUORUM', 'HEALTH'],
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    ...(style.unicode ? {} : { chars: { top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+', bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+', left: '|', 'left-mid': '+', mid: '-', 'mid-mid': '+', right: '|', 'right-mid': '+', middle: '|' } }),
  });
  for (const sentinel of report.sentinels) {
    table.push([
      sentinel.name,
      sentinel.address,
      sentinel.master ?? dash,
      sentinel.flags.length > 0 ? sentinel.flags.join(',') : dash,
      sentinel.epoch ?? dash,
      sentinel.otherSentinels === null ? dash : String(sentinel.otherSentinels + 1),
      sentinel.replicas ?? dash,
      sentinel.quorumReachable === null ? dash : sentinel.quorumReachable ? 'reachable' : 'NOT reachable',
      sentinel.error === null ? ok : `${bad} ${sentinel.error}`,
    ]);
  }
  const agreed = report.master === null ? `no quorum agrees on a master` : `master ${report.master} named by ${report.agreeing} (quorum ${report.quorum})`;
  return `${table.toString()}\nsentinels of ${report.masterName}: ${agreed}${report.error ? `; ${bad} ${report.error}` : ''}`;
}

export function sentinelProblemCount(report: SentinelReport | undefined): number {
  if (!report) return 0;
  return (report.error === null ? 0 : 1) + report.sentinels.filter((s) => s.error !== null).length;
}
