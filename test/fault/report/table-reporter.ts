// The fault report (`npm run test:fault`): a vitest reporter that collects the row each scenario
// attached to its test, prints one table row per scenario run, and writes the rows as JSON to
// bench/results/fault.json (or $RCTL_FAULT_REPORT) for CI artifacts.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import type { FaultRow } from '../harness/report';
import '../harness/report';

interface ReportedRow extends FaultRow {
  status: string;
}

const COLUMNS: Array<{ title: string; width: number; value: (row: ReportedRow) => string }> = [
  { title: 'scenario', width: 24, value: (r) => r.scenario },
  { title: 'master -> replica', width: 18, value: (r) => r.topology },
  { title: 'injected fault', width: 44, value: (r) => r.fault },
  { title: 'expected', width: 38, value: (r) => r.expected },
  { title: 'observed', width: 44, value: (r) => r.observed },
  // Scenarios without a write load (fuzzing, sync start) have nothing to lose.
  { title: 'lost/acked', width: 11, value: (r) => (r.ackedWrites === 0 && r.lostWrites === 0 ? '-' : `${r.lostWrites}/${r.ackedWrites}`) },
  { title: 'recovery', width: 9, value: (r) => (r.recoveryMs === null ? '-' : `${(r.recoveryMs / 1000).toFixed(2)} s`) },
  { title: 'result', width: 6, value: (r) => r.status },
];

/** Splits text into lines of at most width characters, at spaces when possible. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

export function formatTable(rows: ReportedRow[]): string {
  const border = '+' + COLUMNS.map((c) => '-'.repeat(c.width + 2)).join('+') + '+';
  const line = (cells: string[][]) => {
    const height = Math.max(...cells.map((c) => c.length));
    const out: string[] = [];
    for (let i = 0; i < height; i++) out.push('| ' + cells.map((c, j) => (c[i] ?? '').padEnd(COLUMNS[j].width)).join(' | ') + ' |');
    return out.join('\n');
  };
  const parts = [border, line(COLUMNS.map((c) => [c.title])), border];
  for (const row of rows) parts.push(line(COLUMNS.map((c) => wrap(c.value(row), c.width))), border);
  return parts.join('\n');
}

export default class FaultTableReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows: ReportedRow[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const row = test.meta().faultRow;
        if (!row) continue;
        rows.push({ ...row, status: test.result().state === 'passed' ? 'pass' : test.result().state.toUpperCase() });
      }
    }
    rows.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.topology.localeCompare(b.topology));
    process.stdout.write(`\nFault-injection report (${rows.length} scenario runs)\n${formatTable(rows)}\n`);
    const path = process.env.RCTL_FAULT_REPORT ?? join(process.cwd(), 'bench', 'results', 'fault.json');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ generatedAt: new Date().toISOString(), rows }, null, 2) + '\n');
    process.stdout.write(`Written to ${path}\n`);
  }
}
