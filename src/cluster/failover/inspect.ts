// What a failover needs to know about every node before it changes anything: reachability,
// its version's capabilities, replication facts, replica-priority, whether masterauth is already
// right, and the settings a switch changes on the master (switch-settings.ts, restored after).
// One pipelined round trip per node (CONFIG GET one name per call, which every version takes),
// all nodes in parallel, each session kept open for the execution.

import { performance } from 'node:perf_hooks';
import { RctlError } from '../../errors';
import type { Capabilities } from '../../node/capabilities';
import type { Topology, TopologyNode } from '../../topology/model';
import { intField, replicationFacts, type InfoFields, type ReplicationFacts } from '../../node/info';
import { NodeSession } from '../../node/node-session';
import { ReplyError } from '../../node/resp';
import { SWITCH_SETTINGS, withDefaults, type SwitchSettings } from './switch-settings';

export interface NodeState {
  node: TopologyNode;
  /** Open when the node answered; closed by closeStates(). */
  session: NodeSession | null;
  error: RctlError | null;
  info: InfoFields | null;
  facts: ReplicationFacts | null;
  /** replica-priority: the topology's, else the node's own (INFO slave_priority on replicas). */
  priority: number | null;
  /** masterauth already holds the topology's password, or there is no password, or it replicates as an ACL user (masteruser). */
  masterauthOk: boolean;
  /** The settings a switch changes, as the node reports them (Redis defaults where it does not). */
  settings: SwitchSettings;
  /** Why the settings could not be read (CONFIG GET refused): a switch could not restore them. */
  settingsError: string | null;
  /** What its version can do; null when it could not be read. */
  capabilities: Capabilities | null;
  /** One round trip to the node, measured with PING (sizes a pause that cannot be ended early). */
  rttMs: number;
}

// A node that does not answer at all is "unreachable": the only case a failover treats as a dead
// master without --force. A wrong password, a loading node or a foreign server answer, so they
// are not dead: promoting a replica beside them could make two masters.
const RTT_SAMPLES = 3;

export const UNREACHABLE_CODES = new Set(['NODE_REFUSED', 'NODE_UNREACHABLE', 'NODE_TIMEOUT', 'NODE_CLOSED']);

export function isUnreachable(state: NodeState): boolean {
  return state.error !== null && UNREACHABLE_CODES.has(state.error.code);
}

async function inspectNode(topology: Topology, node: TopologyNode, timeoutMs: number): Promise<NodeState> {
  const state: NodeState = {
    node,
    session: null,
    error: null,
    info: null,
    facts: null,
    priority: node.priority ?? null,
    masterauthOk: true,
    settings: withDefaults({}),
    settingsError: null,
    capabilities: null,
    rttMs: 0,
  };
  try {
    // The inspection has one bound per node; the switch that follows has per-reply limits only.
    state.session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs, deadline: Date.now() + timeoutMs });
    const session = state.session;
    // Pipelined: the replies come back in one round trip.
    const [info, masterauth, replicationUser, settings] = await Promise.all([
      session.info(),
      session.configGet('masterauth').catch((error: unknown) => (error instanceof RctlError ? null : Promise.reject(error))),
      session.replicationUser().catch((error: unknown) => (error instanceof RctlError ? null : Promise.reject(error))),
      session.configGetMany(SWITCH_SETTINGS).catch((error: unknown) => (error instanceof RctlError ? error : Promise.reject(error))),
    ]);
    // The quickest of a few: under load one PING may wait behind other clients' commands.
    state.rttMs = Infinity;
    for (let i = 0; i < RTT_SAMPLES; i++) {
      const pingStart = performance.now();
      await session.call(['PING']);
      state.rttMs = Math.min(state.rttMs, performance.now() - pingStart);
    }
    state.info = info;
    state.facts = replicationFacts(info);
    state.capabilities = await session.supportedCapabilities();
    if (state.facts.loading) throw session.replyFailure(new ReplyError('LOADING Redis is loading the dataset in memory'), 'INFO');
    state.priority = node.priority ?? intField(info, 'slave_priority') ?? intField(info, 'replica_priority');
    const password = topology.password;
    // A node replicating as an ACL user keeps that user's password as masterauth: never touched.
    state.masterauthOk = password === null || replicationUser !== null || (masterauth !== null && password.equals(masterauth));
    if (settings instanceof RctlError) state.settingsError = settings.message;
    else state.settings = withDefaults(settings);
    session.endDeadline();
  } catch (error) {
    if (!(error instanceof RctlError)) throw error;
    state.session?.close();
    state.session = null;
    state.facts = null;
    state.error = error;
  }
  return state;
}

export function inspectTopology(topology: Topology, timeoutMs: number): Promise<NodeState[]> {
  return Promise.all(topology.nodes.map((node) => inspectNode(topology, node, timeoutMs)));
}

export function closeStates(states: NodeState[]): void {
  for (const state of states) state.session?.close();
}

/** sync_full and sync_partial_ok of a node (INFO stats). */
export interface SyncCounters {
  full: number;
  partial: number;
}

export function syncCounters(info: InfoFields): SyncCounters {
  return { full: intField(info, 'sync_full') ?? 0, partial: intField(info, 'sync_partial_ok') ?? 0 };
}
