// The ZRANGE family, as Redis 7.0's zrangeGenericCommand: ZRANGE (BYSCORE/BYLEX/REV/LIMIT/
// WITHSCORES), ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX,
// ZREVRANGEBYLEX. All of them go through one parser, so the legacy commands refuse the options
// they fix themselves (ZREVRANGE ... REV is a syntax error), exactly like Redis.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isZSet, type ZSetValue } from '../keyspace/values';
import { lexGteMin, lexLteMax, SortedSet, type LexRange, type ScoreRange } from '../keyspace/sorted-set';
import { lookupTyped, markDirty, notify, syntaxError, WRONGTYPE } from './util';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../keyspace-events';
import { ERR_MIN_MAX_NOT_FLOAT, ERR_MIN_MAX_NOT_VALID_STRING } from '../errors';
import { longArg } from './collection-args';
import { parseLexRange, parseScoreRange, replyEntries, zsetLimits } from './zset-args';

const ERR_LIMIT_NEEDS_BY = 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX';
const ERR_WITHSCORES_BYLEX = 'ERR syntax error, WITHSCORES not supported in combination with BYLEX';

type RangeKind = 'rank' | 'score' | 'lex';
type Entry = [string, number];

interface RangeQuery {
  kind: RangeKind;
  reverse: boolean;
  start: number;
  end: number;
  score: ScoreRange | null;
  lex: LexRange | null;
  offset: number;
  /** -1 (or any negative) means no limit, as in Redis. */
  limit: number;
}

/**
 * Parses the options and the range. `fixedKind`/`fixedReverse` are what the legacy commands
 * imply (null when ZRANGE/ZRANGESTORE let the options decide). Replies the error and returns
 * null on failure.
 */
function parseRangeQuery(
  client: CommandContext,
  args: string[],
  keyIndex: number,
  store: boolean,
  fixedKind: RangeKind | null,
  fixedReverse: boolean | null,
): { query: RangeQuery; withScores: boolean } | null {
  let kind: RangeKind | null = fixedKind;
  let reverse: boolean | null = fixedReverse;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = keyIndex + 3; j < args.length; j++) {
    const option = args[j].toLowerCase();
    const left = args.length - j - 1;
    if (!store && option === 'withscores') {
      withScores = true;
    } else if (option === 'limit' && left >= 2) {
      const parsedOffset = longArg(client, args[j + 1]);
      if (parsedOffset === null) return null;
      const parsedLimit = longArg(client, args[j + 2]);
      if (parsedLimit === null) return null;
      offset = parsedOffset;
      limit = parsedLimit;
      j += 2;
    } else if (fixedReverse === null && reverse === null && option === 'rev') {
      reverse = true;
    } else if (fixedKind === null && kind === null && option === 'bylex') {
      kind = 'lex';
    } else if (fixedKind === null && kind === null && option === 'byscore') {
      kind = 'score';
    } else {
      syntaxError(client);
      return null;
    }
  }
  const finalKind: RangeKind = kind ?? 'rank';
  const finalReverse = reverse ?? false;
  // Redis tests the value, not the presence: "LIMIT 0 -1" passes with a rank range.
  if (limit !== -1 && finalKind === 'rank') {
    client.reply.error(ERR_LIMIT_NEEDS_BY);
    return null;
  }
  if (withScores && finalKind === 'lex') {
    client.reply.error(ERR_WITHSCORES_BYLEX);
    return null;
  }
  // Reversed score and lex ranges name the maximum first.
  let minText = args[keyIndex + 1];
  let maxText = args[keyIndex + 2];
  if (finalReverse && finalKind !== 'rank') [minText, maxText] = [maxText, minText];
  const query: RangeQuery = { kind: finalKind, reverse: finalReverse, start: 0, end: 0, score: null, lex: null, offset, limit };
  if (finalKind === 'rank') {
    const start = longArg(client, minText);
    if (start === null) return null;
    const end = longArg(client, maxText);
    if (end === null) return null;
    query.start = start;
    query.end = end;
  } else if (finalKind === 'score') {
    query.score = parseScoreRange(minText, maxText);
    if (!query.score) {
      client.reply.error(ERR_MIN_MAX_NOT_FLOAT);
      return null;
    }
  } else {
    query.lex = parseLexRange(minText, maxText);
    if (!query.lex) {
      client.reply.error(ERR_MIN_MAX_NOT_VALID_STRING);
      return null;
    }
  }
  return { query, withScores };
}

/** Collects `count` entries (all when negative) walking from `start`, while `inRange` holds. */
function collect(zset: ZSetValue, start: number, reverse: boolean, count: number, inRange: (member: string, score: number) => boolean): Entry[] {
  const out: Entry[] = [];
  if (count === 0) return out;
  zset.walk(start, reverse, (member, score) => {
    if (!inRange(member, score)) return false;
    out.push([member, score]);
    return count < 0 || out.length < count;
  });
  return out;
}

const always = () => true;

function rankRange(zset: ZSetValue, query: RangeQuery): Entry[] {
  const length = zset.size;
  let start = query.start < 0 ? length + query.start : query.start;
  let end = query.end < 0 ? length + query.end : query.end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return [];
  if (end >= length) end = length - 1;
  const count = end - start + 1;
  return collect(zset, query.reverse ? length - 1 - start : start, query.reverse, count, always);
}

function scoreRange(zset: ZSetValue, query: RangeQuery): Entry[] {
  // A negative offset never reaches an element: Redis's skip loop runs off the end.
  if (query.offset < 0) return [];
  const range = query.score as ScoreRange;
  const [first, last] = zset.scoreRangeRanks(range);
  if (first > last) return [];
  const start = query.reverse ? last - query.offset : first + query.offset;
  if (start < first || start > last) return [];
  const available = query.reverse ? start - first + 1 : last - start + 1;
  const count = query.limit < 0 ? available : Math.min(query.limit, available);
  return collect(zset, start, query.reverse, count, always);
}

function lexRange(zset: ZSetValue, query: RangeQuery): Entry[] {
  if (query.offset < 0) return [];
  const range = query.lex as LexRange;
  const first = zset.lexRangeStart(range, query.reverse);
  if (first < 0) return [];
  const start = query.reverse ? first - query.offset : first + query.offset;
  const inRange = query.reverse ? (member: string) => lexGteMin(member, range) : (member: string) => lexLteMax(member, range);
  return collect(zset, start, query.reverse, query.limit < 0 ? -1 : query.limit, inRange);
}

function runQuery(zset: ZSetValue, query: RangeQuery): Entry[] {
  if (query.kind === 'rank') return rankRange(zset, query);
  if (query.kind === 'score') return scoreRange(zset, query);
  return lexRange(zset, query);
}

function zrangeGeneric(client: CommandContext, args: string[], fixedKind: RangeKind | null, fixedReverse: boolean | null): void {
  const parsed = parseRangeQuery(client, args, 1, false, fixedKind, fixedReverse);
  if (!parsed) return;
  const zset = lookupTyped(client, args[1], isZSet);
  if (zset === WRONGTYPE) return;
  if (!zset) return client.reply.arrayHeader(0);
  replyEntries(client, runQuery(zset, parsed.query), parsed.withScores);
}

/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]. */
function zrangestore(client: CommandContext, args: string[]): void {
  const destination = args[1];
  const parsed = parseRangeQuery(client, args, 2, true, null, null);
  if (!parsed) return;
  const source = lookupTyped(client, args[2], isZSet);
  if (source === WRONGTYPE) return;
  const entries = source ? runQuery(source, parsed.query) : [];
  if (entries.length === 0) {
    client.reply.integer(0);
    if (client.db.delete(destination)) {
      markDirty(client);
      notify(client, NOTIFY_GENERIC, 'del', destination);
    }
    return;
  }
  const limits = zsetLimits(client);
  // Redis sizes the destination up front only for rank ranges, whose length it knows.
  const startsLarge = parsed.query.kind === 'rank' && entries.length > limits.maxListpackEntries;
  const result = new SortedSet(startsLarge ? 'skiplist' : 'listpack');
  for (const [member, score] of entries) result.add(member, score, limits);
  client.db.set(destination, result);
  markDirty(client);
  notify(client, NOTIFY_ZSET, 'zrangestore', destination);
  client.reply.integer(entries.length);
}

const READ = ['readonly'] as const;
const KEY1: [number, number, number] = [1, 1, 1];
const cats = (...names: string[]) => ({ categories: names });

export const zsetRangeCommands: CommandSpec[] = [
  command('zrange', -4, READ, (c, a) => zrangeGeneric(c, a, null, null), KEY1, cats('@read', '@sortedset', '@slow')),
  command('zrevrange', -4, READ, (c, a) => zrangeGeneric(c, a, 'rank', true), KEY1, cats('@read', '@sortedset', '@slow')),
  command('zrangebyscore', -4, READ, (c, a) => zrangeGeneric(c, a, 'score', false), KEY1, cats('@read', '@sortedset', '@slow')),
  command('zrevrangebyscore', -4, READ, (c, a) => zrangeGeneric(c, a, 'score', true), KEY1, cats('@read', '@sortedset', '@slow')),
  command('zrangebylex', -4, READ, (c, a) => zrangeGeneric(c, a, 'lex', false), KEY1, cats('@read', '@sortedset', '@slow')),
  command('zrevrangebylex', -4, READ, (c, a) => zrangeGeneric(c, a, 'lex', true), KEY1, cats('@read', '@sortedset', '@slow')),
  command('zrangestore', -5, ['write', 'denyoom'], zrangestore, [1, 2, 1], cats('@write', '@sortedset', '@slow')),
];
