// Mixed server versions. The bundled node reports the Redis version it is compatible with
// (redis_version:7.0.15) plus its own rctl_node_version, so:
//   - redis_version is compared across every node: a bundled node next to redis-server 7.0.x is
//     not a finding (it speaks 7.0's protocol, RDB 10 and PSYNC2), next to 7.2 it is;
//   - rctl_node_version is compared across the bundled nodes only: two rctl builds may differ.
// A replica older than its master is an error: it may not read the master's newer RDB format,
// so its next full resync can fail.

import { followedReading, liveReadings, type LiveReading } from '../accessors';
import { rctlUpFix, shellWord } from '../fixes';
import type { CheckContext, Finding } from '../model';

export function parseVersion(text: string): [number, number, number] | null {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

/** Negative when a < b, 0 when equal or unparsable, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) return 0;
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

/** The declared master's value when it was read, else the most common one (first seen on ties). */
function referenceValue(context: CheckContext, readings: LiveReading[], valueOf: (r: LiveReading) => string): { value: string; node: string } {
  const master = readings.find((r) => r.node.name === context.topology.master.name);
  if (master) return { value: valueOf(master), node: master.node.name };
  const counts = new Map<string, number>();
  for (const r of readings) counts.set(valueOf(r), (counts.get(valueOf(r)) ?? 0) + 1);
  let best = readings[0];
  for (const r of readings) if ((counts.get(valueOf(r)) ?? 0) > (counts.get(valueOf(best)) ?? 0)) best = r;
  return { value: valueOf(best), node: best.node.name };
}

function redisVersionFindings(context: CheckContext): Finding[] {
  const readings = liveReadings(context).filter((r) => r.info.has('redis_version'));
  const version = (r: LiveReading) => r.info.get('redis_version') as string;
  if (new Set(readings.map(version)).size <= 1) return [];
  const reference = referenceValue(context, readings, version);
  const findings: Finding[] = [];
  for (const reading of readings) {
    const followed = followedReading(context, reading);
    const masterVersion = followed?.info?.get('redis_version');
    const upgrade = (to: string) => `upgrade ${reading.node.name} (${reading.node.address}) to Redis ${to} and restart it`;
    if (reading.facts.role === 'replica' && masterVersion !== undefined && compareVersions(version(reading), masterVersion) < 0) {
      findings.push({
        severity: 'error',
        node: reading.node.name,
        code: 'REPLICA_OLDER_THAN_MASTER',
        reason: `runs Redis ${version(reading)}, older than its master ${followed?.node.name} (${masterVersion}): it may not read the master's RDB format, so its next full resync can fail`,
        fix: upgrade(masterVersion),
      });
    } else if (version(reading) !== reference.value) {
      findings.push({
        severity: 'warn',
        node: reading.node.name,
        code: 'MIXED_VERSIONS',
        reason: `runs Redis ${version(reading)} while ${reference.node} runs ${reference.value}: replication and failover behave differently across versions`,
        // The older side is the one to move: this node, or every node still on the reference version.
        fix:
          compareVersions(version(reading), reference.value) < 0
            ? upgrade(reference.value)
            : `upgrade the nodes on Redis ${reference.value} to ${version(reading)}, replicas before their master`,
      });
    }
  }
  return findings;
}

function bundledVersionFindings(context: CheckContext): Finding[] {
  const readings = liveReadings(context).filter((r) => r.info.has('rctl_node_version'));
  const version = (r: LiveReading) => r.info.get('rctl_node_version') as string;
  if (new Set(readings.map(version)).size <= 1) return [];
  const reference = referenceValue(context, readings, version);
  return readings
    .filter((r) => version(r) !== reference.value)
    .map((reading) => ({
      severity: 'warn' as const,
      node: reading.node.name,
      code: 'MIXED_VERSIONS',
      reason: `runs the bundled node of rctl ${version(reading)} while ${reference.node} runs rctl ${reference.value}: two builds may replicate differently`,
      // Launched nodes restart with the installed rctl; external ones are restarted by the operator.
      fix:
        reading.node.launch === 'embedded'
          ? `rctl down ${shellWord(context.topology.displayFile)} && ${rctlUpFix(context.topology)}`
          : `restart ${reading.node.name} (${reading.node.address}) with rctl ${reference.value}`,
    }));
}

export function versionsRule(context: CheckContext): Finding[] {
  return [...redisVersionFindings(context), ...bundledVersionFindings(context)];
}
