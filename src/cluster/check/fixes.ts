// The fix of a finding is a command the operator can paste: `rctl ...` or `redis-cli ... CONFIG
// SET ...`. Passwords are never written out: `<password>` stands for the topology's password.

import type { Topology, TopologyNode } from '../../topology/model';
import type { NodeReading } from './model';

export const PASSWORD_PLACEHOLDER = '<password>';

/** A value as one shell word: bare when safe, else double-quoted. */
export function shellWord(value: string): string {
  if (value === PASSWORD_PLACEHOLDER) return value;
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(value)) return value;
  return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** `redis-cli -h HOST -p PORT [-a <password>] ARGS`. */
export function redisCli(topology: Topology, node: TopologyNode, args: string[]): string {
  const host = node.host.replace(/^\[(.*)\]$/, '$1');
  const auth = topology.password ? ` -a ${PASSWORD_PLACEHOLDER}` : '';
  return `redis-cli -h ${host} -p ${node.port}${auth} ${args.map(shellWord).join(' ')}`;
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
