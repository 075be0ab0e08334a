// Partial string operations: APPEND, STRLEN, GETRANGE/SUBSTR, SETRANGE and LCS.

import type { CommandContext } from '../context';
import { ERR_NOT_INTEGER, ERR_OFFSET_OUT_OF_RANGE, ERR_STRING_TOO_LONG, ERR_SYNTAX } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { isString, lookupRead, lookupTyped, markDirty, notify, WRONGTYPE } from './util';
import { NOTIFY_STRING } from '../keyspace-events';

const ERR_LCS_NOT_STRINGS = 'ERR The specified keys must contain string values';
const ERR_LCS_LEN_AND_IDX = 'ERR If you want both the length and indexes, please just use IDX.';
const ERR_LCS_TOO_LONG = 'ERR String too long for LCS';
const ERR_LCS_MEMORY = 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len';

/** V8's longest string (2^29 - 24 one-byte chars): beyond it we refuse like an over-long string. */
export const MAX_JS_STRING_LENGTH = 2 ** 29 - 24;

/**
 * Redis's checkStringLength: the resulting length must not exceed proto-max-bulk-len.
 * Our master's stream is trusted as Redis trusts it. Replies and returns false when too long.
 */
function checkResultLength(client: CommandContext, length: bigint): boolean {
  const limit = client.isMasterLink ? Infinity : client.server.config.getInt('proto-max-bulk-len');
  if (length > BigInt(Math.min(limit, MAX_JS_STRING_LENGTH))) {
    client.reply.error(ERR_STRING_TOO_LONG);
    return false;
  }
  return true;
}

function append(client: CommandContext, args: string[]): void {
  const [, key, suffix] = args;
  const current = lookupTyped(client, key, isString, true);
  if (current === WRONGTYPE) return;
  let result: string;
  if (current === undefined) {
    result = suffix;
    client.db.set(key, result);
  } else {
    if (!checkResultLength(client, BigInt(current.length + suffix.length))) return;
    result = current + suffix;
    client.db.replace(key, result);
    client.db.markStringEncoding(key, 'raw');
  }
  markDirty(client);
  notify(client, NOTIFY_STRING, 'append', key);
  client.reply.integer(result.length);
}

function strlen(client: CommandContext, args: string[]): void {
  const value = lookupTyped(client, args[1], isString);
  if (value === WRONGTYPE) return;
  client.reply.integer(value === undefined ? 0 : value.length);
}

function getrange(client: CommandContext, args: string[]): void {
  const startArg = parseInt64(args[2]);
  if (startArg === null) return client.reply.error(ERR_NOT_INTEGER);
  const endArg = parseInt64(args[3]);
  if (endArg === null) return client.reply.error(ERR_NOT_INTEGER);
  const value = lookupTyped(client, args[1], isString);
  if (value === WRONGTYPE) return;
  if (value === undefined) return client.reply.bulk('');
  // 64-bit arithmetic, so huge negative indexes compare as Redis compares them.
  let start = BigInt(startArg);
  let end = BigInt(endArg);
  const length = BigInt(value.length);
  if (start < 0n && end < 0n && start > end) return client.reply.bulk('');
  if (start < 0n) start += length;
  if (end < 0n) end += length;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= length) end = length - 1n;
  if (start > end || length === 0n) return client.reply.bulk('');
  client.reply.bulk(value.slice(Number(start), Number(end) + 1));
}

function setrange(client: CommandContext, args: string[]): void {
  const [, key, , patch] = args;
  const offsetArg = parseInt64(args[2]);
  if (offsetArg === null) return client.reply.error(ERR_NOT_INTEGER);
  if (offsetArg < 0) return client.reply.error(ERR_OFFSET_OUT_OF_RANGE);
  const current = lookupTyped(client, key, isString, true);
  if (current === WRONGTYPE) return;
  if (patch.length === 0) return client.reply.integer(current === undefined ? 0 : current.length);
  if (!checkResultLength(client, BigInt(offsetArg) + BigInt(patch.length))) return;
  const offset = Number(offsetArg);
  const base = current ?? '';
  const padded = base.length < offset ? base + '\0'.repeat(offset - base.length) : base;
  const result = padded.slice(0, offset) + patch + padded.slice(offset + patch.length);
  if (current === undefined) client.db.set(key, result);
  else client.db.replace(key, result);
  // A string SETRANGE creates or changes is a raw sds in Redis, whatever its length.
  client.db.markStringEncoding(key, 'raw');
  markDirty(client);
  notify(client, NOTIFY_STRING, 'setrange', key);
  client.reply.integer(result.length);
}

interface LcsOptions {
  wantLength: boolean;
  wantIndexes: boolean;
  withMatchLength: boolean;
  minMatchLength: number;
}

function parseLcsOptions(client: CommandContext, args: string[]): LcsOptions | null {
  const options: LcsOptions = { wantLength: false, wantIndexes: false, withMatchLength: false, minMatchLength: 0 };
  for (let i = 3; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === 'idx') options.wantIndexes = true;
    else if (option === 'len') options.wantLength = true;
    else if (option === 'withmatchlen') options.withMatchLength = true;
    else if (option === 'minmatchlen' && i + 1 < args.length) {
      const value = parseInt64(args[++i]);
      if (value === null) {
        client.reply.error(ERR_NOT_INTEGER);
        return null;
      }
      options.minMatchLength = value < 0 ? 0 : Number(value);
    } else {
      client.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  if (options.wantLength && options.wantIndexes) {
    client.reply.error(ERR_LCS_LEN_AND_IDX);
    return null;
  }
  return options;
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the classic dynamic programming table. */
function lcs(client: CommandContext, args: string[]): void {
  const first = lookupRead(client, args[1]);
  const second = lookupRead(client, args[2]);
  if ((first !== undefined && !isString(first)) || (second !== undefined && !isString(second))) {
    return client.reply.error(ERR_LCS_NOT_STRINGS);
  }
  const a = (first as string | undefined) ?? '';
  const b = (second as string | undefined) ?? '';
  const options = parseLcsOptions(client, args);
  if (!options) return;
  if (a.length >= 2 ** 32 - 2 || b.length >= 2 ** 32 - 2) return client.reply.error(ERR_LCS_TOO_LONG);
  const width = b.length + 1;
  const cells = (a.length + 1) * width;
  if (cells * 4 > client.server.config.getInt('proto-max-bulk-len')) return client.reply.error(ERR_LCS_MEMORY);
  const table = new Uint32Array(cells);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i * width + j] =
        a.charCodeAt(i - 1) === b.charCodeAt(j - 1)
          ? table[(i - 1) * width + j - 1] + 1
          : Math.max(table[(i - 1) * width + j], table[i * width + j - 1]);
    }
  }
  const total = table[a.length * width + b.length];
  if (options.wantLength) return client.reply.integer(total);
  replyLcs(client, a, b, table, width, total, options);
}

/** Walks the table back from the end, collecting the subsequence and its matching ranges (newest first). */
function replyLcs(client: CommandContext, a: string, b: string, table: Uint32Array, width: number, total: number, options: LcsOptions): void {
  const chars: string[] = new Array(total);
  const ranges: number[][] = [];
  let remaining = total;
  let i = a.length;
  let j = b.length;
  let rangeOpen = false;
  let aStart = 0;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[--remaining] = a[i - 1];
      if (!rangeOpen) {
        rangeOpen = true;
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
      else j--;
      if (rangeOpen) emit = true;
    }
    if (emit) {
      const length = aEnd - aStart + 1;
      if (options.minMatchLength === 0 || length >= options.minMatchLength) ranges.push([aStart, aEnd, bStart, bEnd, length]);
      rangeOpen = false;
    }
  }
  if (!options.wantIndexes) return client.reply.bulk(chars.join(''));
  const reply = client.reply;
  reply.mapHeader(2);
  reply.bulk('matches');
  reply.arrayHeader(ranges.length);
  for (const [as, ae, bs, be, length] of ranges) {
    reply.arrayHeader(options.withMatchLength ? 3 : 2);
    reply.arrayHeader(2);
    reply.integer(as);
    reply.integer(ae);
    reply.arrayHeader(2);
    reply.integer(bs);
    reply.integer(be);
    if (options.withMatchLength) reply.integer(length);
  }
  reply.bulk('len');
  reply.integer(total);
}

export const stringRangeHandlers = { append, strlen, getrange, setrange, lcs };
