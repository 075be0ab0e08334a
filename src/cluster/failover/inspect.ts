// What a failover needs to know about every node before it changes anything: reachability,
// replication facts, replica-priority, whether masterauth is already right, and the settings a
// switch changes on the master (switch-settings.ts, restored after). One pipelined round trip
// per node, all nodes in parallel, each session kept open for the execution.

import { RctlError } from '../../errors';
import type { Topology, TopologyNode } from '../../topology/model';
import { intField, parseInfo, replicationFacts, type InfoFields, type ReplicationFacts } from '../info';
import { NodeSession } from '../node-session';
import { ReplyError, type RespValue } from '../resp';
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
  /** masterauth already holds the topology's password, or there is no password. */
  masterauthOk: boolean;
  /** The settings a switch changes, as the node reports them (Redis defaults where it does not). */
  settings: SwitchSettings;
}

// A node that does not answer at all is "unreachable": the only case a failover treats as a dead
// master without --force. A wrong password, a loading node or a foreign server answer, so they
// are not dead: promoting a replica beside them could make two masters.
const UNREACHABLE_CODES = new Set(['NODE_REFUSED', 'NODE_UNREACHABLE', 'NODE_TIMEOUT', 'NODE_CLOSED']);

export function isUnreachable(state: NodeState): boolean {
  return state.error !== null && UNREACHABLE_CODES.has(state.error.code);
}

function configValue(reply: RespValue, name: string): string | null {
  if (!Array.isArray(reply)) return null;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    if (String(reply[i]).toLowerCase() === name && typeof reply[i + 1] === 'string') return reply[i + 1] as string;
  }
  return null;
}

async function inspectNode(topology: Topology, node: TopologyNode, timeoutMs: number): Promise<NodeState> {
  const state: NodeState = { node, session: null, error: null, info: null, facts: null, priority: node.priority ?? null, masterauthOk: true, settings: withDefaults({}) };
  try {
    state.session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs });
    const session = state.session;
    // Pipelined: the three replies come back in one round trip.
    const [info, masterauth, settings] = await Promise.all([
      session.expect(['INFO'], 'INFO'),
      session.call(['CONFIG', 'GET', 'masterauth']),
      session.call(['CONFIG', 'GET', ...SWITCH_SETTINGS]),
    ]);
    if (typeof info !== 'string') throw new Error(`unexpected INFO reply from ${node.name}`);
    state.info = parseInfo(info);
    state.facts = replicationFacts(state.info);
    if (state.facts.loading) throw session.replyFailure(new ReplyError('LOADING Redis is loading the dataset in memory'), 'INFO');
    state.priority = node.priority ?? intField(state.info, 'slave_priority');
    const password = topology.password;
    state.masterauthOk = password === null || (!(masterauth instanceof ReplyError) && password.equals(configValue(masterauth, 'masterauth') ?? ''));
    if (!(settings instanceof ReplyError)) state.settings = withDefaults(Object.fromEntries(SWITCH_SETTINGS.map((name) => [name, configValue(settings, name)])));
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
