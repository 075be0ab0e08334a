// The version matrix on Redis 7.2.6: see matrix-suite.ts.

import { describeWithVersion } from '../helpers/redis-versions';
import { matrixSuite } from './matrix-suite';

describeWithVersion('7.2.6', 'version matrix: the seeds scenario on Redis 7.2.6', (redis) => {
  const node = { kind: 'redis' as const, binaries: redis };
  matrixSuite({
    name: 'matrix-72',
    nodes: [node, node, node],
    versions: [redis.fullVersion, redis.fullVersion, redis.fullVersion],
    round: ['slave1', 'master'],
  });
});
