// The version matrix on Redis 5.0.14: see matrix-suite.ts.

import { describeWithVersion } from '../helpers/redis-versions';
import { matrixSuite } from './matrix-suite';

describeWithVersion('5.0.14', 'version matrix: the seeds scenario on Redis 5.0.14', (redis) => {
  const node = { kind: 'redis' as const, binaries: redis };
  matrixSuite({
    name: 'matrix-50',
    nodes: [node, node, node],
    versions: [redis.fullVersion, redis.fullVersion, redis.fullVersion],
    round: ['slave1', 'master'],
  });
});
