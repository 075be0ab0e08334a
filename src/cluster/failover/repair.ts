// Repairs what an interrupted switch (rctl killed, the old master cut off by a partition) left on
// the old master, from switch.json: writes paused until the pause deadline, the replication PING
// period raised (its replicas would time out whenever there are no writes) and possibly the fence
// (min-replicas-to-write: it refuses every write).
//
// The fence is what keeps a second master from taking writes, so it is lifted only where that
// cannot happen: on a node that is a replica now, or on the recorded master when no other node
// of the topology is a master. An old master still fenced beside the new one waits for `rctl up`
// to rejoin it as a replica; up then calls this again.

import type { Topology } from '../../topology/model';
import { NodeSession } from '../node-session';
import { observeTopology } from '../observe';
import { abandonedSwitch, clearSwitchRecord, describeLeftover, type SwitchRecord } from './switch-record';
import { restoreArgs } from './switch-settings';

export interface RepairOptions {
  /** Say nothing when the node still waits to be rejoined: the caller is about to rejoin it. */
  quietWhileRejoining?: boolean;
}

/** Lifts what an interrupted switch left on the old master; returns the node it repaired, if any. */
export async function repairInterruptedFailover(topology: Topology, home: string, timeoutMs: number, warn: (text: string) => void, options: RepairOptions = {}): Promise<string | null> {
  const record = abandonedSwitch(topology, home);
  if (!record) return null;
  const { node } = record;
  const address = `${node.host}:${node.port}`;
  const label = node.name || address;
  const origin = `an interrupted failover (pid ${record.pid}, started ${record.startedAt})`;
  let session: NodeSession | null = null;
  try {
    session = await NodeSession.open(
      { name: label, host: node.host, port: node.port, address, tls: topology.tls },
      { password: topology.password, passwordSource: topology.passwordSource, timeoutMs },
    );
    const facts = await session.facts();
    if (facts.role === 'master') {
      const blocker = await otherMaster(topology, node, timeoutMs, topology.master.name !== node.name);
      if (blocker) {
        if (!(options.quietWhileRejoining && blocker.rejoining)) warn(`${origin} left ${label} ${describeLeftover(record)}; it stays so while ${blocker.reason}: \`rctl up\` rejoins it as a replica and then restores it`);
        return null;
      }
    }
    await session.expect(['CLIENT', 'UNPAUSE'], 'CLIENT UNPAUSE');
    await session.expect(restoreArgs(record.restore), 'CONFIG SET');
    clearSwitchRecord(home, topology.name);
    warn(`repaired ${origin}: writes resumed on ${label} and ${Object.entries(record.restore).map(([name, value]) => `${name} ${value}`).join(', ')} restored`);
    return label;
  } catch (error) {
    warn(`${origin} left ${label} ${describeLeftover(record)}, and it could not be reached to repair it: ${(error as Error).message}`);
    return null;
  } finally {
    session?.close();
  }
}

/** Why the old master must stay fenced, if it must: another node is (or is recorded as) the master. */
async function otherMaster(topology: Topology, node: SwitchRecord['node'], timeoutMs: number, declaredReplica: boolean): Promise<{ reason: string; rejoining: boolean } | null> {
  if (declaredReplica) return { reason: `${topology.master.name} is the recorded master`, rejoining: true };
  const others = topology.nodes.filter((n) => !(n.host === node.host && n.port === node.port));
  const observed = await observeTopology({ ...topology, nodes: others }, { timeoutMs });
  const masters = observed.filter((o) => o.facts?.role === 'master').map((o) => o.node.name);
  return masters.length > 0 ? { reason: `${masters.join(' and ')} ${masters.length === 1 ? 'is' : 'are'} a master too`, rejoining: false } : null;
}
