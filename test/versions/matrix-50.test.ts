// The version matrix on Redis 5.0.14: see matrix-suite.ts. One file a version, so they run in parallel.

import { sameVersionMatrix } from './matrix-suite';

sameVersionMatrix('5.0.14', 'matrix-50');
