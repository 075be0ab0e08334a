// The sentinels' view under the status table: who each names, its flags, epoch and health.

import type { SentinelReport } from '../cluster/sentinel/view';
import { symbolsOf, type Charset } from './charset';
import { createTable } from './table';

const dash = '-';

export function renderSentinelTable(report: SentinelReport, charset: Charset): string {
  const { ok, fail: bad } = symbolsOf(charset);
  const table = createTable(charset, {
    head: ['SENTINEL', 'ADDRESS', 'NAMES MASTER', 'FLAGS', 'EPOCH', 'SENTINELS', 'REPLICAS', 'QUORUM', 'HEALTH'],
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
