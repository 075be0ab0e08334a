// The version matrix on Redis 7.0: see matrix-suite.ts. One file a version, so they run in parallel.

import { sameVersionMatrix } from './matrix-suite';

sameVersionMatrix('7.0', 'matrix-70');
