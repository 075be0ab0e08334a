// The stages after the promotion: from here the candidate is the master whatever else happens,
// so nothing is rolled back. A node that cannot be repointed is left for `rctl up`; a step that
// failed is collected and ends the command with exit 4 once the rest is done.

import { performance } from 'node:perf_hooks';
import { RctlError } from '../../errors';
import { redisCliCommand } from '../fix-command';
import { persistConfig } from '../persist-config';
import { FailoverError, refusedByNode } from './failover-error';
import type { NodeState } from './inspect';
import { recordRoles } from './roles';
import { awaitSentinelAgreement, disconnectOldClients, replicasAfterSentinels } from './sentinel-follow';
import { restorePriorities } from './sentinel-steering';
import { readCounters } from './stages';
import { describeFailures } from './step-failures';
import { roundMs } from './steps';
import type { SwitchRun } from './switch-run';
import type { FailoverJson } from './types';
import { sessionOf, waitLinked } from './waits';

/** The old master is a replica now: its held writes get -READONLY instead of being lost. */
async function resumeWrites(run: SwitchRun): Promise<void> {
  const { from } = run.plan;
  await run.log.run('resume writes', from.node.name, () => run.restoreMaster()).catch((error: unknown) => {
    // Refused or unanswered, the step failed: the switch stands, the command does not pass.
    if (!(error instanceof RctlError)) throw error;
    run.failures.push(run.restoreFailure(error, `restoring ${run.restore.map(([name, value]) => `${name} ${value}`).join(', ')}`));
  });
}

async function repointOne(run: SwitchRun, state: NodeState): Promise<void> {
  const { from, to } = run.plan;
  try {
    await run.log.run('repoint', state.node.name, () => sessionOf(state).expect(['REPLICAOF', to.node.host, to.node.port], 'REPLICAOF'));
    run.repointed.push(state);
  } catch (error) {
    if (!(error instanceof RctlError)) throw error;
    if (refusedByNode(error)) {
      run.failures.push({ node: state.node.name, address: state.node.address, what: `REPLICAOF ${to.node.host} ${to.node.port}`, error: error.message, fix: '`rctl up` repoints it' });
    }
    if (state === from) {
      // Fenced, so it cannot take a write: the switch stands and the node rejoins later.
      run.leftFenced.push(state);
      run.warn(`${from.node.name} could not be made a replica of ${to.node.name} (${error.message}): it stays fenced, refusing every write, until \`rctl up\` rejoins it and restores its settings`);
    } else {
      run.warn(`${state.node.name} could not be pointed at ${to.node.name}: ${error.message}; \`rctl up\` repoints it`);
    }
    return;
  }
  if (state === from) await resumeWrites(run);
}

/**
 * Every other node, the old master alongside: from the fence until its demotion it answers new
 * writes with -NOREPLICAS, so that window stays one round trip. (A replica it drops on its
 * demotion may reconnect to it for a moment; its own REPLICAOF, in flight, moves it on with a
 * partial resync.)
 */
export async function repoint(run: SwitchRun): Promise<void> {
  await Promise.all(run.plan.repoint.map((state) => repointOne(run, state)));
  recordLeftFenced(run);
}

/**
 * After the sentinels promoted the candidate: rctl points the old master's other replicas at it
 * first, then makes the old master its replica (Sentinel would only get to either seconds later)
 * and drops the old master's clients; once every sentinel agrees, any replica that does not follow
 * the new master by then is repointed, and every steered priority is put back before the configs
 * are rewritten.
 *
 * The order matters. A master turned into a replica drops its own replicas, which reconnect to it
 * at once; Redis 6.2 answering that reconnection while it runs its own PSYNC makes the replica
 * fail to read the reply, discard its cached master and ask for a full resync (seen in 1 of 6
 * switches under load). With the other replicas moved first, the old master has none to drop.
 * Sentinel's own REPLICAOF to them later finds them already connected and changes nothing.
 */
export async function followSentinels(run: SwitchRun): Promise<void> {
  const { from } = run.plan;
  const others = run.plan.repoint.filter((state) => state !== from);
  await Promise.all(others.map((state) => repointOne(run, state)));
  if (run.plan.repoint.includes(from)) {
    await repointOne(run, from);
    await disconnectOldClients(run);
  }
  await awaitSentinelAgreement(run);
  const { linked, stray } = await replicasAfterSentinels(run);
  run.repointed.push(...linked.filter((state) => !run.repointed.includes(state)));
  await Promise.all(stray.map((state) => repointOne(run, state)));
  for (const left of await restorePriorities(run)) {
    run.failures.push({ node: left.state.node.name, address: left.state.node.address, what: `restoring replica-priority ${left.priority}`, error: left.error, fix: `${redisCliCommand(run.plan.topology, left.state.node, ['CONFIG', 'SET', 'replica-priority', String(left.priority)])}   (or \`rctl up\`)` });
  }
  recordLeftFenced(run);
}

function recordLeftFenced(run: SwitchRun): void {
  // An old master that could not be demoted rejoins with `rctl up`: the record says so.
  if (run.leftFenced.length > 0) {
    const roles = recordRoles(run.plan, run.options.state, run.leftFenced.map((state) => state.node.name));
    if (roles.warning) run.warn(roles.warning);
  }
}

/** CONFIG REWRITE on the new master and every repointed node, while the links come up. */
async function persist(run: SwitchRun): Promise<void> {
  const { topology, to } = run.plan;
  await Promise.all(
    [to, ...run.repointed].map(async (state) => {
      if (!state.facts?.configFile) {
        run.warn(`${state.node.name} (${state.node.address}) runs without a config file: the change is live but will not survive a restart`);
        return;
      }
      const persisted = await run.log.run('persist config', state.node.name, () => persistConfig(topology, state.node, sessionOf(state), run.options.state), (result) => result === true);
      if (persisted !== true) {
        run.failures.push({ node: state.node.name, address: state.node.address, what: 'CONFIG REWRITE', error: persisted, fix: redisCliCommand(topology, state.node, ['CONFIG', 'REWRITE']) });
      }
    }),
  );
}

/** Persists the change and waits for every repointed node's link, side by side. */
export async function persistAndLink(run: SwitchRun): Promise<void> {
  const { to } = run.plan;
  run.log.announce(`waiting for ${run.repointed.map((s) => s.node.name).join(', ') || 'nothing'} to link to ${to.node.name}`);
  try {
    await Promise.all([persist(run), ...run.repointed.map((state) => run.log.run('link up', state.node.name, () => waitLinked(state, to, run.options.waitMs)))]);
  } catch (error) {
    // A link that did not come up must not hide a step that failed before it.
    const { failures } = run;
    const also = failures.length > 0 ? `; also ${describeFailures(failures)} (${failures.map((f) => `${f.node}: ${f.fix}`).join('; ')})` : '';
    const wrapped = FailoverError.wrap(error, run.log.steps, `${to.node.name} is the master now, but: `);
    throw also ? new FailoverError(wrapped.code, wrapped.message + also, run.log.steps, wrapped.suggestion, wrapped.exitCode) : wrapped;
  }
}

/** No step failed, and how each node resynced: the report of a switch that stands. */
export async function verify(run: SwitchRun): Promise<FailoverJson> {
  const { plan, failures } = run;
  const { from, to } = plan;
  const durationMs = roundMs(performance.now() - run.options.startedAt);
  if (run.readOnly.length > 0 && run.repointed.includes(from)) {
    run.warn(
      `${from.node.name} had replica-read-only ${run.original['replica-read-only']}: it stays read-only, so that clients still connected to it get -READONLY instead of having writes acknowledged and lost; \`CONFIG SET replica-read-only ${run.original['replica-read-only']}\` on it makes it a writable replica again`,
    );
  }
  if (failures.length > 0) {
    const restoreFailed = failures.some((f) => f.node === from.node.name && f.what.startsWith('restoring'));
    throw new FailoverError(
      restoreFailed ? 'RESTORE_FAILED' : 'FAILOVER_STEP_FAILED',
      `${to.node.name} is the master now, but ${describeFailures(failures)}`,
      run.log.steps,
      failures.map((f) => `${f.node}: ${f.fix}`).join('; '),
    );
  }
  const after = await readCounters(run.reachable);
  let fullResyncs = 0;
  let partialResyncs = 0;
  for (const [name, counters] of after) {
    const base = run.countersBefore.get(name);
    if (!base) continue;
    fullResyncs += Math.max(0, counters.full - base.full);
    partialResyncs += Math.max(0, counters.partial - base.partial);
  }
  const paused = run.pausedAt !== null && run.resumedAt !== null ? roundMs(run.resumedAt - run.pausedAt) : 0;
  return {
    from: from.node.name,
    to: to.node.name,
    mode: plan.mode,
    steps: run.log.steps,
    fullResyncs,
    partialResyncs,
    writesPausedMs: paused,
    // Before 6.2 the pause held reads too, until the demotion (queued behind it) got its answer.
    readsPausedMs: run.hold?.kind === 'pause-and-demote' ? paused : 0,
    durationMs,
  };
}
