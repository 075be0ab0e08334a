// The replication backlog lets a replica whose link was cut resume with a partial resync. It
// holds repl-backlog-size bytes of the write stream, so at the measured write rate it covers
// size / rate seconds of outage; a longer cut forces a full resync (a whole RDB transfer).
// Less than a minute of cover turns every network blip into one.

import { formatBytes, formatRate } from '../../../formats/bytes';
import { configInt, configMegabytes, liveReadings } from '../accessors';
import { configSetFix } from '../fixes';
import type { CheckContext, Finding } from '../model';

export const BACKLOG_COVER_SECONDS = 60;

/** The suggested size: 60 s of writes rounded up to whole megabytes (Redis's default is 1mb). */
export function suggestedBacklog(bytesPerSecond: number): number {
  const mb = 1024 * 1024;
  return Math.max(1, Math.ceil((bytesPerSecond * BACKLOG_COVER_SECONDS) / mb)) * mb;
}

function formatSeconds(seconds: number): string {
  if (seconds >= 10) return String(Math.floor(seconds));
  return seconds >= 1 ? seconds.toFixed(1) : seconds.toPrecision(2);
}

export function backlogRule(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const reading of liveReadings(context)) {
    const rate = context.writeRates.get(reading.node.name);
    const backlog = configInt(reading, 'repl-backlog-size');
    if (!rate || backlog === null || reading.facts.role !== 'master' || rate.bytesPerSecond <= 0) continue;
    if (reading.facts.connectedReplicas === 0 && context.topology.replicas.length === 0) continue;
    const coverSeconds = backlog / rate.bytesPerSecond;
    if (coverSeconds >= BACKLOG_COVER_SECONDS) continue;
    findings.push({
      severity: 'warn',
      node: reading.node.name,
      code: 'BACKLOG_TOO_SMALL',
      reason: `repl-backlog-size ${formatBytes(backlog)} holds ${formatSeconds(coverSeconds)} s of writes at the measured ${formatRate(rate.bytesPerSecond)}: a replica link cut longer than that forces a full resync`,
      fix: configSetFix(context.topology, reading, 'repl-backlog-size', configMegabytes(suggestedBacklog(rate.bytesPerSecond))),
    });
  }
  return findings;
}
