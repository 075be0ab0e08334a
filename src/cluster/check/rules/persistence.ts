// Nodes that keep nothing on disk. The seeds' warning: a master without persistence that
// restarts (crash, automatic restart) comes back empty, its replicas copy the empty dataset and
// wipe themselves. A replica without persistence is the same risk waiting for a promotion.

import { configSetFix } from '../fixes';
import { configValue, configYes, isDeclaredMaster, liveReadings, type LiveReading } from '../accessors';
import type { CheckContext, Finding } from '../model';

// Redis's default save points, suggested as the fix (snapshotting costs least to switch on).
export const DEFAULT_SAVE_POINTS = '3600 1 300 100 60 10000';

/** True when the node has neither save points nor AOF; null when its config is unknown. */
export function persistenceOff(reading: LiveReading): boolean | null {
  const save = configValue(reading, 'save');
  const appendonly = configYes(reading, 'appendonly');
  if (save === null || appendonly === null) return null;
  return save.trim() === '' && !appendonly;
}

export function persistenceRule(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const reading of liveReadings(context)) {
    if (persistenceOff(reading) !== true) continue;
    const fix = configSetFix(context.topology, reading, 'save', DEFAULT_SAVE_POINTS);
    const { role, connectedReplicas } = reading.facts;
    const hasReplicas = connectedReplicas > 0 || (isDeclaredMaster(context, reading) && context.topology.replicas.length > 0);
    if (role === 'master' && hasReplicas) {
      findings.push({
        severity: 'error',
        node: reading.node.name,
        code: 'MASTER_NO_PERSISTENCE',
        reason: 'this master has replicas but no persistence (no save points, appendonly no): if it restarts empty, its replicas copy the empty dataset and lose everything',
        fix,
      });
    } else if (role === 'replica') {
      findings.push({
        severity: 'warn',
        node: reading.node.name,
        code: 'REPLICA_NO_PERSISTENCE',
        reason: 'this replica has no persistence (no save points, appendonly no): promoted one day, it becomes a master that restarts empty',
        fix,
      });
    }
  }
  return findings;
}
