// Until rctl can switch over through the sentinels (so that they agree on the new master and do
// not undo it), a command that moves the master or repoints a node would fight them: the sentinels
// reconfigure the set back, or fail over again, and a write can be lost in between. Refuse.

import { RefusedError } from '../../errors';
import type { Topology } from '../../topology/model';

export const SENTINEL_MANAGED = 'SENTINEL_MANAGED';

/** Throws SENTINEL_MANAGED (exit 5) when Sentinels manage the set; `command` as the operator typed it. */
export function refuseUnderSentinels(topology: Topology, command: string): void {
  const set = topology.sentinel;
  if (!set) return;
  const first = set.nodes[0];
  const auth = set.password ? ' --askpass' : '';
  throw new RefusedError(
    SENTINEL_MANAGED,
    `${topology.name} is managed by Sentinel (master name ${set.masterName}): \`rctl ${command}\` would act against the sentinels, which decide who the master is`,
    `let the sentinels switch: redis-cli -h ${first.host} -p ${first.port}${auth} SENTINEL FAILOVER ${set.masterName}; ` +
      'it does not wait for the replicas to catch up, so writes the old master acknowledged in its last moments can be lost',
  );
}
