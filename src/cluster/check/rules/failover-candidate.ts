// replica-priority 0 marks a replica that must never be promoted (Sentinel and rctl failover both
// honour it). When every replica has it, a dead master has no successor; under Sentinel, the
// automatic failover the set relies on cannot happen at all.

import { configInt, liveReadings } from '../accessors';
import { configSetFix, rctlUpFix } from '../fixes';
import type { CheckContext, Finding } from '../model';

// Redis's default replica-priority.
const DEFAULT_PRIORITY = 100;

export function failoverCandidateRule(context: CheckContext): Finding[] {
  const replicas = liveReadings(context).filter((r) => r.node.role === 'replica' && r.facts.role === 'replica');
  const priorities = replicas.map((reading) => ({ reading, priority: configInt(reading, 'replica-priority') }));
  // Nothing to say without replicas, or when any priority is unknown (it may be the candidate).
  if (priorities.length === 0 || priorities.some((p) => p.priority === null || p.priority > 0)) return [];

  const candidate = priorities[0].reading;
  // A priority written in the file is re-applied by every `rctl up`: the fix belongs there.
  const fix =
    candidate.node.priority !== undefined
      ? `set priority: ${DEFAULT_PRIORITY} on ${candidate.node.name} in ${context.topology.displayFile}, then ${rctlUpFix(context.topology)}`
      : configSetFix(context.topology, candidate, 'replica-priority', String(DEFAULT_PRIORITY));
  return [
    {
      severity: 'warn',
      node: context.topology.master.name,
      code: 'NO_FAILOVER_CANDIDATE',
      reason: context.topology.sentinel
        ? `every replica (${replicas.map((r) => r.node.name).join(', ')}) has replica-priority 0: the sentinels never promote one, so when the master dies they declare it down and the set stays without a master (every write fails) until it returns`
        : `every replica (${replicas.map((r) => r.node.name).join(', ')}) has replica-priority 0: none may be promoted, so a dead master has no successor`,
      fix,
    },
  ];
}
