// `rctl check` as a table (severity, node, finding, fix), the measured write rate and a verdict.

import { plural } from '../cluster/check/accessors';
import { formatRate } from '../formats/bytes';
import type { CheckReport } from '../cluster/check/model';
import { createTable } from './table';
import type { Charset } from './charset';

export interface RenderOptions {
  charset: Charset;
  /** Terminal width: long reasons and fixes wrap to fit. Undefined: no wrapping (logs, pipes). */
  width?: number;
  /** Number of nodes in the topology, for the verdict. */
  nodeCount: number;
  /** Number of sentinels asked (Sentinel-managed sets), for the verdict. */
  sentinelCount?: number;
}

export function renderCheckReport(report: CheckReport, options: RenderOptions): string {
  const lines: string[] = [];
  if (report.findings.length > 0) {
    const table = createTable(options.charset, { head: ['SEVERITY', 'NODE', 'FINDING', 'FIX'], ...columnLayout(report, options.width) });
    for (const finding of report.findings) {
      table.push([finding.severity, finding.node, `${finding.code}: ${finding.reason}`, finding.fix]);
    }
    lines.push(table.toString());
  }
  for (const notice of report.notices) lines.push(`notice: ${notice.node}: ${notice.code}: ${notice.reason}; ${notice.fix}`);
  lines.push(writeRateLine(report));
  lines.push(verdict(report, options.nodeCount, options.sentinelCount));
  return lines.join('\n');
}

function writeRateLine(report: CheckReport): string {
  const rate = report.writeRate;
  if (!rate) return 'write rate: not measured (no master could be sampled, or --sample 0)';
  return `write rate: ${formatRate(rate.bytesPerSecond)} on ${rate.node} (replication offset over ${(rate.sampleMs / 1000).toFixed(1)} s)`;
}

export function verdict(report: CheckReport, nodeCount: number, sentinelCount = 0): string {
  const noticed = report.notices.length > 0 ? ` (${plural(report.notices.length, 'notice')})` : '';
  const checked = sentinelCount > 0 ? `${plural(nodeCount, 'node')} and ${plural(sentinelCount, 'sentinel')}` : plural(nodeCount, 'node');
  if (report.clean) return `${report.topology}: clean; ${checked} checked, nothing found${noticed}`;
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const parts = [errors > 0 ? plural(errors, 'error') : null, warnings > 0 ? plural(warnings, 'warning') : null].filter((p) => p !== null);
  return `${report.topology}: ${parts.join(', ')} (see FIX)${noticed}`;
}

function columnLayout(report: CheckReport, width: number | undefined): { colWidths?: number[]; wordWrap?: boolean } {
  if (width === undefined) return {};
  const nodeWidth = Math.max(6, ...report.findings.map((f) => f.node.length + 2));
  const fixed = 10 + nodeWidth + 5; // severity column, node column, borders
  const rest = Math.max(40, width - fixed);
  const finding = Math.floor(rest * 0.55);
  return { colWidths: [10, nodeWidth, finding, rest - finding], wordWrap: true };
}
