// Repointing a node by hand on a Sentinel-managed set would fight the sentinels: they reconfigure
// it back, or count a master that reports itself a replica as down and fail over. Moving the
// master goes through them (`rctl failover`, sentinel-switch.ts); `rctl replicaof` refuses.

import { RefusedError } from '../../errors';
import type { Topology } from '../../topology/model';

export const SENTINEL_MANAGED = 'SENTINEL_MANAGED';

/** Throws SENTINEL_MANAGED (exit 5) when Sentinels manage the set; `command` as the operator typed it. */
export function refuseUnderSentinels(topology: Topology, command: string): void {
  const set = topology.sentinel;
  if (!set) return;
  throw new RefusedError(
    SENTINEL_MANAGED,
    `${topology.name} is managed by Sentinel (master name ${set.masterName}): \`rctl ${command}\` would act against the sentinels, which decide who the master is`,
    `to move the master, \`rctl failover --promote NODE\` switches through the sentinels; a replica follows whichever master they name (\`rctl status\` shows whom)`,
  );
}
