// Repairs what an interrupted switch (rctl killed, the old master cut off by a partition) left on
// an old master, from its switch-<node>.json: writes paused until the pause deadline, the
// replication PING period raised (its replicas would time out whenever there are no writes) and
// possibly the fence (min-replicas-to-write: it refuses every write).
//
// The fence is what keeps a second master from taking writes, so it is lifted only where that
// cannot happen: on a node that is a replica now, or on the recorded master when no other node of
// the topology answers as a master and, if the switch got as far as promoting its candidate, the
// candidate answers as a replica. An old master still fenced beside the new one waits for `rctl up`
// to rejoin it as a replica; up then calls this again.

import { RctlError } from '../../errors';
import type { Topology } from '../../topology/model';
import { unpauseCommand } from '../../node/capabilities';
import { redisCliCommand } from '../fix-command';
import { NodeSession } from '../../node/node-session';
import { observeTopology } from '../observe';
import { persistConfig } from '../persist-config';
import { UNREACHABLE_CODES } from './inspect';
import { START_ACTIVE_EXPIRE } from './pause';
import { abandonedSwitches, clearSwitchRecord, describeLeftover, switchOrigin, writeSwitchRecord, type SwitchRecord } from '../../state/switch-record';
import { repairSteering } from './steering-repair';
import { restoreSettings } from './switch-settings';
import type { TopologyState } from '../../state/topology-state';

export interface RepairOptions {
  /** Say nothing when a node still waits to be rejoined: the caller is about to rejoin it. */
  quietWhileRejoining?: boolean;
}

export interface RepairOutcome {
  /** Nodes whose leftovers were lifted. */
  repaired: string[];
  /** Records still standing: the node could not be reached, or must stay fenced for now. */
  left: SwitchRecord[];
  /** Nodes that answered and refused the repair: the server's own error and the command that fixes it. */
  refused: Array<{ node: string; error: string; fix: string }>;
}

/** Lifts what interrupted switches left on old masters. */
export async function repairInterruptedFailover(topology: Topology, state: TopologyState, timeoutMs: number, warn: (text: string) => void, options: RepairOptions = {}): Promise<RepairOutcome> {
  const outcome: RepairOutcome = { repaired: [], left: [], refused: [] };
  for (const record of abandonedSwitches(state)) {
    const result = await repairOne(topology, state, record, timeoutMs, warn, options);
    if (result === true) outcome.repaired.push(record.node.name);
    else {
      outcome.left.push(record);
      if (result !== false) outcome.refused.push({ node: record.node.name, ...result });
    }
  }
  await repairSteering(topology, state, timeoutMs, warn);
  return outcome;
}

/** true: repaired; false: not now (unreachable, or it must stay fenced); else the node refused it. */
async function repairOne(topology: Topology, state: TopologyState, record: SwitchRecord, timeoutMs: number, warn: (text: string) => void, options: RepairOptions): Promise<boolean | { error: string; fix: string }> {
  const { node } = record;
  const address = `${node.host}:${node.port}`;
  const label = node.name || address;
  const origin = switchOrigin(record);
  let session: NodeSession | null = null;
  try {
    session = await NodeSession.open(
      { name: label, host: node.host, port: node.port, address, tls: topology.tls },
      { password: topology.password, passwordSource: topology.passwordSource, timeoutMs },
    );
    const facts = await session.facts();
    if (facts.role === 'master') {
      const blocker = await whyStayFenced(topology, record, timeoutMs);
      if (blocker) {
        if (!(options.quietWhileRejoining && blocker.rejoining)) warn(`${origin} left ${label} ${describeLeftover(record)}; it stays so while ${blocker.reason}: ${blocker.next}`);
        return false;
      }
    }
    // Settings first, pipelined ahead of the unpause: writes the pause held must not meet the fence.
    const capabilities = await session.supportedCapabilities();
    const settings = restoreSettings(record.restore);
    const unpause = unpauseCommand(capabilities);
    const replies = await Promise.allSettled([
      session.configSet(settings),
      ...(record.activeExpireStopped ? [session.expect(START_ACTIVE_EXPIRE, 'DEBUG SET-ACTIVE-EXPIRE 1')] : []),
      ...(unpause ? [session.expect(unpause, 'CLIENT UNPAUSE')] : []),
    ]);
    const refused = replies.find((reply): reply is PromiseRejectedResult => reply.status === 'rejected');
    if (refused) throw refused.reason;
    clearSwitchRecord(state, node.name);
    warn(`repaired ${origin}: ${unpause ? 'writes resumed on' : 'writes accepted again by'} ${label} and ${settings.map(([name, value]) => `${name} ${value}`).join(', ')} restored`);
    // Its file may hold the fence (rewritten while it was fenced) or an old role: write it as it is now.
    const declared = topology.nodes.find((n) => n.name === node.name);
    const persisted = await persistConfig(topology, declared ?? { name: label, address }, session, state);
    if (persisted !== true) warn(persisted);
    return true;
  } catch (error) {
    if (!(error instanceof RctlError)) throw error;
    if (UNREACHABLE_CODES.has(error.code)) {
      warn(`${origin} left ${label} ${describeLeftover(record)}, and it could not be reached to repair it: ${error.message}`);
    } else if (error.code === 'NODE_COMMAND_FAILED') {
      // It answered and refused the restore: say what it said and what fixes it, and keep it for `rctl status`.
      writeSwitchRecord(state, { ...record, failure: error.message });
      const fix = restoreSettings(record.restore).map(([name, value]) => redisCliCommand(topology, node, ['CONFIG', 'SET', name, value])).join(' && ');
      warn(`${origin} left ${label} ${describeLeftover(record)}, and the repair failed: ${error.message}; to fix it by hand: ${fix}`);
      return { error: error.message, fix };
    } else {
      // Loading, a wrong password, a version rctl does not manage: not a refusal of the repair, which waits.
      warn(`${origin} left ${label} ${describeLeftover(record)}, and it cannot be repaired now: ${error.message}`);
    }
    return false;
  } finally {
    session?.close();
  }
}

/** Why an old master that is still a master must keep its fence, if it must, and what lifts it. */
async function whyStayFenced(topology: Topology, record: SwitchRecord, timeoutMs: number): Promise<{ reason: string; next: string; rejoining: boolean } | null> {
  const { node } = record;
  if (topology.master.name !== node.name) {
    return { reason: `${topology.master.name} is the recorded master`, next: '`rctl up` rejoins it as a replica and then restores it', rejoining: true };
  }
  const others = topology.nodes.filter((n) => n.name !== node.name);
  const observed = await observeTopology({ ...topology, nodes: others }, { timeoutMs });
  const masters = observed.filter((o) => o.facts?.role === 'master').map((o) => o.node.name);
  if (masters.length > 0) {
    const which = masters.join(' and ');
    return {
      reason: `${which} ${masters.length === 1 ? 'is' : 'are'} a master too`,
      next: `\`rctl up\` makes ${which} its ${masters.length === 1 ? 'replica' : 'replicas'} (asking before discarding writes) and then restores it`,
      rejoining: false,
    };
  }
  if (record.stage === 'promoting') {
    // The promotion went out unanswered: unless the candidate says it is a replica, it may be
    // taking writes where rctl cannot see it.
    const candidate = observed.find((o) => o.node.name === record.candidate);
    if (!candidate?.facts) {
      const name = record.candidate || 'the candidate';
      return { reason: `${name}, which it was promoting, cannot be reached and may be a master`, next: `once ${name} answers, \`rctl up\` sorts the roles out and then restores it`, rejoining: false };
    }
  }
  return null;
}
