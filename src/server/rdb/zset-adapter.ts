// The only place the codec touches the sorted set's API, so a change there stays a one-file change.

import { DEFAULT_ZSET_LIMITS, SortedSet, type ZSetLimits } from '../keyspace/sorted-set';

export { DEFAULT_ZSET_LIMITS, type ZSetLimits };

export function zsetSize(zset: SortedSet): number {
  return zset.size;
}

/** Visits every member in ascending (score, member) order; visit returns false to stop. */
export function forEachZsetMember(zset: SortedSet, visit: (member: string, score: number) => boolean | void): void {
  if (zset.size > 0) zset.walk(0, false, visit);
}

/**
 * Visits every member from the highest score down, the order Redis saves skiplists in (so that a
 * loader inserting in file order always inserts at the head).
 */
export function forEachZsetMemberDescending(zset: SortedSet, visit: (member: string, score: number) => void): void {
  if (zset.size > 0) zset.walk(zset.size - 1, true, visit);
}

/** Builds a set from unique members in any order; the encoding follows the limits like a Redis load. */
export function zsetFromMap(members: ReadonlyMap<string, number>, limits: ZSetLimits): SortedSet {
  return SortedSet.fromEntries(members, limits);
}
