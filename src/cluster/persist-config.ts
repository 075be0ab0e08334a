// CONFIG REWRITE after rctl changed a node (up, replicaof, failover, a repair), so the change
// survives a restart. A node still carrying a failover's fence gets it written too, on purpose: a
// restart must not bring a cut-off old master back without it, and the repair that lifts the
// fence rewrites the file again.

import { chmodSync } from 'node:fs';
import type { Topology } from '../topology/model';
import { ERR_NO_CONFIG_FILE, type NodeSession } from '../node/node-session';
import { ReplyError } from '../node/resp';
import type { TopologyState } from '../state/topology-state';

/**
 * CONFIG REWRITE where the node has a config file. Returns true, or the warning to show.
 * Launched nodes get their config back to 0600: Redis recreates the file with the default mode.
 */
export async function persistConfig(topology: Topology, node: { name: string; address: string; launch?: string }, session: NodeSession, state: TopologyState): Promise<true | string> {
  const reply = await session.call(['CONFIG', 'REWRITE']);
  if (node.launch && node.launch !== 'external') {
    try {
      chmodSync(state.nodePaths(node.name).config, 0o600);
    } catch {
      // not our file after all
    }
  }
  if (!(reply instanceof ReplyError)) return true;
  if (reply.text.startsWith(ERR_NO_CONFIG_FILE)) {
    return `${node.name} (${node.address}) runs without a config file: the change is live but will not survive a restart`;
  }
  return `${node.name} (${node.address}): CONFIG REWRITE failed (${reply.text}); the change is live but will not survive a restart`;
}
