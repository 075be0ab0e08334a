// The promotion of a switchover through the sentinels (sentinel-steering.ts has the whole story):
// SENTINEL FAILOVER instead of REPLICAOF NO ONE, and the watch until the candidate is a master.

import { performance } from 'node:perf_hooks';
import { RctlError } from '../../errors';
import { sameAddress, type SentinelNode } from '../../topology/model';
import type { NodeSession } from '../../node/node-session';
import { flagsOf, masterAddressByName, monitoredMaster, requestFailover } from '../../node/sentinel';
import { waitFor, WaitTimeoutError } from '../../node/wait';
import { FailoverError, OutcomeUnknownError } from './failover-error';
import { SENTINEL_POLL_MS } from './sentinel-run';
import { awaitChoice, labelAt, sentinelOf, withFreshSession } from './sentinel-steering';
import type { SwitchStep } from './stages';
import type { SwitchRun } from './switch-run';

// A sentinel that chose the candidate while rctl steered still does, but for a refresh of its view.
const RECHECK_MS = 2000;
const PROMOTION_INTERVAL_MS = 5;

type PromotionOutcome = 'promoted' | 'sentinel-lost' | 'gave-up' | { other: string };

/** Watches the candidate (every 5 ms) and the asked sentinel (every 50 ms) until one of them settles it. */
async function watchPromotion(run: SwitchRun, sentinel: SentinelNode, timeoutMs: number): Promise<PromotionOutcome> {
  const sentinels = sentinelOf(run);
  const { masterName } = sentinels.plan.set;
  const to = run.plan.to;
  let lastSentinelProbe = 0;
  return waitFor<PromotionOutcome>(
    async () => {
      const facts = await withFreshSession(run, to, (session) => session.facts()).catch((error: unknown) => {
        if (error instanceof RctlError) return null;
        throw error;
      });
      if (facts?.role === 'master') return { done: true, value: 'promoted' };
      if (performance.now() - lastSentinelProbe < SENTINEL_POLL_MS) return { done: false, reason: `${to.node.name} is still a replica` };
      lastSentinelProbe = performance.now();
      try {
        const session = await sentinels.session(sentinel);
        const [master, named] = await Promise.all([monitoredMaster(session, masterName), masterAddressByName(session, masterName)]);
        if (named && !sameAddress(named.host, named.port, to.node.host, to.node.port) && !sameAddress(named.host, named.port, run.plan.from.node.host, run.plan.from.node.port)) {
          return { done: true, value: { other: labelAt(run, named.host, named.port) } };
        }
        if (master && !flagsOf(master).includes('failover_in_progress')) {
          // It may have promoted the candidate just now: one last look before calling it given up.
          // Given up is only what is seen: the candidate read as a replica, and the sentinel
          // naming no one else. A rollback lifts the old master's fence, so a candidate that
          // cannot be read, or that the sentinel names, keeps the watch going (and at worst ends
          // it as unknown, fenced).
          const last = await withFreshSession(run, to, (s) => s.facts()).catch(() => null);
          if (last?.role === 'master') return { done: true, value: 'promoted' };
          const namesCandidate = named !== null && sameAddress(named.host, named.port, to.node.host, to.node.port);
          if (last?.role === 'replica' && !namesCandidate) return { done: true, value: 'gave-up' };
          return { done: false, reason: last === null ? `${to.node.name} cannot be read, and ${sentinel.name} has ended its failover` : `${sentinel.name} names ${to.node.name}, which still reports itself a replica` };
        }
        return { done: false, reason: `${sentinel.name} is failing over (${master?.['failover-state'] ?? 'state unknown'}), ${to.node.name} still a replica` };
      } catch (error) {
        if (!(error instanceof RctlError)) throw error;
        sentinels.drop(sentinel);
        return { done: true, value: 'sentinel-lost' };
      }
    },
    { interval: PROMOTION_INTERVAL_MS, timeout: timeoutMs },
  );
}

/**
 * SENTINEL FAILOVER, replacing the promote stage: the old master is fenced and the candidate holds
 * every byte, so whichever sentinel promotes it, nothing is lost. Refused or given up before any
 * promotion: an ordinary rollback. Not settled within --wait, or another replica promoted: the
 * old master stays fenced (OutcomeUnknownError), since the candidate may still become a master.
 */
export const promoteThroughSentinels: SwitchStep = {
  name: 'sentinel failover',
  records: 'promoting',
  async perform(run) {
    const sentinels = sentinelOf(run);
    const { masterName } = sentinels.plan.set;
    const to = run.plan.to.node;
    const deadline = performance.now() + run.options.waitMs;
    const remaining = () => Math.max(1, deadline - performance.now());
    const lost: string[] = [];
    for (const sentinel of sentinels.ready) {
      let session: NodeSession;
      try {
        session = await sentinels.session(sentinel);
        // Checked again: the first one's view may have moved since the steering, a later one's was never read.
        await run.log.run('sentinel choice', sentinel.name, () => awaitChoice(run, sentinel, Math.min(remaining(), RECHECK_MS)));
      } catch (error) {
        if (!(error instanceof RctlError) && !(error instanceof WaitTimeoutError)) throw error;
        sentinels.drop(sentinel);
        lost.push(`${sentinel.name}: ${error.message}`);
        run.warn(`${sentinel.name} cannot be asked to fail over (${error.message}); asking the next sentinel`);
        continue;
      }
      const request = await run.log.run('sentinel failover', sentinel.name, () => requestFailover(session, masterName)).catch((error: unknown) => {
        if (!(error instanceof RctlError)) throw error;
        return error;
      });
      if (request instanceof RctlError) {
        // Sent and unanswered: it may have started, and then it can only promote the candidate.
        sentinels.drop(sentinel);
        sentinels.requestedAt ??= performance.now();
        lost.push(`${sentinel.name}: ${request.message}`);
        run.warn(`${sentinel.name} did not answer SENTINEL FAILOVER (${request.message}); asking the next sentinel`);
        continue;
      }
      if (!request.started) {
        if (sentinels.requestedAt === null) {
          throw new FailoverError('SENTINEL_REFUSED', `${sentinel.name} refused SENTINEL FAILOVER ${masterName}: ${request.refusal}`, run.log.steps, 'see `rctl status` for the sentinels\' view');
        }
        lost.push(`${sentinel.name}: ${request.refusal}`);
        continue;
      }
      sentinels.requestedAt ??= performance.now();
      sentinels.asked.push(sentinel.name);
      const outcome = await run.log.run('promotion', to.name, () => watchPromotion(run, sentinel, remaining()), (o) => o === 'promoted').catch((error: unknown) => {
        if (error instanceof WaitTimeoutError) return error;
        throw error;
      });
      if (outcome === 'promoted') {
        sentinels.promotedAt = performance.now();
        return;
      }
      if (outcome instanceof WaitTimeoutError) {
        throw new OutcomeUnknownError(`${to.name} was not promoted within ${run.options.waitMs / 1000}s of asking ${sentinels.asked.join(', ')} (${outcome.lastReason})`);
      }
      if (outcome === 'gave-up') {
        if (sentinels.asked.length === 1 && lost.length === 0) {
          throw new FailoverError('SENTINEL_GAVE_UP', `${sentinel.name} accepted SENTINEL FAILOVER ${masterName} but ended it without promoting ${to.name} (its log says why, e.g. -failover-abort-no-good-slave)`, run.log.steps, 'see `rctl status`; then run the failover again');
        }
        throw new OutcomeUnknownError(`${sentinel.name} ended its failover without promoting ${to.name}, and ${lost.length > 0 ? `sentinels asked before it could not be followed (${lost.join('; ')})` : 'another sentinel was asked before it'}`);
      }
      if (outcome === 'sentinel-lost') {
        lost.push(`${sentinel.name}: stopped answering while failing over`);
        run.warn(`${sentinel.name} stopped answering before ${to.name} was promoted; asking the next sentinel`);
        continue;
      }
      throw new OutcomeUnknownError(`${sentinel.name} names ${outcome.other} as the master of ${masterName}, not ${to.name}`);
    }
    if (sentinels.requestedAt === null) {
      throw new FailoverError('SENTINEL_REFUSED', `no sentinel could be asked to fail over (${lost.join('; ')}); rolled back`, run.log.steps, 'restore the sentinels (`rctl status`), then run the failover again');
    }
    throw new OutcomeUnknownError(`every sentinel asked stopped answering before ${to.name} was promoted (${lost.join('; ')})`);
  },
  ifUnanswered(run, error) {
    const { from, to } = run.plan;
    const fenced = run.master ? `; ${from.node.name} stays fenced and refuses writes until repaired, so at most one master takes writes` : '';
    return new FailoverError(
      'PROMOTION_UNKNOWN',
      `the sentinels' failover did not settle: ${error.message}; ${to.node.name} may or may not become the master${fenced}; ${to.node.name} is recorded as the master`,
      run.log.steps,
      '`rctl status` shows whom the sentinels name; once they agree, `rctl up` follows them, rejoins the old master and lifts its fence, and puts back the replica priorities',
    );
  },
};
