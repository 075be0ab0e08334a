// How a sorted-set score is spelled inside a listpack (Redis 7.0's d2string, used by zzlInsertAt).
// The RDB writer and DUMP need it to produce Redis's exact bytes, and ZSCAN of a compact set
// replies with this text.

import { formatDouble } from '../resp/numbers';

/** 2^62: Redis's double2ll prints integral scores up to this size with integer digits. */
const INTEGER_PRINT_LIMIT = 4611686018427387904;

/** Integral values print as integers ("1e17" becomes "100000000000000000"), others as %.17g. */
export function listpackScoreText(score: number): string {
  if (score === 0) return Object.is(score, -0) ? '-0' : '0';
  if (Number.isInteger(score) && Math.abs(score) <= INTEGER_PRINT_LIMIT) return BigInt(score).toString();
  return formatDouble(score);
}
