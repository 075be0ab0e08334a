// The human report of `rctl discover`: the nodes found (and whether each went into the file),
// the sentinels, then where the file is and what to run next.

import type { DiscoverResult } from '../cluster/discover/index';
import type { Charset } from './charset';
import { createTable } from './table';

export function renderDiscovery(result: DiscoverResult, charset: Charset): string {
  const table = createTable(charset, { head: ['name', 'address', 'role', 'version', 'priority', 'follows', 'in file'] });
  for (const node of result.nodes) {
    table.push([
      node.name,
      node.address,
      node.role,
      node.reachable ? (node.version ?? '?') + (node.bundled ? ' (bundled)' : '') : `unreachable: ${node.error ?? ''}`,
      node.priority === null ? '-' : String(node.priority),
      node.follows ?? '-',
      node.included ? 'yes' : 'no',
    ]);
  }
  const lines = [table.toString()];
  if (result.sentinel) {
    const kept = result.sentinel.nodes.filter((s) => s.included).map((s) => s.address);
    lines.push(`sentinels (${result.sentinel.masterName}, quorum ${result.sentinel.quorum}): ${kept.join(', ')}`);
  }
  for (const outsider of result.outside) lines.push(`not in this set: ${outsider.address}: ${outsider.reason}`);
  return lines.join('\n');
}

/** The closing lines: the file written (or not) and the next command. */
export function discoveryOutcome(result: DiscoverResult, shownFile: string): string[] {
  const replicas = result.nodes.filter((n) => n.included && n.role === 'replica').length;
  const set = `${result.topology}: master ${result.master}, ${replicas} replica${replicas === 1 ? '' : 's'}${result.sentinel ? `, ${result.sentinel.nodes.filter((s) => s.included).length} sentinels` : ''}`;
  if (!result.written) return [`${set} (dry run: nothing written)`];
  const lines = [`${set}; wrote ${shownFile}${result.auth ? ` (auth: ${result.auth})` : ''}`];
  if (result.auth?.startsWith('passwordEnv ')) lines.push(`export ${result.auth.slice('passwordEnv '.length)} before rctl commands that use it`);
  lines.push(`next: rctl status -t ${shownFile}   (or plain \`rctl status\`: it is now the default topology)`);
  return lines;
}
