// Commands of the sorted sets group, as Redis 7.0's t_zset.c: ZADD, ZINCRBY, ZREM, ZSCORE,
// ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK, ZPOPMIN/ZPOPMAX, ZREMRANGEBY*, ZSCAN,
// ZRANDMEMBER here; the ZRANGE family in zset-ranges.ts; ZUNION/ZINTER/ZDIFF in zset-algebra.ts.
// Every command propagates as received, as in Redis 7.0 (only ZMPOP/BZMPOP are rewritten there).

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isZSet, type ZSetValue } from '../keyspace/values';
import { SortedSet } from '../keyspace/sorted-set';
import { afterCollectionRemoval, lookupTyped, markDirty, notify, syntaxError, WRONGTYPE } from './util';
import { NOTIFY_ZSET } from '../keyspace-events';
import {
  ERR_INVALID_CURSOR,
  ERR_MIN_MAX_NOT_FLOAT,
  ERR_MIN_MAX_NOT_VALID_STRING,
  ERR_NAN_RESULT,
  ERR_NOT_FLOAT,
  ERR_ZADD_GT_LT_NX,
  ERR_ZADD_INCR_PAIR,
  ERR_ZADD_NX_XX,
} from '../errors';
import { LONG_MAX, longArg, positiveLongArg, rangeLongArg } from './collection-args';
import { parseMinMax, parseMpop } from './mpop-args';
import { parseCollectionScanOptions, replyEmptyScan } from './collection-scan';
import { parseScanCursor, scanStep } from '../keyspace/scan-cursors';
import { globMatch } from '../glob';
import { listpackScoreText, parseLexRange, parseScore, parseScoreRange, replyEntries, zsetLimits } from './zset-args';
import { formatDouble } from '../resp/numbers';
import { zsetRangeCommands } from './zset-ranges';
import { zsetAlgebraCommands } from './zset-algebra';
import { zrandmember } from './zset-random';

const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_COUNT_POSITIVE = 'ERR count should be greater than 0';

function zsetForWrite(client: CommandContext, key: string): ZSetValue | undefined | typeof WRONGTYPE {
  return lookupTyped(client, key, isZSet, true);
}

function zsetForRead(client: CommandContext, key: string): ZSetValue | undefined | typeof WRONGTYPE {
  return lookupTyped(client, key, isZSet);
}

/**
 * After removals: the command's event, then an emptied set leaves the keyspace ("del"); otherwise
 * WATCH sees the in-place change.
 */
export function afterZsetRemovals(client: CommandContext, key: string, zset: ZSetValue, removed: number, event: string): void {
  if (removed === 0) return;
  afterCollectionRemoval(client, key, NOTIFY_ZSET, event, zset.size === 0);
  markDirty(client, removed);
}

export const zpopEvent = (max: boolean) => (max ? 'zpopmax' : 'zpopmin');

interface ZaddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
  incr: boolean;
}

/** ZADD and ZINCRBY (which is ZADD INCR with the same option parsing, as in Redis). */
export function zaddGeneric(client: CommandContext, args: string[], incrCommand: boolean): void {
  const key = args[1];
  const flags: ZaddFlags = { nx: false, xx: false, gt: false, lt: false, ch: false, incr: incrCommand };
  let scoreIndex = 2;
  for (; scoreIndex < args.length; scoreIndex++) {
    const option = args[scoreIndex].toLowerCase();
    if (option === 'nx' || option === 'xx' || option === 'gt' || option === 'lt' || option === 'ch' || option === 'incr') {
      flags[option] = true;
    } else {
      break;
    }
  }
  const remaining = args.length - scoreIndex;
  if (remaining === 0 || remaining % 2 !== 0) return syntaxError(client);
  const { nx, xx, gt, lt, incr } = flags;
  if (nx && xx) return client.reply.error(ERR_ZADD_NX_XX);
  if ((gt && nx) || (lt && nx) || (gt && lt)) return client.reply.error(ERR_ZADD_GT_LT_NX);
  if (incr && remaining > 2) return client.reply.error(ERR_ZADD_INCR_PAIR);

  // Every score is validated before anything changes: the command applies fully or not at all.
  const scores: number[] = [];
  for (let i = scoreIndex; i < args.length; i += 2) {
    const score = parseScore(args[i]);
    if (score === null) return client.reply.error(ERR_NOT_FLOAT);
    scores.push(score);
  }

  const existing = zsetForWrite(client, key);
  if (existing === WRONGTYPE) return;
  if (!existing && xx) return replyZadd(client, flags, 0, 0, 0, 0);
  const zset = existing ?? new SortedSet();
  const limits = zsetLimits(client);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let lastScore = 0;
  for (let j = 0; j < scores.length; j++) {
    const member = args[scoreIndex + 2 * j + 1];
    const current = zset.score(member);
    if (current === undefined) {
      if (xx) continue;
      zset.add(member, scores[j], limits);
      added++;
      processed++;
      lastScore = scores[j];
      continue;
    }
    if (nx) continue;
    const score = incr ? scores[j] + current : scores[j];
    // Only INCR can produce NaN (inf + -inf); INCR takes one element, so nothing changed yet.
    if (Number.isNaN(score)) return client.reply.error(ERR_NAN_RESULT);
    if ((lt && score >= current) || (gt && score <= current)) continue;
    processed++;
    lastScore = score;
    if (score !== current) {
      zset.add(member, score, limits);
      updated++;
    }
  }
  if (!existing && zset.size > 0) client.db.set(key, zset);
  else if (added + updated > 0) client.db.touched(key);
  markDirty(client, added + updated);
  if (added + updated > 0) notify(client, NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key);
  replyZadd(client, flags, added, updated, processed, lastScore);
}

function replyZadd(client: CommandContext, flags: ZaddFlags, added: number, updated: number, processed: number, score: number): void {
  if (flags.incr) {
    if (processed > 0) client.reply.double(score);
    else client.reply.nullBulk();
  } else {
    client.reply.integer(flags.ch ? added + updated : added);
  }
}

function zrem(client: CommandContext, args: string[]): void {
  const zset = zsetForWrite(client, args[1]);
  if (zset === WRONGTYPE) return;
  if (!zset) return client.reply.integer(0);
  let removed = 0;
  for (let i = 2; i < args.length && zset.size > 0; i++) {
    if (zset.remove(args[i])) removed++;
  }
  afterZsetRemovals(client, args[1], zset, removed, 'zrem');
  client.reply.integer(removed);
}

function zscore(client: CommandContext, args: string[]): void {
  const zset = zsetForRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  const score = zset?.score(args[2]);
  if (score === undefined) client.reply.nullBulk();
  else client.reply.double(score);
}

function zmscore(client: CommandContext, args: string[]): void {
  const zset = zsetForRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  client.reply.arrayHeader(args.length - 2);
  for (let i = 2; i < args.length; i++) {
    const score = zset?.score(args[i]);
    if (score === undefined) client.reply.nullBulk();
    else client.reply.double(score);
  }
}

function zcard(client: CommandContext, args: string[]): void {
  const zset = zsetForRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  client.reply.integer(zset ? zset.size : 0);
}

function zcount(client: CommandContext, args: string[]): void {
  const range = parseScoreRange(args[2], args[3]);
  if (!range) return client.reply.error(ERR_MIN_MAX_NOT_FLOAT);
  const zset = zsetForRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  client.reply.integer(zset ? zset.countInScoreRange(range) : 0);
}

function zlexcount(client: CommandContext, args: string[]): void {
  const range = parseLexRange(args[2], args[3]);
  if (!range) return client.reply.error(ERR_MIN_MAX_NOT_VALID_STRING);
  const zset = zsetForRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  client.reply.integer(zset ? zset.countInLexRange(range) : 0);
}

function zrankGeneric(client: CommandContext, args: string[], reverse: boolean): void {
  const zset = zsetForRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  const rank = zset?.rank(args[2], reverse);
  if (rank === undefined) client.reply.nullBulk();
  else client.reply.integer(rank);
}

/** Pops up to `count` entries from one end; the caller handles the emptied key. */
export function popEntries(zset: ZSetValue, count: number, max: boolean): Array<[string, number]> {
  const popped: Array<[string, number]> = [];
  const total = Math.min(count, zset.size);
  for (let i = 0; i < total; i++) popped.push((max ? zset.popMax() : zset.popMin()) as [string, number]);
  return popped;
}

/** ZPOPMIN/ZPOPMAX key [count]: a count switches RESP3 to nested [member, score] pairs. */
function zpop(client: CommandContext, args: string[], max: boolean): void {
  if (args.length > 3) return syntaxError(client);
  let count = -1;
  if (args.length === 3) {
    const parsed = positiveLongArg(client, args[2]);
    if (parsed === null) return;
    count = parsed;
  }
  const zset = zsetForWrite(client, args[1]);
  if (zset === WRONGTYPE) return;
  if (!zset || count === 0) return client.reply.arrayHeader(0);
  const popped = popEntries(zset, count === -1 ? 1 : count, max);
  afterZsetRemovals(client, args[1], zset, popped.length, zpopEvent(max));
  const nested = client.reply.resp === 3 && count !== -1;
  client.reply.arrayHeader(nested ? popped.length : popped.length * 2);
  for (const [member, score] of popped) {
    if (nested) client.reply.arrayHeader(2);
    client.reply.bulk(member);
    client.reply.double(score);
  }
}

/**
 * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first non-empty key and
 * propagates as ZPOPMIN/ZPOPMAX key count, as Redis 7.0 rewrites it.
 */
function zmpop(client: CommandContext, args: string[]): void {
  const parsed = parseMpop(client, args, 1, (text) => parseMinMax(client, text));
  if (parsed === null) return;
  const { keys, where, count } = parsed;
  for (const key of keys) {
    const zset = zsetForWrite(client, key);
    if (zset === WRONGTYPE) return;
    if (!zset) continue;
    const popped = popEntries(zset, count, where === 'max');
    afterZsetRemovals(client, key, zset, popped.length, zpopEvent(where === 'max'));
    client.server.propagation.rewrite(client.dbIndex, [where === 'max' ? 'ZPOPMAX' : 'ZPOPMIN', key, String(popped.length)]);
    client.reply.arrayHeader(2);
    client.reply.bulk(key);
    replyEntries(client, popped, true, true);
    return;
  }
  client.reply.nullArray();
}

type RemoveRangeKind = 'rank' | 'score' | 'lex';

/** ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX: the range is validated before the lookup. */
function zremrange(client: CommandContext, args: string[], kind: RemoveRangeKind): void {
  let remove: (zset: ZSetValue) => number;
  if (kind === 'rank') {
    const start = longArg(client, args[2]);
    if (start === null) return;
    const end = longArg(client, args[3]);
    if (end === null) return;
    remove = (zset) => {
      const length = zset.size;
      const from = Math.max(0, start < 0 ? length + start : start);
      const to = Math.min(length - 1, end < 0 ? length + end : end);
      return from > to || from >= length ? 0 : zset.deleteRanks(from, to);
    };
  } else if (kind === 'score') {
    const range = parseScoreRange(args[2], args[3]);
    if (!range) return client.reply.error(ERR_MIN_MAX_NOT_FLOAT);
    remove = (zset) => zset.deleteScoreRange(range);
  } else {
    const range = parseLexRange(args[2], args[3]);
    if (!range) return client.reply.error(ERR_MIN_MAX_NOT_VALID_STRING);
    remove = (zset) => zset.deleteLexRange(range);
  }
  const zset = zsetForWrite(client, args[1]);
  if (zset === WRONGTYPE) return;
  if (!zset) return client.reply.integer(0);
  const removed = remove(zset);
  afterZsetRemovals(client, args[1], zset, removed, `zremrangeby${kind}`);
  client.reply.integer(removed);
}

/**
 * ZSCAN: a compact set comes back whole with cursor 0 and its scores as the listpack stores them
 * (integral scores as integers); a skiplist set is walked with the shared live cursors and its
 * scores print as %.17Lg, as Redis's dict scan callback does.
 */
function zscan(client: CommandContext, args: string[]): void {
  const cursor = parseScanCursor(args[2]);
  if (cursor === null) return client.reply.error(ERR_INVALID_CURSOR);
  const zset = zsetForRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  if (!zset) return replyEmptyScan(client);
  const options = parseCollectionScanOptions(client, args, 3);
  if (!options) return;
  const out: string[] = [];
  const keep = (member: string) => options.pattern === null || globMatch(options.pattern, member);
  let next = 0n;
  const iterator = zset.memberIterator();
  if (iterator === null) {
    for (const [member, score] of zset.entries()) if (keep(member)) out.push(member, listpackScoreText(score));
  } else {
    const step = scanStep<string>({
      scope: client.server,
      source: zset,
      cursor,
      makeIterator: () => zset.memberIterator() ?? [][Symbol.iterator](),
      size: zset.size,
      count: options.count,
    });
    next = step.cursor;
    for (const member of step.items) {
      const score = zset.score(member);
      // A cursor can outlive a member (or a rebuild of the set's index): skip what is gone.
      if (score !== undefined && keep(member)) out.push(member, formatDouble(score));
    }
  }
  client.reply.arrayHeader(2);
  client.reply.bulk(next.toString());
  client.reply.bulkArray(out);
}

const WRITE_FAST = ['write', 'denyoom', 'fast'] as const;
const READ_FAST = ['readonly', 'fast'] as const;
const KEY1: [number, number, number] = [1, 1, 1];
const cats = (...names: string[]) => ({ categories: names });

export const zsetsCommands: CommandSpec[] = [
  command('zadd', -4, WRITE_FAST, (c, a) => zaddGeneric(c, a, false), KEY1, cats('@write', '@sortedset', '@fast')),
  command('zincrby', 4, WRITE_FAST, (c, a) => zaddGeneric(c, a, true), KEY1, cats('@write', '@sortedset', '@fast')),
  command('zrem', -3, ['write', 'fast'], zrem, KEY1, cats('@write', '@sortedset', '@fast')),
  command('zscore', 3, READ_FAST, zscore, KEY1, cats('@read', '@sortedset', '@fast')),
  command('zmscore', -3, READ_FAST, zmscore, KEY1, cats('@read', '@sortedset', '@fast')),
  command('zcard', 2, READ_FAST, zcard, KEY1, cats('@read', '@sortedset', '@fast')),
  command('zcount', 4, READ_FAST, zcount, KEY1, cats('@read', '@sortedset', '@fast')),
  command('zlexcount', 4, READ_FAST, zlexcount, KEY1, cats('@read', '@sortedset', '@fast')),
  command('zrank', 3, READ_FAST, (c, a) => zrankGeneric(c, a, false), KEY1, cats('@read', '@sortedset', '@fast')),
  command('zrevrank', 3, READ_FAST, (c, a) => zrankGeneric(c, a, true), KEY1, cats('@read', '@sortedset', '@fast')),
  command('zpopmin', -2, ['write', 'fast'], (c, a) => zpop(c, a, false), KEY1, cats('@write', '@sortedset', '@fast')),
  command('zpopmax', -2, ['write', 'fast'], (c, a) => zpop(c, a, true), KEY1, cats('@write', '@sortedset', '@fast')),
  command('zremrangebyrank', 4, ['write'], (c, a) => zremrange(c, a, 'rank'), KEY1, cats('@write', '@sortedset', '@slow')),
  command('zremrangebyscore', 4, ['write'], (c, a) => zremrange(c, a, 'score'), KEY1, cats('@write', '@sortedset', '@slow')),
  command('zremrangebylex', 4, ['write'], (c, a) => zremrange(c, a, 'lex'), KEY1, cats('@write', '@sortedset', '@slow')),
  command('zscan', -3, ['readonly'], zscan, KEY1, cats('@read', '@sortedset', '@slow')),
  command('zmpop', -4, ['write'], zmpop, [0, 0, 0], cats('@write', '@sortedset', '@slow')),
  command('zrandmember', -2, ['readonly'], zrandmember, KEY1, cats('@read', '@sortedset', '@slow')),
  ...zsetRangeCommands,
  ...zsetAlgebraCommands,
];
