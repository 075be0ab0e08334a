// SORT and SORT_RO, as Redis 7.0's sort.c: elements of a list, set or sorted set ordered
// numerically (strtod) or as strings, optionally by values looked up through a BY pattern,
// projected through GET patterns, and returned or stored as a list. SORT ... STORE
// propagates as received, as in Redis.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isHash, isList, isSet, isZSet, type Value } from '../keyspace/values';
import { Deque } from '../keyspace/deque';
import { lookupRead, markDirty, notify, syntaxError } from './util';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../keyspace-events';
import { ERR_NOT_INTEGER, ERR_WRONGTYPE } from '../errors';
import { parseInt64 } from '../resp/numbers';

const ERR_SORT_SCORES = "ERR One or more scores can't be converted into double";
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * The key (and hash field) a pattern names for an element: the first '*' is replaced by the
 * element, and "->field" after it selects a hash field. "#" is the element itself.
 * Returns undefined when nothing matches (no '*', missing key, wrong type, missing field).
 */
function lookupByPattern(client: CommandContext, pattern: string, element: string): string | undefined {
  if (pattern === '#') return element;
  const star = pattern.indexOf('*');
  if (star < 0) return undefined;
  const arrow = pattern.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, keyEnd);
  const value = lookupRead(client, key);
  if (value === undefined) return undefined;
  if (hasField) return isHash(value) ? value.get(pattern.slice(arrow + 2)) : undefined;
  return typeof value === 'string' ? value : undefined;
}

const WHITESPACE = /^[ \t\n\v\f\r]*/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX](?=\.?[0-9a-fA-F])([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * glibc strtod over the whole text, as SORT's numeric mode uses it: null when text is left
 * unparsed, when the value over- or underflows (ERANGE) or is NaN. An empty text parses as 0.
 */
export function strtodWhole(text: string): number | null {
  if (text === '') return 0;
  const body = text.slice(WHITESPACE.exec(text)![0].length);
  if (DECIMAL.test(body)) {
    const value = Number(body);
    if (!Number.isFinite(value)) return null;
    if (Math.abs(value) < MIN_NORMAL && /[1-9]/.test(body.split(/[eE]/)[0])) return null;
    return value;
  }
  const hex = HEX.exec(body);
  if (hex) {
    const fraction = hex[3] ?? '';
    const digits = (hex[2] + fraction).replace(/^0+/, '') || '0';
    if (digits === '0') return hex[1] === '-' ? -0 : 0;
    const value = Number(BigInt('0x' + digits)) * 2 ** (Number(hex[4] ?? '0') - 4 * fraction.length);
    if (!Number.isFinite(value) || (value !== 0 && Math.abs(value) < MIN_NORMAL)) return null;
    return hex[1] === '-' ? -value : value;
  }
  const inf = INFINITY.exec(body);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return null;
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface SortItem {
  element: string;
  score: number;
  /** The BY value in ALPHA mode; undefined when the pattern found nothing. */
  by: string | undefined;
}

function longArg(text: string): number | null {
  const value = parseInt64(text);
  if (value === null) return null;
  if (typeof value === 'bigint') return value < LONG_MIN || value > LONG_MAX ? null : Number(value);
  return value;
}

function sortGeneric(client: CommandContext, args: string[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontSort = false;
  let sortBy: string | null = null;
  let storeKey: string | null = null;
  const gets: string[] = [];
  for (let j = 2; j < args.length; j++) {
    const left = args.length - j - 1;
    const option = args[j].toLowerCase();
    if (option === 'asc') desc = false;
    else if (option === 'desc') desc = true;
    else if (option === 'alpha') alpha = true;
    else if (option === 'limit' && left >= 2) {
      const start = longArg(args[j + 1]);
      const count = start === null ? null : longArg(args[j + 2]);
      if (start === null || count === null) return client.reply.error(ERR_NOT_INTEGER);
      limitStart = start;
      limitCount = count;
      j += 2;
    } else if (!readonly && option === 'store' && left >= 1) {
      storeKey = args[++j];
    } else if (option === 'by' && left >= 1) {
      sortBy = args[++j];
      if (!sortBy.includes('*')) dontSort = true;
    } else if (option === 'get' && left >= 1) {
      gets.push(args[++j]);
    } else {
      return syntaxError(client);
    }
  }

  const value: Value | undefined = lookupRead(client, args[1]);
  if (value !== undefined && !isList(value) && !isSet(value) && !isZSet(value)) return client.reply.error(ERR_WRONGTYPE);

  // Sets have no order of their own: a stored (or scripted) "unsorted" result is sorted as strings
  // instead, so replicas and the AOF see the same order.
  if (dontSort && value !== undefined && isSet(value) && (storeKey !== null || client.isScript)) {
    dontSort = false;
    alpha = true;
    sortBy = null;
  }

  // Redis converts a sorted set to its skiplist encoding before reading it, and it stays so.
  // SORT_RO changes it too: an open snapshot (BGSAVE) keeps the encoding it saw.
  if (value !== undefined && isZSet(value) && value.encoding === 'listpack') {
    client.db.beforeWrite(args[1]);
    value.convertToSkiplist();
  }

  const total = value === undefined ? 0 : isList(value) ? value.length : value.size;
  let start = Math.min(Math.max(limitStart, 0), total);
  const count = Math.min(Math.max(limitCount, -1), total);
  let end = count < 0 ? total - 1 : start + count - 1;
  if (start >= total) {
    start = total - 1;
    end = total - 2;
  }
  if (end >= total) end = total - 1;

  let items: SortItem[];
  const item = (element: string): SortItem => ({ element, score: 0, by: undefined });
  if (value === undefined) {
    items = [];
  } else if (dontSort && (isList(value) || isZSet(value))) {
    // Unsorted lists and sorted sets keep their own order: only the LIMIT window is read.
    const elements = isList(value) ? value.toArray() : [...value.entries()].map((entry) => entry[0]);
    if (desc) elements.reverse();
    items = end >= start ? elements.slice(start, end + 1).map(item) : [];
    end -= start;
    start = 0;
  } else if (isList(value)) {
    items = value.toArray().map(item);
  } else if (isSet(value)) {
    items = [...value].map(item);
  } else {
    items = [...value.entries()].map((entry) => item(entry[0]));
  }

  if (!dontSort) {
    let conversionError = false;
    for (const entry of items) {
      let byValue: string | undefined;
      if (sortBy !== null) {
        byValue = lookupByPattern(client, sortBy, entry.element);
        if (byValue === undefined) continue;
      } else {
        byValue = entry.element;
      }
      if (alpha) {
        if (sortBy !== null) entry.by = byValue;
      } else {
        const score = strtodWhole(byValue);
        if (score === null) conversionError = true;
        else entry.score = score;
      }
    }
    if (conversionError) return client.reply.error(ERR_SORT_SCORES);
    const byPattern = sortBy !== null;
    items.sort((a, b) => {
      let cmp: number;
      if (!alpha) {
        cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element);
      } else if (byPattern) {
        if (a.by === undefined || b.by === undefined) cmp = a.by === b.by ? 0 : a.by === undefined ? -1 : 1;
        else cmp = compareBytes(a.by, b.by);
      } else {
        cmp = compareBytes(a.element, b.element);
      }
      return desc ? -cmp : cmp;
    });
  }

  const window = end >= start ? items.slice(start, end + 1) : [];
  const outputLength = gets.length > 0 ? gets.length * window.length : window.length;
  if (storeKey === null) {
    client.reply.arrayHeader(outputLength);
    for (const entry of window) {
      if (gets.length === 0) client.reply.bulk(entry.element);
      for (const pattern of gets) client.reply.bulkOrNull(lookupByPattern(client, pattern, entry.element));
    }
    return;
  }
  const stored = new Deque<string>();
  for (const entry of window) {
    if (gets.length === 0) stored.pushBack(entry.element);
    for (const pattern of gets) stored.pushBack(lookupByPattern(client, pattern, entry.element) ?? '');
  }
  if (outputLength > 0) {
    client.db.set(storeKey, stored);
    markDirty(client, outputLength);
    notify(client, NOTIFY_LIST, 'sortstore', storeKey);
  } else if (client.db.delete(storeKey)) {
    markDirty(client);
    notify(client, NOTIFY_GENERIC, 'del', storeKey);
  }
  client.reply.integer(outputLength);
}

export const sortCommands: CommandSpec[] = [
  command('sort', -2, ['write', 'denyoom'], (c, a) => sortGeneric(c, a, false), [1, 1, 1], { categories: ['@write', '@set', '@sortedset', '@list', '@slow', '@dangerous'] }),
  command('sort_ro', -2, ['readonly'], (c, a) => sortGeneric(c, a, true), [1, 1, 1], { categories: ['@read', '@set', '@sortedset', '@list', '@slow', '@dangerous'] }),
];

/**
 * SORT's key positions as Redis's sortGetKeys finds them (COMMAND GETKEYS): the source, then
 * the last STORE target, skipping the arguments of LIMIT, GET and BY.
 */
export function sortKeyPositions(args: readonly string[]): Array<{ index: number; flags: string[] }> {
  const keys = [{ index: 1, flags: ['RO', 'access'] }];
  let store: number | null = null;
  const skips: Record<string, number> = { limit: 2, get: 1, by: 1 };
  for (let i = 2; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option in skips) i += skips[option];
    else if (option === 'store' && i + 1 < args.length) store = i + 1;
  }
  if (store !== null) keys.push({ index: store, flags: ['OW', 'update'] });
  return keys;
}
