// What the bitmap commands share: bit offset arguments, BYTE|BIT ranges and the string a bit
// write works on (created or zero-padded up to the highest bit it touches), as Redis's bitops.c.

import type { CommandContext } from '../context';
import { ERR_BIT_OFFSET, ERR_STRING_TOO_LONG } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { MAX_JS_STRING_LENGTH } from './strings-range';
import { isString, lookupTyped, WRONGTYPE } from './util';

/**
 * getBitOffsetFromArgument: a bit offset, or with `fieldBits` a "#N" offset counted in fields of
 * that width. Beyond proto-max-bulk-len bytes it is refused, except from our master.
 * Replies and returns null on error.
 */
export function bitOffsetArg(client: CommandContext, text: string, fieldBits = 0): number | null {
  const byField = fieldBits > 0 && text.startsWith('#');
  const parsed = parseInt64(byField ? text.slice(1) : text);
  if (parsed === null) {
    client.reply.error(ERR_BIT_OFFSET);
    return null;
  }
  // The multiplication wraps in 64 bits as it does in C, which turns huge offsets negative.
  const offset = byField ? BigInt.asIntN(64, BigInt(parsed) * BigInt(fieldBits)) : BigInt(parsed);
  if (offset < 0n || (!client.isMasterLink && offset >> 3n >= BigInt(client.server.config.getInt('proto-max-bulk-len')))) {
    client.reply.error(ERR_BIT_OFFSET);
    return null;
  }
  // Beyond any string V8 can hold: such an offset can only be read (as zeros), never written.
  return offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(offset);
}

/** The string a bit write starts from ('' when the key is missing). */
export interface BitTarget {
  value: string;
  existed: boolean;
}

/**
 * lookupStringForBitCommand without the growth: the key's string and whether it existed. Replies
 * WRONGTYPE, or "string exceeds maximum allowed size" when `maxBit` lies past the longest string
 * we can build (only reachable from our master or with proto-max-bulk-len raised).
 */
export function bitTarget(client: CommandContext, key: string, maxBit: number): BitTarget | null {
  const current = lookupTyped(client, key, isString, true);
  if (current === WRONGTYPE) return null;
  if (Math.floor(maxBit / 8) + 1 > MAX_JS_STRING_LENGTH) {
    client.reply.error(ERR_STRING_TOO_LONG);
    return null;
  }
  return { value: current ?? '', existed: current !== undefined };
}

/**
 * The inclusive bit range [first, last] that start/end select in a string of `length` bytes, in
 * BYTE units (whole bytes) or BIT units; null when empty. Negative indexes count from the end.
 */
export function bitRange(start: bigint, end: bigint, length: number, unitIsBit: boolean): [first: number, last: number] | null {
  const total = BigInt(length) * (unitIsBit ? 8n : 1n);
  if (start < 0n) start += total;
  if (end < 0n) end += total;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= total) end = total - 1n;
  if (start > end) return null;
  return unitIsBit ? [Number(start), Number(end)] : [Number(start) * 8, Number(end) * 8 + 7];
}

/** BYTE or BIT (any case); null for anything else. */
export function parseUnit(text: string): boolean | null {
  const unit = text.toLowerCase();
  if (unit === 'bit') return true;
  if (unit === 'byte') return false;
  return null;
}
