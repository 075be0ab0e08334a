// The body of `rctl restart` and `rctl upgrade`: one runner, the flags they share.

import { Flags } from '@oclif/core';
import type { RollingJson } from '../../src/cluster/rolling/types';
import { BadInputError } from '../../src/errors';
import { RctlCommand, secondsFlag } from './base-command';

export interface RollingFlags {
  topology?: string;
  node?: string[];
  all: boolean;
  exec?: string;
  'allow-full-resync': boolean;
  'dry-run': boolean;
  yes: boolean;
  timeout: number;
  'connect-timeout': number;
  'switch-timeout': number;
}

export const ROLLING_FLAGS = {
  node: Flags.string({ description: 'a node to restart (repeatable); the master is switched away from first', multiple: true, helpValue: 'NAME' }),
  all: Flags.boolean({ description: 'every node of the topology', default: false }),
  'allow-full-resync': Flags.boolean({ description: 'go on although a node will come back without its replication history (AOF)', default: false }),
  'dry-run': Flags.boolean({ description: 'print the plan (every node, command and expected resync) and change nothing', default: false }),
  yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation (needed without a terminal)', default: false }),
  timeout: secondsFlag({ description: 'how long each node may take to stop, come back, link and catch up', default: 120 }),
  'connect-timeout': secondsFlag({ description: 'connect and reply timeout per node', default: 2 }),
  'switch-timeout': secondsFlag({ description: "the switchover's catch-up limit while writes are paused", default: 5 }),
};

export abstract class RollingRunner extends RctlCommand {
  protected async runRolling(kind: 'restart' | 'upgrade', flags: RollingFlags, extra: { exec: string | null; to: string | null; topology?: string }): Promise<RollingJson> {
    if (flags.all === (flags.node !== undefined && flags.node.length > 0)) {
      throw new BadInputError('USAGE', flags.all ? 'give either --all or --node, not both' : `say which nodes: --all, or --node NAME (repeatable)`, `e.g. rctl ${kind} --all${kind === 'upgrade' ? ' --to embedded' : ''}`);
    }
    const { loadSelectedTopology, topologyStateOf } = await import('../../src/state/index');
    const { rollingOperation, RollingError } = await import('../../src/cluster/rolling/run');
    const { renderRollingPlan, renderRollingTable, rollingSummary } = await import('../../src/ui/rolling-report');
    const { confirmOrRequireYes, isInteractive } = await import('../../src/ui/confirm');
    const { renderStatusTable } = await import('../../src/ui/status-table');

    const topology = await loadSelectedTopology({ argument: extra.topology, flag: flags.topology });
    const charset = this.charset();
    const interactive = isInteractive();
    const reporter = this.reporter();
    const toMs = (seconds: number) => Math.max(1, Math.round(seconds * 1000));
    try {
      const outcome = await rollingOperation(topology, {
        kind,
        state: topologyStateOf(topology),
        nodes: flags.all ? 'all' : (flags.node ?? []),
        exec: extra.exec,
        to: extra.to,
        allowFullResync: flags['allow-full-resync'],
        dryRun: flags['dry-run'],
        timeoutMs: toMs(flags.timeout),
        connectTimeoutMs: toMs(flags['connect-timeout']),
        switchTimeoutMs: toMs(flags['switch-timeout']),
        switchWaitMs: toMs(flags.timeout),
        reporter,
        confirm: (plan) => {
          reporter.suspend();
          if (interactive && !flags.yes) process.stderr.write(`${renderRollingPlan(plan, this.stderrCharset())}\n`);
          return confirmOrRequireYes(kind, `Proceed with the rolling ${kind}?`, { yes: flags.yes, interactive });
        },
      });
      this.finishProgress();
      if (outcome.kind === 'dry-run') {
        this.log(renderRollingPlan(outcome.plan, charset));
        this.log('dry run: nothing was changed');
        return outcome.json;
      }
      this.log(renderRollingTable(outcome.json, charset));
      this.log(renderStatusTable(outcome.status, charset));
      this.log(rollingSummary(outcome.json, charset));
      process.exitCode = outcome.status.report.healthy ? 0 : 3;
      return outcome.json;
    } catch (error) {
      if (error instanceof RollingError && error.done.length > 0 && !this.jsonEnabled()) {
        this.finishProgress(true);
        process.stderr.write(renderRollingTable({ nodes: error.done } as RollingJson, this.stderrCharset()) + '\n');
      }
      throw error;
    }
  }
}
