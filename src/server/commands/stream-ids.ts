// Stream ID arguments as Redis 7.0's t_stream.c reads them (streamGenericParseIDOrReply):
// "-" and "+" unless strict, "<ms>" with a default sequence, "<ms>-<seq>", and for XADD
// "<ms>-*". Each part goes through Redis's string2ull: a strict integer first, then strtoull,
// which also takes leading spaces, a sign, and wraps a negated value.

import type { CommandContext } from '../context';
import { MAX_ID, MIN_ID, UINT64_MAX, type StreamId } from '../keyspace/stream';
import { parseInt64 } from '../resp/numbers';

export const ERR_INVALID_STREAM_ID = 'ERR Invalid stream ID specified as stream command argument';

const SPACES = ' \t\n\v\f\r';

/** string2ull of t_stream.c; null where it fails. */
export function parseUint64(text: string): bigint | null {
  const strict = parseInt64(text);
  if (strict !== null) return BigInt(strict) < 0n ? null : BigInt(strict);
  let i = 0;
  while (i < text.length && SPACES.includes(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  const digits = text.slice(i);
  if (!/^[0-9]+$/.test(digits)) return null;
  const value = BigInt(digits);
  if (value > UINT64_MAX) return null;
  return negative ? (UINT64_MAX + 1n - value) & UINT64_MAX : value;
}

export interface ParsedId {
  id: StreamId;
  /** False for "<ms>-*" (XADD picks the sequence). */
  seqGiven: boolean;
}

/**
 * Parses an ID argument; replies the invalid-ID error and returns null when it is not one.
 * `missingSeq` fills in a bare "<ms>"; `allowSeqStar` accepts "<ms>-*" (XADD).
 */
export function parseStreamId(
  client: CommandContext | null,
  text: string,
  missingSeq: bigint,
  strict: boolean,
  allowSeqStar = false,
): ParsedId | null {
  const invalid = () => {
    client?.reply.error(ERR_INVALID_STREAM_ID);
    return null;
  };
  // Redis copies the argument into a 128-byte buffer first.
  if (text.length > 127) return invalid();
  if (text === '-' || text === '+') {
    if (strict) return invalid();
    return { id: text === '-' ? MIN_ID : MAX_ID, seqGiven: true };
  }
  // A NUL ends the C string Redis parses.
  const nul = text.indexOf('\0');
  if (nul !== -1) text = text.slice(0, nul);
  const dash = text.indexOf('-');
  const ms = parseUint64(dash === -1 ? text : text.slice(0, dash));
  if (ms === null) return invalid();
  if (dash === -1) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const seqText = text.slice(dash + 1);
  if (allowSeqStar && seqText === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = parseUint64(seqText);
  if (seq === null) return invalid();
  return { id: { ms, seq }, seqGiven: true };
}

/** A strict ID (no "-"/"+"), the form most arguments take. */
export function strictId(client: CommandContext, text: string, missingSeq = 0n): StreamId | null {
  return parseStreamId(client, text, missingSeq, true)?.id ?? null;
}

/** An XRANGE bound: "(" makes it exclusive (and strict); returns the ID and whether it was excluded. */
export function intervalId(client: CommandContext, text: string, missingSeq: bigint): { id: StreamId; exclude: boolean } | null {
  const exclude = text.length > 1 && text[0] === '(';
  const parsed = exclude ? parseStreamId(client, text.slice(1), missingSeq, true) : parseStreamId(client, text, missingSeq, false);
  return parsed === null ? null : { id: parsed.id, exclude };
}
