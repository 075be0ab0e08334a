// masterauth must equal the requirepass of the master a replica follows: a replica that cannot
// authenticate keeps its link only until the next reconnect, then never syncs again. Redis
// replicas also give up when masterauth is set and the master has no password (the master
// refuses the AUTH). Values are compared in memory and never printed.

import { configSetFix, rctlUpFix, PASSWORD_PLACEHOLDER } from '../fixes';
import { configValue, followedReading, isDeclaredMaster, liveReadings, secretValue, type LiveReading } from '../accessors';
import type { CheckContext, Finding, NodeReading } from '../model';

/** The password the followed master requires: read from it, else the topology's (declared master only). */
function requiredPassword(context: CheckContext, replica: LiveReading): { value: string; from: NodeReading } | null {
  const followed = followedReading(context, replica);
  if (!followed) return null;
  const read = secretValue(followed, 'requirepass');
  if (read !== null) return { value: read, from: followed };
  if (isDeclaredMaster(context, followed) && followed.facts === null) {
    return { value: context.topology.password?.reveal() ?? '', from: followed };
  }
  return null;
}

export function masterauthRule(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const topologyPassword = context.topology.password?.reveal() ?? null;
  for (const reading of liveReadings(context)) {
    const masterauth = secretValue(reading, 'masterauth');
    // With masteruser set, masterauth is an ACL user's password, not the default user's requirepass.
    if (masterauth === null || (configValue(reading, 'masteruser') ?? '') !== '') continue;

    if (reading.facts.role === 'replica') {
      const required = requiredPassword(context, reading);
      if (!required || required.value === masterauth) continue;
      const master = required.from.node.name;
      const reason =
        required.value === ''
          ? `masterauth is set but ${master} has no requirepass: the master refuses the AUTH and the replica's next sync fails`
          : masterauth === ''
            ? `masterauth is not set but ${master} requires a password: the replica cannot authenticate at its next sync`
            : `masterauth does not match the requirepass of ${master}: the replica cannot authenticate at its next sync`;
      // The exact fix sets what the master requires; when that differs from the topology's
      // password, the master itself has drifted and `rctl up` resets both sides.
      const matchesTopology = required.value === (topologyPassword ?? '');
      const fix = !matchesTopology
        ? rctlUpFix(context.topology)
        : configSetFix(context.topology, reading, 'masterauth', topologyPassword === null ? '' : PASSWORD_PLACEHOLDER);
      findings.push({ severity: 'error', node: reading.node.name, code: 'MASTERAUTH_MISMATCH', reason, fix });
    } else if (reading.facts.role === 'master' && topologyPassword !== null && masterauth !== topologyPassword) {
      // Every node keeps masterauth (the seeds' advice): any master may be demoted after a failover.
      findings.push({
        severity: 'warn',
        node: reading.node.name,
        code: 'MASTERAUTH_MISMATCH',
        reason: `${masterauth === '' ? 'masterauth is not set' : "masterauth does not match the topology's password"}: demoted to a replica one day, this node could not authenticate to its new master`,
        fix: configSetFix(context.topology, reading, 'masterauth', PASSWORD_PLACEHOLDER),
      });
    }
  }
  return findings;
}
