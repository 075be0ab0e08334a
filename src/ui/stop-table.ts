// The table `rctl down` prints: what happened to each node.

import Table from 'cli-table3';
import type { StopResult } from '../launch/stop';

export function renderStopTable(results: StopResult[], _style: { unicode: boolean }): string {
  const table = new Table({ head: ['NODE', 'ADDRESS', 'RESULT', 'NOTE'], style: { head: [], border: [], compact: true } });
  for (const r of results) {
    const outcome = r.outcome === 'external' ? 'external: left running' : r.outcome + (r.pid !== null ? ` (pid ${r.pid})` : '');
    table.push([r.name, r.address, outcome + (r.purged ? ', purged' : ''), r.note ?? '']);
  }
  return table.toString();
}
