// Expiry arithmetic shared by SET/GETEX (strings) and EXPIRE/PEXPIRE... (keys), with Redis's
// 64-bit overflow checks done in BigInt so out-of-range times are refused exactly as Redis does.

import type { CommandContext } from '../context';

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/**
 * Redis's checkAlreadyExpired: a time in the past deletes the key at once, except while
 * loading or on a replica, which keep the key with its past TTL and wait for the master's DEL.
 */
export function alreadyExpired(client: CommandContext, whenMs: bigint): boolean {
  const server = client.server;
  return whenMs <= BigInt(server.clock.now()) && !server.loading && !server.replication.isReplica();
}

/** DEL, or UNLINK when the given lazyfree option is on: how Redis propagates a deletion. */
export function deletionCommand(client: CommandContext, lazyfreeOption: 'lazyfree-lazy-expire' | 'lazyfree-lazy-user-del'): string {
  return client.server.config.getBool(lazyfreeOption) ? 'UNLINK' : 'DEL';
}

/** Stored expiry times are JS numbers: exact up to 2^53 ms (year 287396), rounded beyond. */
export function toStoredTime(whenMs: bigint): number {
  return Number(whenMs);
}
