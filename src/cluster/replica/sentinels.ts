// The sentinels' side of adding and removing a replica. Sentinel learns replicas only from the
// master's INFO (every 10 s), and never forgets one by itself: a replica gone for good stays in
// SENTINEL REPLICAS as s_down, is counted by CKQUORUM's view of the set and written back to its
// config as known-replica. So an added replica is waited for until a quorum of sentinels lists it
// (they could not promote it before), and a removed one is forgotten with SENTINEL RESET once
// the master no longer lists it; a reset sentinel also forgets the other sentinels and relearns
// both from the master's INFO and the hello channel within seconds, which is waited for.

import { NodeFailureError, RctlError } from '../../errors';
import { NodeSession } from '../../node/node-session';
import type { Reporter } from '../../node/reporter';
import { flagsOf, knownReplicas, knownSentinels } from '../../node/sentinel';
import { waitFor, WaitTimeoutError } from '../../node/wait';
import { sameAddress, type SentinelNode, type SentinelSet } from '../../topology/model';

export interface Address {
  name: string;
  host: string;
  port: number;
}

export interface SentinelWaitOptions {
  waitMs: number;
  timeoutMs: number;
  reporter: Reporter;
}

function openSentinel(set: SentinelSet, sentinel: SentinelNode, timeoutMs: number): Promise<NodeSession> {
  return NodeSession.open(sentinel, { password: set.password, passwordSource: set.passwordSource, timeoutMs });
}

function healthy(fields: Record<string, string>): boolean {
  return !flagsOf(fields).some((flag) => flag === 's_down' || flag === 'o_down' || flag === 'disconnected');
}

function lists(replicas: Array<Record<string, string>>, node: Address, requireHealthy: boolean): boolean {
  return replicas.some((r) => sameAddress(r.ip ?? '', Number(r.port), node.host, node.port) && (!requireHealthy || healthy(r)));
}

function discoveryTimeout(error: WaitTimeoutError, what: string): NodeFailureError {
  return new NodeFailureError(
    'SENTINEL_DISCOVERY_TIMEOUT',
    `${what} within ${error.timeoutMs / 1000}s: ${error.lastReason}`,
    "a sentinel learns replicas from the master's INFO every 10 s: check the sentinels' logs, or raise --wait; rerunning the command finishes the job",
  );
}

/** Until a quorum of sentinels lists `node` as a replica that is up. */
export async function waitUntilSentinelsList(set: SentinelSet, node: Address, options: SentinelWaitOptions): Promise<void> {
  options.reporter.step(`waiting until ${set.quorum} of ${set.nodes.length} sentinels list ${node.name}`);
  try {
    await waitFor(
      async () => {
        const seen = await Promise.all(
          set.nodes.map(async (sentinel) => {
            let session: NodeSession | null = null;
            try {
              session = await openSentinel(set, sentinel, options.timeoutMs);
              return lists(await knownReplicas(session, set.masterName), node, true);
            } catch (error) {
              if (error instanceof RctlError) return false;
              throw error;
            } finally {
              session?.close();
            }
          }),
        );
        const count = seen.filter(Boolean).length;
        if (count >= set.quorum) return { done: true, value: undefined };
        const reason = `${count} of ${set.nodes.length} sentinels list ${node.name}, ${set.quorum} needed`;
        options.reporter.update(reason);
        return { done: false, reason };
      },
      { interval: 250, timeout: options.waitMs },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError) throw discoveryTimeout(error, `fewer than ${set.quorum} sentinels list ${node.name}`);
    throw error;
  }
}

/**
 * SENTINEL RESET on every sentinel that answers, then waits until each of them lists every
 * replica in `remaining` and none at `removed`, and sees the other answering sentinels again.
 * Returns warnings for sentinels that could not be asked.
 */
export async function forgetReplica(set: SentinelSet, removed: Address, remaining: Address[], options: SentinelWaitOptions): Promise<string[]> {
  options.reporter.step(`telling ${set.nodes.length} sentinel${set.nodes.length === 1 ? '' : 's'} to forget ${removed.name} (SENTINEL RESET ${set.masterName})`);
  const warnings: string[] = [];
  const reset: SentinelNode[] = [];
  for (const sentinel of set.nodes) {
    let session: NodeSession | null = null;
    try {
      session = await openSentinel(set, sentinel, options.timeoutMs);
      await session.expect(['SENTINEL', 'RESET', set.masterName], 'SENTINEL RESET');
      reset.push(sentinel);
    } catch (error) {
      if (!(error instanceof RctlError)) throw error;
      warnings.push(`${sentinel.name} (${sentinel.address}) was not reset: ${error.message}; it still lists ${removed.name} until SENTINEL RESET ${set.masterName} is run on it`);
    } finally {
      session?.close();
    }
  }
  if (reset.length === 0) return warnings;
  try {
    await waitFor(
      async () => {
        const gaps = (await Promise.all(reset.map((sentinel) => rediscoveryGap(set, sentinel, removed, remaining, reset.length - 1, options.timeoutMs)))).filter((gap): gap is string => gap !== null);
        if (gaps.length === 0) return { done: true, value: undefined };
        options.reporter.update(gaps.join('; '));
        return { done: false, reason: gaps.join('; ') };
      },
      { interval: 250, timeout: options.waitMs },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError) throw discoveryTimeout(error, 'the sentinels did not relearn the set after SENTINEL RESET');
    throw error;
  }
  return warnings;
}

async function rediscoveryGap(set: SentinelSet, sentinel: SentinelNode, removed: Address, remaining: Address[], otherSentinels: number, timeoutMs: number): Promise<string | null> {
  let session: NodeSession | null = null;
  try {
    session = await openSentinel(set, sentinel, timeoutMs);
    const [replicas, peers] = await Promise.all([knownReplicas(session, set.masterName), knownSentinels(session, set.masterName)]);
    const problems: string[] = [];
    // Any entry at the removed address counts, even s_down: that is exactly what the reset is for.
    if (lists(replicas, removed, false)) problems.push(`still lists ${removed.name}`);
    const seen = remaining.filter((node) => lists(replicas, node, true)).length;
    if (seen < remaining.length) problems.push(`sees ${seen}/${remaining.length} replicas`);
    const peersUp = peers.filter(healthy).length;
    if (peersUp < otherSentinels) problems.push(`sees ${peersUp}/${otherSentinels} other sentinels`);
    return problems.length === 0 ? null : `${sentinel.name} ${problems.join(', ')}`;
  } catch (error) {
    if (error instanceof RctlError) return `${sentinel.name}: ${error.message}`;
    throw error;
  } finally {
    session?.close();
  }
}
