// Sentinel's documented way of losing acknowledged writes: a partition leaves the master with its
// clients on one side, the sentinels and replicas on the other. The sentinels promote a replica;
// the old master goes on acknowledging writes until the partition heals, then becomes a replica
// of the new master and discards them. min-replicas-to-write 1 (with a non-zero
// min-replicas-max-lag) bounds that: cut off from every replica, it refuses writes after
// min-replicas-max-lag seconds. Every node needs it, since the sentinels may promote any replica.

import { configInt, liveReadings, type LiveReading } from '../accessors';
import { FENCE_MIN_REPLICAS } from '../../failover/switch-settings';
import { configSetsFix } from '../fixes';
import type { CheckContext, Finding } from '../model';

// The Redis documentation's example for a Sentinel-managed set.
export const SUGGESTED_MIN_REPLICAS = '1';
export const SUGGESTED_MAX_LAG = '10';

/** What is missing for Redis to enforce min-replicas-to-write on this node; null when enforced or unknown. */
function unenforced(reading: LiveReading): { toWrite: number; maxLag: number } | null {
  const toWrite = configInt(reading, 'min-replicas-to-write');
  const maxLag = configInt(reading, 'min-replicas-max-lag');
  // The failover fence is FAILOVER_FENCE's finding, not a missing setting.
  if (toWrite === null || maxLag === null || String(toWrite) === FENCE_MIN_REPLICAS) return null;
  return toWrite > 0 && maxLag > 0 ? null : { toWrite, maxLag };
}

function settingsFor(reading: LiveReading): Array<[string, string]> {
  const missing = unenforced(reading);
  if (!missing) return [];
  const settings: Array<[string, string]> = [];
  if (missing.toWrite <= 0) settings.push(['min-replicas-to-write', SUGGESTED_MIN_REPLICAS]);
  // A lag the operator chose is kept; 0 switches the check off.
  if (missing.maxLag <= 0) settings.push(['min-replicas-max-lag', SUGGESTED_MAX_LAG]);
  return settings;
}

export function isolatedMasterRule(context: CheckContext): Finding[] {
  const { topology } = context;
  if (!topology.sentinel || topology.replicas.length === 0) return [];
  const live = liveReadings(context);
  const master = live.find((r) => r.node.name === topology.master.name && r.facts.role === 'master');
  const missing = master ? unenforced(master) : null;
  if (!master || !missing) return [];
  const others = live.filter((r) => r !== master && r.node.role === 'replica' && unenforced(r) !== null);
  const why = missing.toWrite <= 0 ? 'min-replicas-to-write is 0' : 'min-replicas-max-lag is 0, which switches min-replicas-to-write off';
  return [
    {
      severity: 'warn',
      node: master.node.name,
      code: 'ISOLATED_MASTER_WRITES',
      reason: `${why}: cut off from its replicas and the sentinels by a partition, this master goes on acknowledging writes, which are discarded when it rejoins as a replica of the master the sentinels promoted${others.length > 0 ? ` (${others.map((r) => r.node.name).join(', ')}, which the sentinels may promote, need it too)` : ''}`,
      fix: [master, ...others].map((reading) => configSetsFix(topology, reading, settingsFor(reading))).join(' && '),
    },
  ];
}
