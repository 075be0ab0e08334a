// The fix of a finding is a command the operator can paste: `rctl ...` or `redis-cli ... CONFIG
// SET ...`. Passwords are never written out: `<password>` stands for the topology's password.

import type { Topology, TopologyNode } from '../../topology/model';
import { redisCliCommand, shellWord } from '../fix-command';
import type { NodeReading } from './model';

export { PASSWORD_PLACEHOLDER, shellWord } from '../fix-command';

/** `redis-cli -h HOST -p PORT [-a <password>] ARGS`. */
export function redisCli(topology: Topology, node: TopologyNode, args: string[]): string {
  return redisCliCommand(topology, node, args);
}

/**
 * CONFIG SET on the node, followed by CONFIG REWRITE where the node has a config file, so the fix
 * survives a restart (a node without one would answer the rewrite with an error).
 */
export function configSetFix(topology: Topology, reading: NodeReading, name: string, value: string): string {
  const set = redisCli(topology, reading.node, ['CONFIG', 'SET', name, value]);
  if (!reading.facts?.configFile) return set;
  return `${set} && ${redisCli(topology, reading.node, ['CONFIG', 'REWRITE'])}`;
}

/** `rctl ARGS -t FILE`: rctl commands act on the same topology check read. */
export function rctlFix(topology: Topology, args: string[]): string {
  return `rctl ${args.map(shellWord).join(' ')} -t ${shellWord(topology.displayFile)}`;
}

/** `rctl up FILE`: makes the nodes match the file again (auth, roles, priorities). */
export function rctlUpFix(topology: Topology): string {
  return `rctl up ${shellWord(topology.displayFile)}`;
}
