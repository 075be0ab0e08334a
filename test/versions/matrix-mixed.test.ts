// The version matrix on a mixed set: a Redis 6.2 master (the seeds' version) with a bundled-node
// replica (Redis 7.0 compatible) and a Redis 7.2 replica, taken round all three nodes. Each switch
// continues with a partial resync (no RDB crosses versions); see matrix-suite.ts.

import { describeWithVersions } from '../helpers/redis-versions';
import { matrixSuite } from './matrix-suite';
import { REDIS_COMPAT_VERSION } from '../../src/server/version';

describeWithVersions(['6.2.16', '7.2.6'], 'version matrix: a mixed set (6.2 master, bundled and 7.2 replicas)', (redis) => {
  const v62 = redis.get('6.2.16');
  const v72 = redis.get('7.2.6');
  if (!v62 || !v72) throw new Error('binaries missing');
  matrixSuite({
    name: 'matrix-mixed',
    nodes: [{ kind: 'redis', binaries: v62 }, { kind: 'bundled' }, { kind: 'redis', binaries: v72 }],
    versions: [v62.fullVersion, REDIS_COMPAT_VERSION, v72.fullVersion],
    round: ['slave1', 'slave2', 'master'],
    scripts: false,
  });
});
