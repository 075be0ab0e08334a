// Integer argument parsing with Redis's getLongFromObjectOrReply family semantics, shared by the
// hashes, lists and sets groups. Counts and indexes are returned as JS numbers: values beyond
// 2^53 are clamped, which changes nothing for collections that can never be that long.

import type { CommandContext } from '../context';
import { ERR_NOT_INTEGER } from '../errors';
import { parseInt64 } from '../resp/numbers';

export const LONG_MAX = 9223372036854775807n;
export const ERR_MUST_BE_POSITIVE = 'ERR value is out of range, must be positive';

function clampToSafe(value: number | bigint): number {
  if (typeof value === 'number') return value;
  return value > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

/** getLongFromObjectOrReply: any 64-bit integer; `message` replaces the default error. */
export function longArg(client: CommandContext, text: string, message = ERR_NOT_INTEGER): number | null {
  const value = parseInt64(text);
  if (value === null) {
    client.reply.error(message);
    return null;
  }
  return clampToSafe(value);
}

/**
 * getRangeLongFromObjectOrReply: an integer within [min, max]. With a message, Redis uses it for
 * both a non-integer and an out-of-range value; without, each gets its own standard text.
 */
export function rangeLongArg(client: CommandContext, text: string, min: bigint, max: bigint, message?: string): number | null {
  const value = parseInt64(text);
  if (value === null) {
    client.reply.error(message ?? ERR_NOT_INTEGER);
    return null;
  }
  if (value < min || value > max) {
    client.reply.error(message ?? `ERR value is out of range, value must between ${min} and ${max}`);
    return null;
  }
  return clampToSafe(value);
}

/** getPositiveLongFromObjectOrReply: 0..LONG_MAX, one message for every failure. */
export function positiveLongArg(client: CommandContext, text: string, message = ERR_MUST_BE_POSITIVE): number | null {
  return rangeLongArg(client, text, 0n, LONG_MAX, message);
}
