// A writable replica accepts writes that never reach its master or the other replicas, and
// loses them silently at the next full resync.

import { configYes, liveReadings } from '../accessors';
import { configSetFix } from '../fixes';
import type { CheckContext, Finding } from '../model';

export function replicaReadOnlyRule(context: CheckContext): Finding[] {
  return liveReadings(context)
    .filter((reading) => reading.facts.role === 'replica' && configYes(reading, 'replica-read-only') === false)
    .map((reading) => ({
      severity: 'warn' as const,
      node: reading.node.name,
      code: 'REPLICA_WRITABLE',
      reason: 'replica-read-only is no: writes sent to this replica are never replicated and vanish at its next full resync',
      fix: configSetFix(context.topology, reading, 'replica-read-only', 'yes'),
    }));
}
