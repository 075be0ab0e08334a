// Opens authenticated sessions to several nodes at once, failing with the first node's error
// (in file order) and closing the others, and waits out nodes that are still loading.

import { NodeFailureError } from '../errors';
import type { Topology, TopologyNode } from '../topology/model';
import type { ReplicationFacts } from './info';
import { NodeSession } from './node-session';
import { waitFor, WaitTimeoutError } from './wait';

export class SessionSet {
  constructor(readonly sessions: Map<string, NodeSession>) {}

  get(node: TopologyNode): NodeSession {
    const session = this.sessions.get(node.name);
    if (!session) throw new Error(`no session for ${node.name}`);
    return session;
  }

  closeAll(): void {
    for (const session of this.sessions.values()) session.close();
  }
}

export async function openSessions(topology: Topology, nodes: TopologyNode[], timeoutMs: number): Promise<SessionSet> {
  const settled = await Promise.allSettled(
    nodes.map((node) => NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs })),
  );
  const sessions = new Map<string, NodeSession>();
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') sessions.set(nodes[i].name, result.value);
  });
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) {
    for (const session of sessions.values()) session.close();
    throw (failed as PromiseRejectedResult).reason;
  }
  return new SessionSet(sessions);
}

/** INFO of every node; waits (up to waitMs) while a node is still loading its dataset. */
export async function readyFacts(nodes: TopologyNode[], sessions: SessionSet, waitMs: number): Promise<Map<string, ReplicationFacts>> {
  const entries = await Promise.all(
    nodes.map(async (node) => {
      const session = sessions.get(node);
      try {
        const facts = await waitFor(
          async () => {
            const current = await session.facts();
            return current.loading ? { done: false, reason: 'loading' } : { done: true, value: current };
          },
          { interval: 100, timeout: waitMs },
        );
        return [node.name, facts] as const;
      } catch (error) {
        if (error instanceof WaitTimeoutError) {
          throw new NodeFailureError('NODE_LOADING', `${node.name} (${node.address}) is still loading its dataset after ${waitMs / 1000}s`, 'retry when loading has finished, or raise --wait');
        }
        throw error;
      }
    }),
  );
  return new Map(entries);
}
