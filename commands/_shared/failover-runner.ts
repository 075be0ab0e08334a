// The body of `rctl failover` and `rctl promote NODE`: one runner, two ways to name the candidate.

import { Flags } from '@oclif/core';
import type { DryRunJson, FailoverJson } from '../../src/cluster/failover/index';
import { BadInputError } from '../../src/errors';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag } from './base-command';

export interface FailoverFlags {
  topology?: string;
  force: boolean;
  yes: boolean;
  'dry-run': boolean;
  timeout: number;
  'connect-timeout': number;
  wait: number;
}

export const FAILOVER_DESCRIPTION = `Graceful when the master answers: pauses writes on it (CLIENT PAUSE WRITE), waits until the candidate has every byte, fences the old master (min-replicas-to-write), promotes the candidate (REPLICAOF NO ONE), points the old master and the other replicas at it, releases the pause and the fence (held writes get -READONLY: no acknowledged write is lost), persists with CONFIG REWRITE and waits until every link is up. Every node continues with a partial resync. A candidate that does not catch up within --timeout is rolled back: writes resume, nothing changes (exit 4). On a Redis 5.0 master (no CLIENT PAUSE WRITE) the pause holds reads too and is sized to the switch; the plan and the result say so. A node that refuses a step (restoring the old master's settings, REPLICAOF, CONFIG REWRITE) ends the completed switch with exit 4, naming the node, its error and the fix.

Forced when the master does not answer (or with --force): promotes the candidate as it is and repoints the reachable nodes; the old master rejoins as a replica with \`rctl up\` when it is back. A named candidate behind another replica is refused (exit 5) unless --force.

Without --promote the best candidate is taken: reachable replicas with priority > 0, by lowest priority, highest offset, then name (a list on a terminal). The new master is recorded in $RCTL_HOME/<topology>/roles.json, so \`rctl up\` is a no-op and \`rctl status\` shows no drift afterwards.

--json prints {from, to, mode, steps: [{step, node, ms, ok}], fullResyncs, partialResyncs, writesPausedMs, readsPausedMs, durationMs}.

On a Sentinel-managed set (a sentinel section in the topology) the switch goes through the sentinels, so that they agree on the new master and do not undo it: the sentinels are asked first (a quorum must answer and agree, none may be failing over: else exit 4 SENTINEL_FAILOVER_IN_PROGRESS, or exit 5 SENTINEL_NO_QUORUM unless --force, which promotes without them), every other replica gets replica-priority 0 and the candidate 1 until each sentinel's own view would choose it (Sentinel reads priorities from INFO every 10 s, so this takes up to 10 s, before any pause); then the pause, catch-up and fence as above, SENTINEL FAILOVER instead of REPLICAOF NO ONE (the next sentinel is asked if one stops answering), the old master made a replica and its clients disconnected (as Sentinel does), a wait until every sentinel names the new master, and every priority put back before CONFIG REWRITE. --json adds sentinel: {masterName, asked, steerMs, promotedMs, agreedMs, priorities}.

${EXIT_CODES_HELP}`;

export const FAILOVER_FLAGS = {
  force: Flags.boolean({ description: 'fail over although the master answers, or promote a candidate behind another replica', default: false }),
  yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation (needed without a terminal)', default: false }),
  'dry-run': Flags.boolean({ description: 'print the plan (every step, node and command) and change nothing', default: false }),
  timeout: secondsFlag({ description: 'how long the candidate may take to catch up while writes are paused', default: 5 }),
  'connect-timeout': secondsFlag({ description: 'connect and reply timeout per node', default: 2 }),
  wait: secondsFlag({ description: 'how long the nodes may take to link to the new master', default: 30 }),
};

/** The shared body of `rctl failover` and `rctl promote NODE`. */
export abstract class FailoverRunner extends RctlCommand {
  protected async runFailover(promoteText: string | null, flags: FailoverFlags, topologyArgument?: string): Promise<FailoverJson | DryRunJson> {
    const { loadSelectedTopology, topologyStateOf } = await import('../../src/state/index');
    const { resolveNodeRef } = await import('../../src/topology/resolve');
    const { failover, FailoverError } = await import('../../src/cluster/failover/index');
    const { renderFailoverPlan, renderStepTable, summaryLine } = await import('../../src/ui/failover-report');
    const { chooseCandidate, confirmOrRequireYes, isInteractive } = await import('../../src/ui/confirm');
    const { renderStatusTable } = await import('../../src/ui/status-table');

    const topology = await loadSelectedTopology({ argument: topologyArgument, flag: flags.topology });
    let promote = null;
    if (promoteText !== null) {
      const ref = resolveNodeRef(topology, promoteText, '--promote');
      if (!ref.node) {
        throw new BadInputError('UNKNOWN_NODE', `--promote ${promoteText}: no node at ${ref.address} in ${topology.displayFile}`, `nodes: ${topology.nodes.map((n) => `${n.name} (${n.address})`).join(', ')}`);
      }
      promote = ref.node;
    }
    const charset = this.charset();
    const interactive = isInteractive();
    const reporter = this.reporter();
    const toMs = (seconds: number) => Math.max(1, Math.round(seconds * 1000));
    try {
      const outcome = await failover(topology, {
        state: topologyStateOf(topology),
        promote,
        force: flags.force,
        dryRun: flags['dry-run'],
        timeoutMs: toMs(flags.timeout),
        connectTimeoutMs: toMs(flags['connect-timeout']),
        waitMs: toMs(flags.wait),
        reporter,
        confirm: (plan, steps) => {
          reporter.suspend();
          // The plan once on the terminal, then a one-line question (a prompt redraws its message on every key).
          if (interactive && !flags.yes) process.stderr.write(`${renderFailoverPlan(plan, steps, this.stderrCharset())}\n`);
          return confirmOrRequireYes('failover', 'Proceed with the failover?', { yes: flags.yes, interactive });
        },
        choose: interactive && !flags.yes ? (ranked) => chooseCandidate(ranked, () => reporter.suspend()) : undefined,
      });
      this.finishProgress();
      if (outcome.kind === 'dry-run') {
        this.log(renderFailoverPlan(outcome.plan, outcome.steps, charset));
        this.log('dry run: nothing was changed');
        return outcome.json;
      }
      this.log(renderStepTable(outcome.json.steps, charset));
      this.log(renderStatusTable(outcome.status, charset));
      this.log(summaryLine(outcome.json, charset));
      return outcome.json;
    } catch (error) {
      // What was done before it stopped matters as much as why: the steps go to stderr.
      if (error instanceof FailoverError && error.steps.length > 0 && !this.jsonEnabled()) {
        this.finishProgress(true);
        process.stderr.write(renderStepTable(error.steps, this.stderrCharset()) + '\n');
      }
      throw error;
    }
  }
}
