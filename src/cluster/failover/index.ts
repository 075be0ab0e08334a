// `rctl failover`: lock, observe, plan (and refuse), confirm, execute, report.

import { performance } from 'node:perf_hooks';
import { RctlError, RefusedError } from '../../errors';
import type { Topology, TopologyNode } from '../../topology/model';
import { withMaster } from '../../state/roles';
import { recordMasterIdentity } from '../../state/master-record';
import type { NodeObservation } from '../observe';
import type { Reporter } from '../../node/reporter';
import { buildStatus, type StatusView } from '../status';
import { plannedSteps } from './describe';
import { executeFailover } from './execute';
import { closeStates, inspectTopology, type NodeState } from './inspect';
import { acquireFailoverLock } from '../../state/failover-lock';
import { repairInterruptedFailover } from './repair';
import { describeLeftover, switchRecordPath } from '../../state/switch-record';
import { planFailover, type FailoverPlan } from './plan';
import type { Candidate, FailoverJson, FailoverMode, PlannedStep } from './types';
import type { TopologyState } from '../../state/topology-state';
import { followSentinels } from '../sentinel/status';
import { planSentinelSwitch, precheckSentinels, type SentinelPrecheck } from './sentinel-plan';

export type { Candidate, FailoverJson, FailoverStep, PlannedStep } from './types';
export { FailoverError } from './execute';

export interface FailoverOptions {
  state: TopologyState;
  /** --promote, resolved to a node of the topology; null picks the best candidate. */
  promote: TopologyNode | null;
  force: boolean;
  dryRun: boolean;
  /** Catch-up limit while writes are paused (--timeout). */
  timeoutMs: number;
  /** Connect and reply limit per node (--connect-timeout). */
  connectTimeoutMs: number;
  /** Link-up limit after the switch (--wait). */
  waitMs: number;
  reporter: Reporter;
  /** Shown the plan; false declines. May throw (no terminal and no --yes). */
  confirm: (plan: FailoverPlan, steps: PlannedStep[]) => Promise<boolean>;
  /** Picks among ranked candidates when --promote is omitted; default: the best. */
  choose?: (ranked: Candidate[]) => Promise<Candidate>;
}

/** `rctl failover --dry-run --json`. */
export interface DryRunJson {
  dryRun: true;
  from: string;
  to: string;
  mode: FailoverMode;
  candidates: Array<{ name: string; priority: number; offset: number; lagBytes: number }>;
  warnings: string[];
  plan: PlannedStep[];
}

export type FailoverOutcome =
  | { kind: 'dry-run'; json: DryRunJson; plan: FailoverPlan; steps: PlannedStep[] }
  | { kind: 'done'; json: FailoverJson; warnings: string[]; status: StatusView };

/** The status table after the switch, from the sessions already open (unreachable nodes keep their error). */
async function finalStatus(plan: FailoverPlan, states: NodeState[], state: TopologyState): Promise<StatusView> {
  const after = withMaster(plan.topology, plan.to.node.name);
  const observations: NodeObservation[] = await Promise.all(
    after.nodes.map(async (node, i) => {
      const state = states[i];
      if (!state.session) return { node, facts: null, error: state.error };
      try {
        return { node, facts: await state.session.facts(), error: null };
      } catch (error) {
        if (error instanceof RctlError) return { node, facts: null, error };
        throw error;
      }
    }),
  );
  return buildStatus(after, observations, { state });
}

/** The new master's identity, so a later restart of it without its data is recognised (master-restart.ts). */
async function rememberNewMaster(plan: FailoverPlan, state: TopologyState): Promise<void> {
  const { node, session } = plan.to;
  if (!session) return;
  try {
    recordMasterIdentity(state, node.name, node.address, await session.facts());
  } catch {
    // Only a hint for later checks: the failover itself is done.
  }
}

/**
 * On a Sentinel-managed set, the sentinels are asked first: the switch starts from the master a
 * quorum of them names (not the file's), and refuses while they fail over or when no quorum
 * answers (unless --force, which then switches without them).
 */
async function askSentinels(topology: Topology, options: FailoverOptions): Promise<{ topology: Topology; precheck: SentinelPrecheck | null }> {
  const set = topology.sentinel;
  if (!set) return { topology, precheck: null };
  options.reporter.step(`asking the sentinels of ${set.masterName}`);
  const precheck = await precheckSentinels(topology, set, { timeoutMs: options.connectTimeoutMs, force: options.force });
  const agreed = precheck.judgement.agreedNode;
  if (precheck.withoutSentinels || !agreed || agreed.name === topology.master.name) return { topology, precheck };
  return { topology: followSentinels(topology, agreed, options.state, { record: false, previousUnreachable: false }), precheck };
}

export async function failover(declared: Topology, options: FailoverOptions): Promise<FailoverOutcome> {
  let startedAt = performance.now();
  const { topology, precheck } = await askSentinels(declared, options);
  // A dry run changes nothing, so it neither needs nor blocks on the lock.
  if (!options.dryRun) {
    const repair = await repairInterruptedFailover(topology, options.state, options.connectTimeoutMs, (text) => options.reporter.warn(text));
    // The master this switch starts from, still fenced by an earlier one, must be sorted out
    // first: a rollback would lift that fence while the earlier candidate may be taking writes.
    // Leftovers on other nodes do not stand in its way (this switch never restores them).
    const left = repair.left.filter((record) => record.node.name === topology.master.name);
    if (left.length > 0 && !options.force) {
      const names = left.map((record) => record.node.name).join(', ');
      throw new RefusedError(
        'REPAIR_PENDING',
        `an interrupted failover left ${names} ${left.length === 1 ? describeLeftover(left[0]) : 'fenced or write-paused'}, and it could not be repaired yet (see the warning above)`,
        `once ${names} ${left.length === 1 ? 'answers' : 'answer'}, \`rctl up\` repairs ${left.length === 1 ? 'it' : 'them'}; if ${left.length === 1 ? 'it is' : 'they are'} gone for good, delete ${left.map((record) => switchRecordPath(options.state, record.node.name)).join(' and ')} or pass --force`,
      );
    }
  }
  const lock = options.dryRun ? null : acquireFailoverLock(options.state, (text) => options.reporter.warn(text));
  try {
    options.reporter.step(`observing ${topology.nodes.map((n) => n.name).join(', ')}`);
    const states = await inspectTopology(topology, options.connectTimeoutMs);
    try {
      const plan = await planFailover(topology, states, { promote: options.promote, force: options.force, choose: options.choose });
      if (topology.sentinel && precheck) {
        if (precheck.withoutSentinels) plan.warnings.push(precheck.withoutSentinels);
        else {
          plan.sentinel = planSentinelSwitch(topology.sentinel, precheck, plan);
          if (plan.sentinel.silent.length > 0) plan.warnings.push(`${plan.sentinel.silent.join(', ')} did not answer or do not name ${plan.from.node.name}: the others carry the switch, and ${plan.sentinel.silent.length === 1 ? 'it learns' : 'they learn'} the new master from their hello messages once ${plan.sentinel.silent.length === 1 ? 'it reaches' : 'they reach'} the nodes`);
        }
      }
      const steps = plannedSteps(plan, { ...options, replyTimeoutMs: options.connectTimeoutMs });
      if (options.dryRun) {
        return {
          kind: 'dry-run',
          plan,
          steps,
          json: {
            dryRun: true,
            from: plan.from.node.name,
            to: plan.to.node.name,
            mode: plan.mode,
            candidates: plan.ranked.map((c) => ({ name: c.node.name, priority: c.priority, offset: c.offset, lagBytes: c.lagBytes })),
            warnings: plan.warnings,
            plan: steps,
          },
        };
      }
      const asking = performance.now();
      if (!(await options.confirm(plan, steps))) throw new RefusedError('FAILOVER_DECLINED', 'failover declined: nothing was changed');
      // The operator's reading time is not the operation's.
      startedAt += performance.now() - asking;
      const result = await executeFailover(plan, { state: options.state, timeoutMs: options.timeoutMs, replyTimeoutMs: options.connectTimeoutMs, waitMs: options.waitMs, reporter: options.reporter, startedAt });
      await rememberNewMaster(plan, options.state);
      return { kind: 'done', json: result.json, warnings: result.warnings, status: await finalStatus(plan, states, options.state) };
    } finally {
      closeStates(states);
    }
  } finally {
    lock?.release();
  }
}
