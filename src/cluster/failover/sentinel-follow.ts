// After the sentinels promoted the candidate (sentinel-steering.ts has the whole story): the old
// master's clients dropped, the wait until every sentinel agrees, and the replicas they left alone.

import { performance } from 'node:perf_hooks';
import { RctlError } from '../../errors';
import { sameAddress, type TopologyNode } from '../../topology/model';
import { flagsOf, masterAddressByName, monitoredMaster } from '../../node/sentinel';
import { waitFor, WaitTimeoutError } from '../../node/wait';
import type { NodeState } from './inspect';
import { SENTINEL_POLL_MS } from './sentinel-run';
import { labelAt, reopen, sentinelOf } from './sentinel-steering';
import { sessionOf } from './waits';
import type { SwitchRun } from './switch-run';

// What Sentinel sends a master it demotes, so that clients ask the sentinels again.
const DISCONNECT_KILL = [
  ['CLIENT', 'KILL', 'TYPE', 'normal'],
  ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
] as const;

const describeNode = (node: TopologyNode) => `${node.name} (${node.address})`;

/** The old master, a replica of the new one now: its clients are dropped so that those following Sentinel ask again, as Sentinel does. */
export async function disconnectOldClients(run: SwitchRun): Promise<void> {
  const master = run.master;
  if (!master || !run.repointed.includes(run.plan.from)) return;
  await run.log
    .run('disconnect clients', run.plan.from.node.name, () => Promise.all(DISCONNECT_KILL.map((command) => master.call([...command]))))
    .catch((error: unknown) => {
      if (!(error instanceof RctlError)) throw error;
      run.warn(`${run.plan.from.node.name}'s clients could not be disconnected (${error.message}): clients still connected to it get -READONLY on writes`);
    });
}

/** Every sentinel that answers names the new master, and none is failing over (ends when Sentinel has reconfigured the replicas). */
export async function awaitSentinelAgreement(run: SwitchRun): Promise<void> {
  const sentinels = sentinelOf(run);
  const { set } = sentinels.plan;
  const to = run.plan.to.node;
  await run.log
    .run('sentinels agree', to.name, () =>
      waitFor(
        async () => {
          const views = await Promise.all(
            set.nodes.map(async (sentinel) => {
              try {
                const session = await sentinels.session(sentinel);
                const [named, master] = await Promise.all([masterAddressByName(session, set.masterName), monitoredMaster(session, set.masterName)]);
                return { sentinel, named, busy: master ? flagsOf(master).includes('failover_in_progress') : false };
              } catch (error) {
                if (!(error instanceof RctlError)) throw error;
                sentinels.drop(sentinel);
                return null;
              }
            }),
          );
          const answering = views.filter((v) => v !== null);
          const naming = answering.filter((v) => v.named && sameAddress(v.named.host, v.named.port, to.host, to.port));
          if (naming.length === answering.length && naming.length >= set.quorum) sentinels.agreedAt ??= performance.now();
          else {
            const other = answering.filter((v) => !naming.includes(v)).map((v) => `${v.sentinel.name} names ${v.named ? labelAt(run, v.named.host, v.named.port) : 'nothing'}`);
            return { done: false, reason: `${naming.length} of ${answering.length} answering sentinels name ${to.name} (quorum ${set.quorum})${other.length > 0 ? `: ${other.join(', ')}` : ''}` };
          }
          const busy = answering.filter((v) => v.busy).map((v) => v.sentinel.name);
          if (busy.length > 0) return { done: false, reason: `${busy.join(', ')} still reconfiguring the replicas` };
          return { done: true, value: undefined };
        },
        { interval: SENTINEL_POLL_MS, timeout: run.options.waitMs },
      ),
    )
    .catch((error: unknown) => {
      if (!(error instanceof WaitTimeoutError)) throw error;
      run.failures.push({
        node: to.name,
        address: to.address,
        what: 'the sentinels agreeing',
        error: `not within ${run.options.waitMs / 1000}s: ${error.lastReason}`,
        fix: '`rctl status` shows each sentinel\'s view; a sentinel that names the old master catches up from the others\' hello messages once it reaches the nodes',
      });
    });
}

/**
 * After the sentinels agree: fresh sessions to the nodes Sentinel reconfigured (it killed their
 * clients, rctl's too), and the replicas it left alone pointed at the new master by rctl.
 * Returns the replicas to point at it (the caller repoints them with its usual step).
 */
export async function replicasAfterSentinels(run: SwitchRun): Promise<{ linked: NodeState[]; stray: NodeState[] }> {
  const { to, from } = run.plan;
  const linked: NodeState[] = [];
  const stray: NodeState[] = [];
  await reopen(run, to).catch((error: unknown) => {
    if (!(error instanceof RctlError)) throw error;
  });
  await Promise.all(
    run.plan.repoint
      .filter((state) => state !== from)
      .map(async (state) => {
        try {
          await reopen(run, state);
          const facts = await sessionOf(state).facts();
          if (facts.role === 'replica' && facts.masterHost !== null && facts.masterPort !== null && sameAddress(facts.masterHost, facts.masterPort, to.node.host, to.node.port)) linked.push(state);
          else stray.push(state);
        } catch (error) {
          if (!(error instanceof RctlError)) throw error;
          run.warn(`${describeNode(state.node)} could not be reached after the sentinels' failover (${error.message}): \`rctl up\` repoints it`);
        }
      }),
  );
  return { linked, stray };
}

