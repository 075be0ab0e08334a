// Waits until replicas report master_link_status:up and have caught up with the master's offset.

import { NodeFailureError } from '../errors';
import type { ReplicationFacts, SyncTransfer } from '../node/info';
import type { NodeSession } from '../node/node-session';
import type { Reporter } from '../node/reporter';
import { followsMaster } from './safety';
import { waitFor, WaitTimeoutError } from '../node/wait';

export interface SyncTarget {
  name: string;
  session: NodeSession;
}

function replicaState(facts: ReplicationFacts, master: NodeSession, masterOffset: number): string | null {
  if (!followsMaster(facts, master.target.host, master.target.port)) return 'not following the master';
  if (facts.linkStatus !== 'up') return facts.syncInProgress ? 'full sync in progress' : 'link down';
  if (facts.offset === null || facts.offset < masterOffset) return `catching up (${Math.max(0, masterOffset - (facts.offset ?? 0))} bytes behind)`;
  return null;
}

/**
 * The bytes of every RDB transfer under way, summed for one progress bar. 5.0 reports only the
 * bytes left, so its total is the most left seen since the transfer began.
 */
export class SyncTransferTotals {
  private readonly mostLeft = new Map<string, number>();

  sum(transfers: Array<{ name: string; transfer: SyncTransfer | null | undefined }>): { done: number; total: number | null } | null {
    let done = 0;
    let total: number | null = 0;
    let any = false;
    for (const { name, transfer } of transfers) {
      if (!transfer) {
        this.mostLeft.delete(name);
        continue;
      }
      let read = transfer.readBytes;
      let size = transfer.totalBytes;
      if (read === null && transfer.leftBytes !== null) {
        const most = Math.max(this.mostLeft.get(name) ?? 0, transfer.leftBytes);
        this.mostLeft.set(name, most);
        read = most - transfer.leftBytes;
        size = most;
      }
      if (read === null) continue;
      any = true;
      done += read;
      total = total === null || size === null ? null : total + size;
    }
    return any ? { done, total } : null;
  }
}

export async function waitForSync(master: NodeSession, replicas: SyncTarget[], options: { waitMs: number; reporter: Reporter }): Promise<void> {
  if (replicas.length === 0) return;
  options.reporter.step(`waiting for ${replicas.map((r) => r.name).join(', ')} to sync with ${master.target.name}`);
  const totals = new SyncTransferTotals();
  try {
    await waitFor(
      async () => {
        // The master is read first: a replica at or past this offset has everything written before.
        const masterFacts = await master.facts();
        const masterOffset = masterFacts.offset ?? 0;
        const states = await Promise.all(
          replicas.map(async (r) => {
            const facts = await r.session.facts();
            return { name: r.name, state: replicaState(facts, master, masterOffset), transfer: facts.syncTransfer };
          }),
        );
        const pending = states.filter((s) => s.state !== null);
        if (pending.length === 0) return { done: true, value: undefined };
        const reason = pending.map((s) => `${s.name}: ${s.state}`).join(', ');
        const transferred = totals.sum(states);
        if (transferred && transferred.done > 0) options.reporter.transfer(transferred.done, transferred.total);
        else options.reporter.update(reason);
        return { done: false, reason };
      },
      { interval: 50, timeout: options.waitMs },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new NodeFailureError('SYNC_TIMEOUT', `replicas did not sync within ${options.waitMs / 1000}s (${error.lastReason})`, 'check `rctl status` and the node logs, or raise --wait');
    }
    throw error;
  }
}
