// One node's turn in a rolling restart or upgrade: stop it so that it keeps its replication
// history, bring it back (rctl's own launch, or the operator's --exec command), and wait until its
// master took it back and it caught up. Its master's sync counters say whether that was the
// partial resync the plan expected; a full one is waited out and then stops the operation.

import { NodeFailureError, RctlError } from '../../errors';
import { intField, replicationFacts, type ReplicationFacts } from '../../node/info';
import { NodeSession } from '../../node/node-session';
import { ReplyError } from '../../node/resp';
import type { Reporter } from '../../node/reporter';
import { waitFor, WaitTimeoutError } from '../../node/wait';
import { processAlive } from '../../state/pid';
import type { TopologyState } from '../../state/topology-state';
import type { Topology, TopologyNode } from '../../topology/model';
import { runExecTemplate } from '../../launch/exec-template';
import { awaitListening, portAnswers } from '../../launch/launch';
import { writeNodeConfig } from '../../launch/node-config';
import { runningPid, startNodeProcess } from '../../launch/process';
import { syncCounters, type SyncCounters } from '../failover/inspect';
import { LOAD_RDB_OVERRIDES } from './plan';
import { followsMaster } from '../safety';
import { SyncTransferTotals } from '../sync';
import type { LaunchChoice, RollingNodePlan, RollingNodeResult } from './types';

export interface TurnContext {
  topology: Topology;
  state: TopologyState;
  /** The node's master during its turn. */
  master: TopologyNode;
  exec: string | null;
  /** upgrade: the launch the node moves to. */
  target: LaunchChoice | null;
  /** How long the node may take to stop, come back, link and catch up. */
  timeoutMs: number;
  connectTimeoutMs: number;
  reporter: Reporter;
}

const POLL_MS = 50;

function open(ctx: TurnContext, node: TopologyNode): Promise<NodeSession> {
  return NodeSession.open(node, { password: ctx.topology.password, passwordSource: ctx.topology.passwordSource, timeoutMs: ctx.connectTimeoutMs });
}

async function withSession<T>(ctx: TurnContext, node: TopologyNode, use: (session: NodeSession) => Promise<T>): Promise<T> {
  const session = await open(ctx, node);
  try {
    return await use(session);
  } finally {
    session.close();
  }
}

async function masterCounters(ctx: TurnContext): Promise<SyncCounters> {
  return withSession(ctx, ctx.master, async (session) => syncCounters(await session.info('stats')));
}

async function waitUntil<T>(what: string, probe: () => Promise<{ done: true; value: T } | { done: false; reason: string }>, timeoutMs: number, code: 'RESTART_FAILED' | 'RESTART_TIMEOUT', node: TopologyNode): Promise<T> {
  try {
    return await waitFor(probe, { interval: POLL_MS, timeout: timeoutMs });
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new NodeFailureError(code, `${node.name} (${node.address}) ${what} within ${timeoutMs / 1000}s (${error.lastReason})`, 'see the node\'s log; rerun the same command once it is fixed: the nodes already done are skipped');
    }
    throw error;
  }
}

/** Stops a launched node with SHUTDOWN SAVE: its RDB then holds the replication ID and offset it resumes from. */
async function shutdownSave(ctx: TurnContext, node: TopologyNode): Promise<void> {
  const paths = ctx.state.nodePaths(node.name);
  const pid = runningPid(paths);
  if (pid === null) throw new NodeFailureError('RESTART_FAILED', `${node.name} (${node.address}) answers, but rctl has no running process for it in ${paths.pid}`, 'it was started by something else: declare it launch: external and use --exec');
  const session = await open(ctx, node);
  try {
    // Success has no reply: the connection just closes. An error reply means it refused and still runs.
    const reply = await session.call(['SHUTDOWN', 'SAVE']).catch((error: unknown) => {
      if (error instanceof RctlError) return null;
      throw error;
    });
    if (reply instanceof ReplyError) throw new NodeFailureError('RESTART_FAILED', `${node.name} (${node.address}) refused SHUTDOWN SAVE: ${reply.text}`, 'it still runs; check its log (a failed save: disk full, permissions), then rerun');
  } finally {
    session.close();
  }
  await waitUntil('did not exit after SHUTDOWN SAVE', async () => (processAlive(pid) ? { done: false, reason: `pid ${pid} still running` } : { done: true, value: undefined }), ctx.timeoutMs, 'RESTART_TIMEOUT', node);
}

/** Starts a launched node (on `launch`), as a replica of its master so that its snapshot continues its history. */
async function start(ctx: TurnContext, node: TopologyNode, launch: { launch: 'embedded' | 'redis-server'; redisServer?: string }, overrides: string[]): Promise<void> {
  const paths = ctx.state.nodePaths(node.name);
  writeNodeConfig(node, paths, ctx.topology.password, { host: ctx.master.host, port: ctx.master.port });
  const child = startNodeProcess(launch.launch, paths, launch.redisServer, overrides);
  await awaitListening(node, paths, child, ctx.timeoutMs, { failed: 'RESTART_FAILED', timedOut: 'RESTART_FAILED' });
}

/** BGSAVE and its end, for a node whose stop by signal would save nothing. */
async function snapshotFirst(ctx: TurnContext, node: TopologyNode): Promise<void> {
  await withSession(ctx, node, async (session) => {
    const before = intField(await session.info('persistence'), 'rdb_last_save_time');
    await session.expect(['BGSAVE'], 'BGSAVE');
    await waitUntil(
      'did not finish BGSAVE',
      async () => {
        const info = await session.info('persistence');
        if (info.get('rdb_bgsave_in_progress') === '1' || intField(info, 'rdb_last_save_time') === before) return { done: false, reason: 'BGSAVE in progress' };
        if (info.get('rdb_last_bgsave_status') !== 'ok') throw new NodeFailureError('RESTART_FAILED', `${node.name} (${node.address}): BGSAVE failed`, 'check its log (disk full, permissions); nothing was restarted');
        return { done: true, value: undefined };
      },
      ctx.timeoutMs,
      'RESTART_TIMEOUT',
      node,
    );
  });
}

async function runIdOf(ctx: TurnContext, node: TopologyNode): Promise<string | null> {
  return withSession(ctx, node, async (session) => (await session.info('server')).get('run_id') ?? null);
}

/** The node answers again as a new process (another run_id) and has loaded its dataset. */
async function awaitNewProcess(ctx: TurnContext, node: TopologyNode, oldRunId: string | null): Promise<void> {
  await waitUntil(
    'did not come back',
    async () => {
      if (!(await portAnswers(node.host, node.port, 500))) return { done: false, reason: 'not accepting connections' };
      try {
        const info = await withSession(ctx, node, (session) => session.info('server'));
        if (info.get('run_id') === oldRunId) return { done: false, reason: 'still the old process' };
        return { done: true, value: undefined };
      } catch (error) {
        if (error instanceof RctlError) return { done: false, reason: error.message };
        throw error;
      }
    },
    ctx.timeoutMs,
    'RESTART_FAILED',
    node,
  );
}

function linkState(facts: ReplicationFacts, master: TopologyNode, masterOffset: number): string | null {
  if (facts.loading) return 'loading its dataset';
  if (!followsMaster(facts, master.host, master.port)) return `not a replica of ${master.name}`;
  if (facts.linkStatus !== 'up') return facts.syncInProgress ? 'full sync in progress' : 'link down';
  if (facts.offset === null || facts.offset < masterOffset) return `catching up (${Math.max(0, masterOffset - (facts.offset ?? 0))} bytes behind)`;
  return null;
}

/** Until the node is linked to its master and holds every byte the master had when asked; reports a full sync's bytes. */
async function awaitCaughtUp(ctx: TurnContext, node: TopologyNode): Promise<{ sawFullSync: boolean; version: string | null }> {
  let sawFullSync = false;
  const totals = new SyncTransferTotals();
  const master = await open(ctx, ctx.master);
  try {
    return await waitUntil(
      `did not link to ${ctx.master.name} and catch up`,
      async () => {
        const masterOffset = (await master.facts()).offset ?? 0;
        let info;
        try {
          info = await withSession(ctx, node, (session) => session.info());
        } catch (error) {
          if (error instanceof RctlError) return { done: false, reason: error.message };
          throw error;
        }
        const facts = replicationFacts(info);
        if (facts.syncInProgress) sawFullSync = true;
        const state = linkState(facts, ctx.master, masterOffset);
        if (state === null) return { done: true, value: { sawFullSync, version: info.get('redis_version') ?? null } };
        const transferred = totals.sum([{ name: node.name, transfer: facts.syncTransfer }]);
        if (transferred && transferred.done > 0) ctx.reporter.transfer(transferred.done, transferred.total);
        else ctx.reporter.update(state);
        return { done: false, reason: state };
      },
      ctx.timeoutMs,
      'RESTART_TIMEOUT',
      node,
    );
  } finally {
    master.close();
  }
}

/**
 * Turns the AOF back on after a start with --appendonly no: Redis rewrites it from the dataset in
 * a child (scheduled when another child runs). Until that rewrite succeeded the node's
 * durability is its RDB and its master, so the turn is not over before it.
 */
async function reenableAof(ctx: TurnContext, node: TopologyNode): Promise<void> {
  await withSession(ctx, node, async (session) => {
    await session.capabilities();
    await session.configSet([['appendonly', 'yes']]);
    await waitUntil(
      'did not finish rewriting its AOF',
      async () => {
        const info = await session.info('persistence');
        if (info.get('aof_rewrite_in_progress') === '1' || info.get('aof_rewrite_scheduled') === '1') return { done: false, reason: 'AOF rewrite in progress' };
        if (info.get('aof_last_bgrewrite_status') !== 'ok') {
          throw new NodeFailureError('RESTART_FAILED', `${node.name} (${node.address}): the AOF rewrite after CONFIG SET appendonly yes failed`, 'check its log (disk full, permissions); it runs without an AOF until `CONFIG SET appendonly yes` succeeds');
        }
        return { done: true, value: undefined };
      },
      ctx.timeoutMs,
      'RESTART_TIMEOUT',
      node,
    );
  });
}

function launchOf(node: TopologyNode): { launch: 'embedded' | 'redis-server'; redisServer?: string } {
  return { launch: node.launch as 'embedded' | 'redis-server', redisServer: node.redisServer };
}

/**
 * Restarts `node` per its plan entry. An upgraded node that does not start on the new binary is
 * started again on its old one, so the set is left as healthy as it was, and the error is raised.
 */
export async function restartNode(ctx: TurnContext, entry: RollingNodePlan, node: TopologyNode): Promise<RollingNodeResult> {
  const started = Date.now();
  const countersBefore = await masterCounters(ctx);
  const oldRunId = await runIdOf(ctx, node);
  let downAt = Date.now();
  let startError: RctlError | null = null;
  if (entry.method === 'launched') {
    ctx.reporter.update('SHUTDOWN SAVE');
    await shutdownSave(ctx, node);
    downAt = Date.now();
    const launch = ctx.target ?? launchOf(node);
    const overrides = entry.reenableAof ? LOAD_RDB_OVERRIDES : [];
    ctx.reporter.update(`starting ${launch.launch === 'embedded' ? 'the bundled node' : launch.redisServer ?? 'redis-server'}`);
    try {
      await start(ctx, node, launch, overrides);
    } catch (error) {
      if (!(error instanceof RctlError) || !ctx.target) throw error;
      startError = error;
      ctx.reporter.warn(`${node.name} did not start on the new version (${error.message}); starting it again as it was`);
      await start(ctx, node, launchOf(node), overrides);
    }
  } else {
    if (entry.commands[0].startsWith('BGSAVE')) {
      ctx.reporter.update('BGSAVE');
      await snapshotFirst(ctx, node);
    }
    ctx.reporter.update(entry.commands.at(-2) as string);
    downAt = Date.now();
    await runExecTemplate(ctx.exec as string, node, ctx.timeoutMs);
  }
  await awaitNewProcess(ctx, node, oldRunId);
  const upAt = Date.now();
  const { sawFullSync, version } = await awaitCaughtUp(ctx, node);
  if (entry.reenableAof) {
    ctx.reporter.update('CONFIG SET appendonly yes');
    await reenableAof(ctx, node);
  }
  const countersAfter = await masterCounters(ctx);
  const full = countersAfter.full - countersBefore.full;
  const result: RollingNodeResult = {
    name: node.name,
    address: node.address,
    skipped: false,
    ms: Date.now() - started,
    downMs: upAt - downAt,
    resync: full > 0 || sawFullSync ? 'full' : countersAfter.partial > countersBefore.partial ? 'partial' : 'none',
    versionBefore: entry.versionBefore,
    versionAfter: version,
  };
  if (startError) throw startError;
  return result;
}
