// min-replicas-to-write N makes a master refuse every write (NOREPLICAS) while fewer than N
// replicas are online with a lag of at most min-replicas-max-lag seconds. Redis enforces it only
// when both settings are non-zero, and counts replicas in state=online whose lag (seconds since
// their last REPLCONF ACK) is within the limit; INFO's slaveN lines show both.

import type { InfoFields } from '../../../node/info';
import { configInt, liveReadings, plural } from '../accessors';
import { FENCE_MIN_REPLICAS } from '../../failover/switch-settings';
import { configSetFix, rctlUpFix } from '../fixes';
import type { CheckContext, Finding } from '../model';

interface ReplicaLine {
  state: string;
  lag: number | null;
}

/** INFO replication's `slave0:ip=...,port=...,state=online,offset=...,lag=0` lines. */
export function replicaLines(info: InfoFields): ReplicaLine[] {
  const lines: ReplicaLine[] = [];
  for (const [name, value] of info) {
    if (!/^slave\d+$/.test(name)) continue;
    const fields = new Map(value.split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
    const lag = fields.get('lag');
    lines.push({ state: fields.get('state') ?? '', lag: lag !== undefined && /^\d+$/.test(lag) ? Number(lag) : null });
  }
  return lines;
}

export function minReplicasRule(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const reading of liveReadings(context)) {
    if (reading.facts.role !== 'master') continue;
    const toWrite = configInt(reading, 'min-replicas-to-write');
    const maxLag = configInt(reading, 'min-replicas-max-lag');
    if (toWrite === null || maxLag === null || toWrite <= 0 || maxLag <= 0) continue;
    const good = replicaLines(reading.info).filter((line) => line.state === 'online' && line.lag !== null && line.lag <= maxLag).length;
    if (good >= toWrite) continue;
    if (String(toWrite) === FENCE_MIN_REPLICAS) {
      // rctl's failover fence: lifting it by hand could make a second writable master beside the
      // new one. `rctl up` lifts it only where that cannot happen (failover/repair.ts).
      findings.push({
        severity: 'error',
        node: reading.node.name,
        code: 'FAILOVER_FENCE',
        reason:
          'fenced by a failover that did not finish (min-replicas-to-write 2147483647): it refuses every write so that it never takes writes beside another master; `rctl up` lifts it where that is safe (with no interrupted failover in `rctl status`, set it back by hand once no other master takes writes)',
        fix: rctlUpFix(context.topology),
      });
      continue;
    }
    findings.push({
      severity: 'error',
      node: reading.node.name,
      code: 'MIN_REPLICAS_BLOCKS_WRITES',
      reason: `min-replicas-to-write is ${toWrite} but only ${plural(good, 'replica')} ${good === 1 ? 'is' : 'are'} online with a lag of at most ${maxLag} s: the master refuses every write`,
      // The largest value the current replicas satisfy; 0 switches the rule off.
      fix: configSetFix(context.topology, reading, 'min-replicas-to-write', String(good)),
    });
  }
  return findings;
}
