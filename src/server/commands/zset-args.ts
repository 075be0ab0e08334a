// Argument parsing and reply shapes shared by the sorted set commands, with Redis 7.0's exact
// number rules: scores use string2d (strict strtod: no leading space, no overflow), range bounds
// use zslParseRange's bare strtod (leading spaces and overflow accepted, nothing after the number).

import type { CommandContext } from '../context';
import { LEX_MAX, LEX_MIN, type LexRange, type LexValue, type ScoreRange, type ZSetLimits } from '../keyspace/sorted-set';
import { parseDouble } from '../resp/numbers';

export function zsetLimits(client: CommandContext): ZSetLimits {
  const config = client.server.config;
  return {
    maxListpackEntries: config.getInt('zset-max-listpack-entries'),
    maxListpackValue: config.getInt('zset-max-listpack-value'),
  };
}

/** Words strtod reads as infinity: parseDouble accepts them, and they do not set ERANGE. */
const INFINITY_WORD = /^[+-]?inf(inity)?$/i;

/**
 * A score, increment or weight as Redis's string2d reads it: the whole string must be a number,
 * with no leading space, and a value that overflows to infinity or underflows to zero is
 * refused (strtod's ERANGE); subnormal results are kept.
 */
export function parseScore(text: string): number | null {
  const value = parseDouble(text);
  if (value === null) return null;
  if (!Number.isFinite(value)) return INFINITY_WORD.test(text) ? value : null;
  if (value === 0 && hasNonZeroMantissa(text)) return null;
  return value;
}

function hasNonZeroMantissa(text: string): boolean {
  const hex = /^[+-]?0x/i.test(text);
  const mantissa = hex ? text.replace(/^[+-]?0x/i, '').split(/p/i)[0] : text.split(/e/i)[0];
  return hex ? /[1-9a-f]/i.test(mantissa) : /[1-9]/.test(mantissa);
}

/** C's isspace(), which strtod skips before a number. */
const LEADING_SPACE = /^[ \t\n\v\f\r]+/;

/**
 * One bound of a score range as zslParseRange reads it with strtod: C string semantics (the
 * text ends at a NUL byte), leading spaces skipped, an empty number is 0, overflow gives
 * infinity, NaN is refused.
 */
function parseRangeNumber(text: string): number | null {
  const nul = text.indexOf('\0');
  const cString = nul >= 0 ? text.slice(0, nul) : text;
  if (cString === '') return 0;
  const trimmed = cString.replace(LEADING_SPACE, '');
  if (trimmed === '') return null;
  return parseDouble(trimmed);
}

/** "(1.5" is exclusive, "1.5" inclusive; null when either bound is not a float. */
export function parseScoreRange(minText: string, maxText: string): ScoreRange | null {
  const minExclusive = minText.startsWith('(');
  const maxExclusive = maxText.startsWith('(');
  const min = parseRangeNumber(minExclusive ? minText.slice(1) : minText);
  const max = parseRangeNumber(maxExclusive ? maxText.slice(1) : maxText);
  if (min === null || max === null) return null;
  return { min, max, minExclusive, maxExclusive };
}

function parseLexBound(text: string): { value: LexValue; exclusive: boolean } | null {
  switch (text[0]) {
    case '+':
      return text.length === 1 ? { value: LEX_MAX, exclusive: true } : null;
    case '-':
      return text.length === 1 ? { value: LEX_MIN, exclusive: true } : null;
    case '(':
      return { value: text.slice(1), exclusive: true };
    case '[':
      return { value: text.slice(1), exclusive: false };
    default:
      return null;
  }
}

/** "[a" inclusive, "(a" exclusive, "-" and "+" the extremes; null when either bound is invalid. */
export function parseLexRange(minText: string, maxText: string): LexRange | null {
  const min = parseLexBound(minText);
  const max = parseLexBound(maxText);
  if (!min || !max) return null;
  return { min: min.value, minExclusive: min.exclusive, max: max.value, maxExclusive: max.exclusive };
}

/**
 * Member/score results: RESP2 flattens pairs into one array; RESP3 nests [member, score] pairs
 * (not a map, so clients keep the order), as Redis's zrange result handler does. ZMPOP nests
 * in both protocols (alwaysNested).
 */
export function replyEntries(
  client: CommandContext,
  entries: ReadonlyArray<readonly [string, number]>,
  withScores: boolean,
  alwaysNested = false,
): void {
  const reply = client.reply;
  if (!withScores) {
    reply.arrayHeader(entries.length);
    for (const [member] of entries) reply.bulk(member);
    return;
  }
  const nested = alwaysNested || reply.resp === 3;
  reply.arrayHeader(nested ? entries.length : entries.length * 2);
  for (const [member, score] of entries) {
    if (nested) reply.arrayHeader(2);
    reply.bulk(member);
    reply.double(score);
  }
}

/** Redis's d2string: the text a listpack stores for a score, which ZSCAN returns for compact sets. */
export { listpackScoreText } from '../rdb/score-text';
