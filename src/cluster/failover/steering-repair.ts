// Puts back the replica priorities an interrupted switchover through the sentinels left steered
// (rctl killed between steering and restoring them). Always safe: a priority only guides the
// sentinels' next choice, so it is restored on any node that answers, whatever its role.

import { RctlError } from '../../errors';
import type { Topology } from '../../topology/model';
import { NodeSession } from '../../node/node-session';
import { processAlive } from '../../state/pid';
import { readSteeringRecord, writeSteeringRecord, type SteeredNode } from '../../state/steering-record';
import type { TopologyState } from '../../state/topology-state';
import { persistConfig } from '../persist-config';

/** Restores what it can; what does not answer stays recorded for the next `rctl up`. */
export async function repairSteering(topology: Topology, state: TopologyState, timeoutMs: number, warn: (text: string) => void): Promise<void> {
  const record = readSteeringRecord(state);
  // A failover that is still running puts them back itself.
  if (!record || (record.pid !== process.pid && processAlive(record.pid))) return;
  const left: SteeredNode[] = [];
  for (const node of record.nodes) {
    const address = `${node.host}:${node.port}`;
    let session: NodeSession | null = null;
    try {
      session = await NodeSession.open({ name: node.name, host: node.host, port: node.port, address, tls: topology.tls }, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs });
      await session.supportedCapabilities();
      await session.configSet([['replica-priority', String(node.priority)]]);
      const declared = topology.nodes.find((n) => n.name === node.name);
      const persisted = await persistConfig(topology, declared ?? { name: node.name, address }, session, state);
      if (persisted !== true) warn(persisted);
      warn(`put back replica-priority ${node.priority} on ${node.name}, left steered by an interrupted switchover through the sentinels (pid ${record.pid}, started ${record.startedAt})`);
    } catch (error) {
      if (!(error instanceof RctlError)) throw error;
      left.push(node);
      warn(`an interrupted switchover through the sentinels left ${node.name} (${address}) with replica-priority steered, and it cannot be put back now (${error.message}): \`rctl up\` retries`);
    } finally {
      session?.close();
    }
  }
  writeSteeringRecord(state, { ...record, nodes: left });
}
