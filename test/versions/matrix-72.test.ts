// The version matrix on Redis 7.2.6: see matrix-suite.ts. One file a version, so they run in parallel.

import { sameVersionMatrix } from './matrix-suite';

sameVersionMatrix('7.2.6', 'matrix-72');
