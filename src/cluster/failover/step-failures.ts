// A step of a failover that a node refused (it answered, with an error): what it said, and the
// command that does the step by hand, in the syntax of the node's version.

import type { Topology, TopologyNode } from '../../topology/model';
import { redisCliCommand } from '../fix-command';
import type { NodeState } from './inspect';
import type { Setting } from './switch-settings';

/** A step that failed on a node that answered: what the server said and what fixes it. */
export interface StepFailure {
  node: string;
  address: string;
  what: string;
  /** The server's own error, or the transport failure. */
  error: string;
  fix: string;
}

export function describeFailures(failures: StepFailure[]): string {
  return failures.map((f) => `${f.node} (${f.address}): ${f.what} failed: ${f.error}`).join('; ');
}

/** `redis-cli ... CONFIG SET ...` putting settings back, the way the node's version takes them. */
export function restoreFix(topology: Topology, node: TopologyNode, state: NodeState, settings: Setting[]): string {
  const capabilities = state.capabilities;
  if (!capabilities || capabilities.configSetMany || settings.length === 1) {
    return redisCliCommand(topology, node, ['CONFIG', 'SET', ...settings.flatMap(([name, value]) => [name, value])]);
  }
  // One call a parameter before 7.0; `&&` keeps the order, and each is checked by the shell.
  return settings.map(([name, value]) => redisCliCommand(topology, node, ['CONFIG', 'SET', name, value])).join(' && ');
}

