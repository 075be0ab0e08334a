// Versions: what each node's Redis version (capabilities.ts) means for replication and failover.
//   - A replica that cannot read the RDB format its master writes (v9 for 5.0/6.2, v10 for 7.0,
//     v11 for 7.2): its next full sync fails (it flushes its data first, then loops on full
//     syncs). The same holds for a replica that could be promoted over an older node. Safe
//     upgrade order: replicas first, the master last.
//   - A master older than 6.2: a failover pauses its reads as well as its writes.
//   - A version rctl does not manage (before 5.0), or newer than it was tested with.
//   - A version past the Redis project's security support (a notice).
//   - Mixed versions otherwise. The bundled node reports the Redis version it emulates (7.0.15)
//     plus rctl_node_version: next to redis-server 7.0.x it is not mixed; two rctl builds are.

import { capabilitiesOf, compareVersions, describeVersion, NEWEST_TESTED, OLDEST_SUPPORTED, type Capabilities } from '../../../node/capabilities';
import { followedReading, liveReadings, type LiveReading } from '../accessors';
import { rctlUpFix, shellWord } from '../fixes';
import type { CheckContext, Finding } from '../model';

export { compareVersions, parseVersion } from '../../../node/capabilities';

// The Redis project's security support (redis/redis SECURITY.md, the newest table seen: 8.2, 8.0
// and 7.4 supported, < 7.4 not, except 6.2, "Support may be removed after end of 2025").
const SUPPORTED_LINES = ['8.2', '8.0', '7.4'];
const EXPIRING_LINES: Record<string, string> = { '6.2': 'support may be removed after the end of 2025' };
const SUPPORT_SOURCE = 'redis/redis SECURITY.md supports 8.2, 8.0, 7.4 and, for now, 6.2';

interface VersionedReading {
  reading: LiveReading;
  capabilities: Capabilities;
}

function versioned(context: CheckContext): VersionedReading[] {
  return liveReadings(context).flatMap((reading) => {
    const capabilities = capabilitiesOf(reading.info);
    return capabilities ? [{ reading, capabilities }] : [];
  });
}

const upgradeFix = (reading: LiveReading, to: string) => `upgrade ${reading.node.name} (${reading.node.address}) to Redis ${to} or newer and restart it (replicas before their master)`;
const lineOf = (c: Capabilities) => `${c.major}.${c.minor}`;

/** A replica (or a node that follows a candidate after a switch) that cannot read what its master writes. */
function unreadable(replica: Capabilities, master: Capabilities): boolean {
  return replica.rdbReadMax !== null && master.rdbVersion !== null && replica.rdbReadMax < master.rdbVersion;
}

function replicationFindings(context: CheckContext, nodes: VersionedReading[]): Finding[] {
  const findings: Finding[] = [];
  const byName = new Map(nodes.map((n) => [n.reading.node.name, n]));
  for (const { reading, capabilities } of nodes) {
    if (reading.facts.role !== 'replica') continue;
    const followed = followedReading(context, reading);
    const master = followed ? byName.get(followed.node.name) : undefined;
    if (!master || !unreadable(capabilities, master.capabilities)) continue;
    findings.push({
      severity: 'error',
      node: reading.node.name,
      code: 'REPLICA_OLDER_THAN_MASTER',
      reason: `runs ${describeVersion(capabilities)}, which reads RDB up to version ${capabilities.rdbReadMax}, and its master ${master.reading.node.name} runs ${describeVersion(master.capabilities)}, which writes RDB ${master.capabilities.rdbVersion}: its next full sync fails (it flushes its data, then retries for ever)`,
      fix: upgradeFix(reading, lineOf(master.capabilities)),
    });
  }
  // Before it happens: a replica that may be promoted over nodes that could not full-sync from it.
  const master = nodes.find((n) => n.reading.node.name === context.topology.master.name);
  for (const candidate of nodes) {
    if (candidate === master || candidate.reading.facts.role !== 'replica' || candidate.reading.config?.values.get('replica-priority') === '0') continue;
    const stuck = nodes.filter((other) => other !== candidate && unreadable(other.capabilities, candidate.capabilities));
    if (stuck.length === 0) continue;
    findings.push({
      severity: 'warn',
      node: candidate.reading.node.name,
      code: 'CANDIDATE_NEWER_THAN_REPLICAS',
      reason: `runs ${describeVersion(candidate.capabilities)} (RDB ${candidate.capabilities.rdbVersion}): if it is promoted, ${stuck.map((s) => `${s.reading.node.name} (${describeVersion(s.capabilities)})`).join(', ')} continue${stuck.length === 1 ? 's' : ''} with a partial resync, but a later full sync from it fails`,
      fix: stuck.map((s) => upgradeFix(s.reading, lineOf(candidate.capabilities))).join('; '),
    });
  }
  return findings;
}

function masterFindings(context: CheckContext, nodes: VersionedReading[]): Finding[] {
  const master = nodes.find((n) => n.reading.node.name === context.topology.master.name && n.reading.facts.role === 'master');
  if (!master || master.capabilities.pauseWritesOnly || !master.capabilities.supported) return [];
  return [
    {
      severity: 'warn',
      node: master.reading.node.name,
      code: 'FAILOVER_PAUSES_READS',
      reason: `runs ${describeVersion(master.capabilities)}, which has no CLIENT PAUSE WRITE (6.2): \`rctl failover\` pauses its reads as well as its writes (about 20-40 ms), disconnects its clients, and may roll back (losing nothing) when a script writes as the pause lifts`,
      fix: upgradeFix(master.reading, '6.2'),
    },
  ];
}

function supportFindings(nodes: VersionedReading[]): Finding[] {
  const findings: Finding[] = [];
  for (const { reading, capabilities } of nodes) {
    if (!capabilities.supported) {
      findings.push({
        severity: 'error',
        node: reading.node.name,
        code: 'VERSION_UNSUPPORTED',
        reason: `runs ${describeVersion(capabilities)}: rctl manages Redis ${OLDEST_SUPPORTED} and newer, and refuses to change this node`,
        fix: upgradeFix(reading, OLDEST_SUPPORTED),
      });
      continue;
    }
    if (capabilities.untested) {
      findings.push({
        severity: 'warn',
        node: reading.node.name,
        code: 'VERSION_UNTESTED',
        reason: `runs ${describeVersion(capabilities)}, newer than the Redis ${NEWEST_TESTED} rctl was tested with: it is driven as ${NEWEST_TESTED} is`,
        fix: 'check the release notes of that version for replication changes before a failover',
      });
    }
    // The bundled node is rctl's own, not a Redis release.
    if (capabilities.bundled) continue;
    const line = lineOf(capabilities);
    if (SUPPORTED_LINES.includes(line) || capabilities.major > 8) continue;
    const expiring = EXPIRING_LINES[line];
    findings.push({
      severity: 'info',
      node: reading.node.name,
      code: 'VERSION_END_OF_SUPPORT',
      reason: expiring
        ? `runs ${describeVersion(capabilities)}: the Redis project says ${line} ${expiring} (${SUPPORT_SOURCE})`
        : `runs ${describeVersion(capabilities)}: the Redis project no longer fixes security issues in ${line} (${SUPPORT_SOURCE})`,
      fix: upgradeFix(reading, '7.4'),
    });
  }
  return findings;
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

function mixedVersionFindings(context: CheckContext, nodes: VersionedReading[], already: Set<string>): Finding[] {
  const readings = nodes.map((n) => n.reading);
  const version = (r: LiveReading) => r.info.get('redis_version') as string;
  if (new Set(readings.map(version)).size <= 1) return [];
  const reference = referenceValue(context, readings, version);
  return readings
    .filter((reading) => version(reading) !== reference.value && !already.has(reading.node.name))
    .map((reading) => ({
      severity: 'warn' as const,
      node: reading.node.name,
      code: 'MIXED_VERSIONS',
      reason: `runs Redis ${version(reading)} while ${reference.node} runs ${reference.value}: replication and failover behave differently across versions`,
      // The older side is the one to move: this node, or every node still on the reference version.
      fix:
        compareVersions(version(reading), reference.value) < 0
          ? `upgrade ${reading.node.name} (${reading.node.address}) to Redis ${reference.value} and restart it`
          : `upgrade the nodes on Redis ${reference.value} to ${version(reading)}, replicas before their master`,
    }));
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
  const nodes = versioned(context);
  const replication = replicationFindings(context, nodes);
  // A replica already named for its RDB is not "mixed" as well.
  const named = new Set(replication.filter((f) => f.code === 'REPLICA_OLDER_THAN_MASTER').map((f) => f.node));
  return [...supportFindings(nodes), ...replication, ...masterFindings(context, nodes), ...mixedVersionFindings(context, nodes, named), ...bundledVersionFindings(context)];
}
