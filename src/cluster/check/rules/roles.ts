// Roles that drifted from the file: two masters (writes on both cannot be reconciled), a
// declared master that replicates, and replicas following the wrong node, either another
// replica (chained: more lag, and a broken link when that replica goes) or a stranger.

import { formatAddress } from '../../../topology/model';
import { followedReading, isDeclaredMaster, liveReadings, type LiveReading } from '../accessors';
import { rctlFix, rctlUpFix } from '../fixes';
import type { CheckContext, Finding } from '../model';

function followedLabel(context: CheckContext, reading: LiveReading): string {
  const followed = followedReading(context, reading);
  if (followed) return followed.node.name;
  const { masterHost, masterPort } = reading.facts;
  return masterHost !== null && masterPort !== null ? formatAddress(masterHost, masterPort) : 'an unknown node';
}

export function rolesRule(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const declared = context.topology.master;
  const live = liveReadings(context);
  const masters = live.filter((r) => r.facts.role === 'master');
  const repoint = (name: string) => rctlFix(context.topology, ['replicaof', name, declared.name]);

  for (const reading of live) {
    const name = reading.node.name;
    const { role } = reading.facts;
    if (isDeclaredMaster(context, reading)) {
      if (role === 'replica') {
        findings.push({
          severity: 'error',
          node: name,
          code: 'MASTER_IS_REPLICA',
          reason: `declared master, but it replicates ${followedLabel(context, reading)}: the file and the running set disagree on who takes writes`,
          fix: rctlUpFix(context.topology),
        });
      }
      continue;
    }
    if (role === 'master') {
      if (masters.length >= 2) {
        const others = masters.filter((m) => m !== reading).map((m) => m.node.name);
        findings.push({
          severity: 'error',
          node: name,
          code: 'TWO_MASTERS',
          reason: `declared replica, but a master next to ${others.join(', ')}: writes taken by both cannot be merged, and the one made a replica later discards its own`,
          fix: repoint(name),
        });
      } else {
        findings.push({
          severity: 'error',
          node: name,
          code: 'REPLICA_IS_MASTER',
          reason: `declared replica, but it is a master and does not replicate ${declared.name}`,
          fix: repoint(name),
        });
      }
      continue;
    }
    if (role !== 'replica') continue;
    const followed = followedReading(context, reading);
    if (followed && isDeclaredMaster(context, followed)) continue;
    if (followed?.facts?.role === 'replica') {
      findings.push({
        severity: 'warn',
        node: name,
        code: 'CHAINED_REPLICA',
        reason: `follows ${followed.node.name}, itself a replica, instead of ${declared.name}: it lags further behind and loses its feed whenever ${followed.node.name} does`,
        fix: repoint(name),
      });
    } else {
      findings.push({
        severity: 'error',
        node: name,
        code: 'MISDIRECTED_REPLICA',
        reason: `follows ${followedLabel(context, reading)}, not the declared master ${declared.name}: it copies another dataset than the file says`,
        fix: repoint(name),
      });
    }
  }
  return findings;
}
