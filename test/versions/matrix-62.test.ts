// The version matrix on Redis 6.2.16: see matrix-suite.ts.

import { describeWithVersion } from '../helpers/redis-versions';
import { matrixSuite } from './matrix-suite';

describeWithVersion('6.2.16', 'version matrix: the seeds scenario on Redis 6.2.16', (redis) => {
  const node = { kind: 'redis' as const, binaries: redis };
  matrixSuite({
    name: 'matrix-62',
    nodes: [node, node, node],
    versions: [redis.fullVersion, redis.fullVersion, redis.fullVersion],
    round: ['slave1', 'master'],
  });
});
