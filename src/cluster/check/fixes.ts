// The fix of a finding is a command the operator can paste: `rctl ...` or `redis-cli ... CONFIG
// SET ...`. Passwords are never written out: `<password>` stands for the topology's password, and
// in a command sent to a sentinel for the sentinels' own (the sentinel section's auth).

import type { SentinelNode, SentinelSet, Topology, TopologyNode } from '../../topology/model';
import { redisCliCommand, shellWord } from '../fix-command';
import type { NodeReading } from './model';

export { PASSWORD_PLACEHOLDER, shellWord } from '../fix-command';

/** `redis-cli -h HOST -p PORT [-a <password>] ARGS`. */
export function redisCli(topology: Topology, node: Pick<TopologyNode, 'host' | 'port'>, args: string[]): string {
  return redisCliCommand(topology, node, args);
}

/** `redis-cli -h HOST -p PORT [-a <password>] ARGS` sent to a sentinel, which has its own password. */
export function sentinelCli(set: SentinelSet, sentinel: SentinelNode, args: string[]): string {
  return redisCliCommand({ password: set.password }, sentinel, args);
}

/**
 * CONFIG SET on the node, followed by CONFIG REWRITE where the node has a config file, so the fix
 * survives a restart (a node without one would answer the rewrite with an error).
 */
export function configSetFix(topology: Topology, reading: NodeReading, name: string, value: string): string {
  return configSetsFix(topology, reading, [[name, value]]);
}

/** configSetFix for several parameters: one CONFIG SET each (several in one call only arrived in Redis 7), one rewrite. */
export function configSetsFix(topology: Topology, reading: NodeReading, settings: ReadonlyArray<readonly [string, string]>): string {
  const sets = settings.map(([name, value]) => redisCli(topology, reading.node, ['CONFIG', 'SET', name, value]));
  if (reading.facts?.configFile) sets.push(redisCli(topology, reading.node, ['CONFIG', 'REWRITE']));
  return sets.join(' && ');
}

/** `rctl ARGS -t FILE`: rctl commands act on the same topology check read. */
export function rctlFix(topology: Topology, args: string[]): string {
  return `rctl ${args.map(shellWord).join(' ')} -t ${shellWord(topology.displayFile)}`;
}

/** `rctl up FILE`: makes the nodes match the file again (auth, roles, priorities). */
export function rctlUpFix(topology: Topology): string {
  return `rctl up ${shellWord(topology.displayFile)}`;
}
