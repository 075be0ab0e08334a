// The table `rctl down` prints: what happened to each node.

import type { StopResult } from '../launch/stop';
import { createTable } from './table';
import type { Charset } from './charset';

export function renderStopTable(results: StopResult[], charset: Charset): string {
  const table = createTable(charset, { head: ['NODE', 'ADDRESS', 'RESULT', 'NOTE'] });
  for (const r of results) {
    const outcome = r.outcome === 'external' ? 'external: left running' : r.outcome + (r.pid !== null ? ` (pid ${r.pid})` : '');
    table.push([r.name, r.address, outcome + (r.purged ? ', purged' : ''), r.note ?? '']);
  }
  return table.toString();
}
