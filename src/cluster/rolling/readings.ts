// Everything the rolling plan needs from each node, read in one pass before anything changes.

import { capabilitiesOf } from '../../node/capabilities';
import { replicationFacts } from '../../node/info';
import type { NodeSession } from '../../node/node-session';
import type { TopologyNode } from '../../topology/model';
import type { NodeReading } from './plan';

export async function readNode(node: TopologyNode, session: NodeSession): Promise<NodeReading> {
  const info = await session.info();
  const capabilities = capabilitiesOf(info);
  // shutdown-on-sigterm is 7.0's; older versions answer nothing for it (configGet: null).
  const config = await session.configGetMany(['appendonly', 'save', 'shutdown-on-sigterm', 'replica-priority'] as const);
  return {
    node,
    facts: replicationFacts(info),
    version: capabilities?.version ?? null,
    bundled: capabilities?.bundled ?? false,
    appendonly: (config.appendonly ?? 'no').toLowerCase() === 'yes',
    savePoints: (config.save ?? '').trim() !== '',
    sigtermNoSave: /\bnosave\b/i.test(config['shutdown-on-sigterm'] ?? ''),
    priority: Number(config['replica-priority'] ?? '100'),
  };
}
