// The version matrix on Redis 6.2.16: see matrix-suite.ts. One file a version, so they run in parallel.

import { sameVersionMatrix } from './matrix-suite';

sameVersionMatrix('6.2.16', 'matrix-62');
