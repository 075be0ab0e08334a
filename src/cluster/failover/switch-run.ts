// What one switch knows while it runs: the plan, the old master's settings before and during the
// switch, the switch record a repair reads, the steps done and the problems met. Every stage
// (stages.ts, after-promotion.ts) reads and updates this one object, so the order of the stages
// is the only thing execute.ts has to say.

import { performance } from 'node:perf_hooks';
import { unpauseCommand } from '../../node/capabilities';
import type { NodeSession } from '../../node/node-session';
import type { Reporter } from '../../node/reporter';
import { clearSwitchRecord, readSwitchRecord, writeSwitchRecord, type SwitchRecord, type SwitchStage } from '../../state/switch-record';
import type { RolesOverlay } from '../../state/roles';
import type { TopologyState } from '../../state/topology-state';
import { redisCliCommand } from '../fix-command';
import { refusedByNode } from './failover-error';
import type { NodeState, SyncCounters } from './inspect';
import { planHold, type SwitchHold } from './pause';
import type { FailoverPlan } from './plan';
import { rolesBefore } from './roles';
import { restoreFix, type StepFailure } from './step-failures';
import { StepLog } from './steps';
import { SentinelRun } from './sentinel-run';
import { readOnlySettings, restoreSettings, switchedSettings, withDefaults, type Setting, type SwitchSettings } from './switch-settings';
import type { CatchUp } from './waits';
import { sessionOf } from './waits';

export interface ExecuteOptions {
  state: TopologyState;
  /** The sessions' reply limit (--connect-timeout): a pause that holds rctl's commands stays well inside it. */
  replyTimeoutMs?: number;
  /** How long the candidate may take to catch up while writes are paused. */
  timeoutMs: number;
  /** How long the nodes may take to link to the new master. */
  waitMs: number;
  reporter: Reporter;
  /** performance.now() when the operation started (before the observation). */
  startedAt: number;
}

export class SwitchRun {
  readonly log: StepLog;
  readonly warnings: string[];
  /** Steps that failed after the promotion: the switch stands, the command does not pass. */
  readonly failures: StepFailure[] = [];
  /** Set when the sentinels promote the candidate (sentinel-switch.ts). */
  readonly sentinel: SentinelRun | null;
  /** The old master's session, when it answers (a graceful switch). */
  readonly master: NodeSession | null;
  /** The old master's settings before any switch touched it. */
  readonly original: SwitchSettings;
  /** How writes are held (pause.ts), or null for a forced promotion. */
  readonly hold: SwitchHold | null;
  /** CONFIG SET arguments that put the old master's settings back. */
  readonly restore: Setting[];
  /** Made read-only for the switch (switch-settings.ts): put back only if the switch rolls back. */
  readonly readOnly: Setting[];
  readonly rolesBefore: RolesOverlay | null;
  /** Resync counters of the reachable nodes before the switch, to count the resyncs it caused. */
  countersBefore = new Map<string, SyncCounters>();
  /** Before 6.2: whether the old master's active expiry is stopped during the pause (DEBUG exists). */
  stopsExpiry = false;
  /** Before 6.2: the replication history and offset the old master stopped at. */
  stopReplid: string | null = null;
  stopOffset: number | null = null;
  /** Set by a rollback that found the demoted old master copying the candidate's data. */
  resyncedOnRollback: string | null = null;
  /** The candidate catching up with the paused master, started by the pause. */
  catchingUp: Promise<CatchUp> | null = null;
  pausedAt: number | null = null;
  resumedAt: number | null = null;
  /** Nodes now following the new master, and an old master that could not be made one. */
  readonly repointed: NodeState[] = [];
  readonly leftFenced: NodeState[] = [];
  private record: SwitchRecord | null = null;

  constructor(
    readonly plan: FailoverPlan,
    readonly options: ExecuteOptions,
  ) {
    this.log = new StepLog(options.reporter);
    this.warnings = [...plan.warnings];
    const { from, to } = plan;
    this.sentinel = plan.sentinel ? new SentinelRun(plan.sentinel, options.replyTimeoutMs ?? 2000) : null;
    this.master = plan.masterLive ? sessionOf(from) : null;
    if (plan.masterLive && !from.capabilities) throw new Error(`${from.node.name} answers but its capabilities were not read: no switch without a pause`);
    // An earlier switch left this node unrepaired (only with --force): its record has the
    // originals of what it changed, where the node now shows that switch's values.
    const previous = plan.masterLive ? readSwitchRecord(options.state, from.node.name) : null;
    this.original = previous ? withDefaults({ ...from.settings, ...previous.restore }) : from.settings;
    this.hold = plan.masterLive && from.capabilities ? planHold(from.capabilities, from.rttMs, to.rttMs, options.timeoutMs, options.replyTimeoutMs) : null;
    const switched = switchedSettings(this.original, this.hold?.kind ?? 'none');
    this.restore = restoreSettings(switched);
    this.readOnly = readOnlySettings(this.original);
    this.rolesBefore = rolesBefore(plan, options.state);
    // Written before the old master is touched, removed once it is restored: what a repair needs.
    if (plan.masterLive) {
      this.record = {
        pid: process.pid,
        startedAt: new Date().toISOString(),
        node: { name: from.node.name, host: from.node.host, port: from.node.port },
        candidate: to.node.name,
        stage: 'pausing',
        restore: { ...switched } as Record<string, string>,
      };
      writeSwitchRecord(options.state, this.record);
    }
  }

  /** The candidate's session: reopened after Sentinel killed the clients of the node it promoted. */
  get candidate(): NodeSession {
    return sessionOf(this.plan.to);
  }

  /** The nodes that answer and take part: the candidate and every node to repoint. */
  get reachable(): NodeState[] {
    return [this.plan.to, ...this.plan.repoint];
  }

  warn(text: string): void {
    this.warnings.push(text);
    this.options.reporter.warn(text);
  }

  /** What a repair reads if rctl dies from here on: the stage whose command may have run. */
  recordStage(stage: SwitchStage): void {
    this.noteRecord({ stage });
  }

  noteRecord(change: Partial<SwitchRecord>): void {
    if (!this.record) return;
    this.record = { ...this.record, ...change };
    writeSwitchRecord(this.options.state, this.record);
  }

  /** Nothing is left to undo on the old master. */
  forgetRecord(): void {
    clearSwitchRecord(this.options.state, this.plan.from.node.name);
  }

  /**
   * Every switch setting as it was, then writes back on; the record goes once nothing is left to
   * undo. The settings go first, pipelined ahead of CLIENT UNPAUSE (one round trip), so that
   * writes the pause held are not refused by the fence on a rollback.
   */
  async restoreMaster(): Promise<void> {
    const { master, hold } = this;
    if (!master || !hold) return;
    const from = this.plan.from;
    const unpause = from.capabilities ? unpauseCommand(from.capabilities) : null;
    const replies = await Promise.allSettled([master.configSet(this.restore), ...(unpause ? [master.expect(unpause, 'CLIENT UNPAUSE')] : [])]);
    const failed = replies.find((reply): reply is PromiseRejectedResult => reply.status === 'rejected');
    if (failed) {
      // Only a refusal is the node's own answer; silence says nothing about its settings.
      if (refusedByNode(failed.reason)) this.noteRecord({ failure: (failed.reason as Error).message });
      throw failed.reason;
    }
    this.resumedAt ??= performance.now();
    this.forgetRecord();
  }

  /** The failed restore of the old master, with the commands that finish it by hand. */
  restoreFailure(error: unknown, what: string): StepFailure {
    const { from } = this.plan;
    const topology = this.plan.topology;
    const unpause = this.hold?.kind === 'pause-writes' ? ` && ${redisCliCommand(topology, from.node, ['CLIENT', 'UNPAUSE'])}` : '';
    return {
      node: from.node.name,
      address: from.node.address,
      what,
      error: (error as Error).message,
      fix: `${restoreFix(topology, from.node, from, this.restore)}${unpause}   (or \`rctl up\`)`,
    };
  }
}
