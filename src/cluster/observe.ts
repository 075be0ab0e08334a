// Looks at every node of a topology in parallel: connect, authenticate, INFO. A node that
// fails is recorded with its error rather than failing the whole observation.

import { RctlError } from '../errors';
import type { Topology, TopologyNode } from '../topology/model';
import type { ReplicationFacts } from '../node/info';
import { NodeSession } from '../node/node-session';

export interface NodeObservation {
  node: TopologyNode;
  facts: ReplicationFacts | null;
  /** Why the node could not be observed (unreachable, wrong password, not Redis...). */
  error: RctlError | null;
}

export interface ObserveOptions {
  timeoutMs: number;
}

export async function observeNode(topology: Topology, node: TopologyNode, options: ObserveOptions): Promise<NodeObservation> {
  let session: NodeSession | null = null;
  try {
    // One bound for the whole look at the node, so status returns within --timeout whatever it sends.
    session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs: options.timeoutMs, deadline: Date.now() + options.timeoutMs });
    return { node, facts: await session.facts(), error: null };
  } catch (error) {
    if (error instanceof RctlError) return { node, facts: null, error };
    throw error;
  } finally {
    session?.close();
  }
}

export function observeTopology(topology: Topology, options: ObserveOptions): Promise<NodeObservation[]> {
  return Promise.all(topology.nodes.map((node) => observeNode(topology, node, options)));
}
