// Commands of the lists group, as Redis 7.0's t_list.c (the non-blocking ones): pushes, pops,
// ranges, LSET/LREM/LTRIM/LINSERT/LPOS, LMOVE/RPOPLPUSH and LMPOP. Lists are Deque<string>.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isList, type ListValue } from '../keyspace/values';
import { Deque } from '../keyspace/deque';
import { afterCollectionRemoval, lookupTyped, markDirty, notify, syntaxError, WRONGTYPE } from './util';
import { NOTIFY_LIST } from '../keyspace-events';
import { errWrongArity, ERR_NO_SUCH_KEY, ERR_OUT_OF_RANGE, ERR_WRONGTYPE } from '../errors';
import { longArg, positiveLongArg } from './collection-args';
import { parseMpop } from './mpop-args';

const ERR_RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const ERR_COUNT_NEGATIVE = "ERR COUNT can't be negative";
const ERR_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";

export type End = 'left' | 'right';

/** Reads a list for a write command without touching the hit/miss statistics. */
function listForWrite(client: CommandContext, key: string): ListValue | undefined | typeof WRONGTYPE {
  return lookupTyped(client, key, isList, true);
}

/** After elements left a list: its event, then the key dropped (and "del") when it emptied. */
export function afterRemoval(client: CommandContext, key: string, list: ListValue, event: string): void {
  afterCollectionRemoval(client, key, NOTIFY_LIST, event, list.length === 0);
}

export const popEvent = (end: End) => (end === 'left' ? 'lpop' : 'rpop');
const pushEvent = (end: End) => (end === 'left' ? 'lpush' : 'rpush');

/** Converts LRANGE/LTRIM style indexes to a clamped [start, end] range, or null when empty. */
function clampRange(start: number, end: number, length: number): [number, number] | null {
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (start > end || start >= length) return null;
  if (end >= length) end = length - 1;
  return [start, end];
}

/** Replies list[start..end] as an array, backwards when reverse (RPOP with a count). */
function replyRange(client: CommandContext, list: ListValue, start: number, end: number, reverse: boolean): void {
  const reply = client.reply;
  reply.arrayHeader(end - start + 1);
  if (reverse) for (let i = end; i >= start; i--) reply.bulk(list.at(i) as string);
  else for (let i = start; i <= end; i++) reply.bulk(list.at(i) as string);
}

function push(client: CommandContext, args: string[], end: End, onlyIfExists: boolean): void {
  const key = args[1];
  const db = client.db;
  const existing = db.get(key);
  let list: ListValue;
  if (existing === undefined) {
    if (onlyIfExists) return client.reply.integer(0);
    list = new Deque<string>();
    db.set(key, list);
  } else if (existing instanceof Deque) {
    list = existing;
    db.touched(key);
  } else {
    return client.reply.error(ERR_WRONGTYPE);
  }
  if (end === 'left') for (let i = 2; i < args.length; i++) list.pushFront(args[i]);
  else for (let i = 2; i < args.length; i++) list.pushBack(args[i]);
  markDirty(client, args.length - 2);
  notify(client, NOTIFY_LIST, pushEvent(end), key);
  client.reply.integer(list.length);
}

/** Pops up to count elements from one end and replies them as an array, in pop order. */
export function popRange(client: CommandContext, key: string, list: ListValue, end: End, count: number): number {
  const taken = Math.min(count, list.length);
  if (end === 'left') {
    replyRange(client, list, 0, taken - 1, false);
    list.removeFront(taken);
  } else {
    replyRange(client, list, list.length - taken, list.length - 1, true);
    list.removeBack(taken);
  }
  afterRemoval(client, key, list, popEvent(end));
  markDirty(client, taken);
  return taken;
}

function pop(client: CommandContext, args: string[], end: End): void {
  if (args.length > 3) return client.reply.error(errWrongArity(end === 'left' ? 'lpop' : 'rpop'));
  const hasCount = args.length === 3;
  let count = 0;
  if (hasCount) {
    const parsed = positiveLongArg(client, args[2]);
    if (parsed === null) return;
    count = parsed;
  }
  const key = args[1];
  const list = listForWrite(client, key);
  if (list === WRONGTYPE) return;
  if (!list) return hasCount ? client.reply.nullArray() : client.reply.nullBulk();
  if (hasCount) {
    if (count === 0) return client.reply.arrayHeader(0);
    popRange(client, key, list, end, count);
    return;
  }
  const value = (end === 'left' ? list.popFront() : list.popBack()) as string;
  afterRemoval(client, key, list, popEvent(end));
  markDirty(client);
  client.reply.bulk(value);
}

function llen(client: CommandContext, args: string[]): void {
  const list = lookupTyped(client, args[1], isList);
  if (list === WRONGTYPE) return;
  client.reply.integer(list ? list.length : 0);
}

function lrange(client: CommandContext, args: string[]): void {
  const start = longArg(client, args[2]);
  if (start === null) return;
  const end = longArg(client, args[3]);
  if (end === null) return;
  const list = lookupTyped(client, args[1], isList);
  if (list === WRONGTYPE) return;
  const range = list ? clampRange(start, end, list.length) : null;
  if (!list || !range) return client.reply.arrayHeader(0);
  replyRange(client, list, range[0], range[1], false);
}

function lindex(client: CommandContext, args: string[]): void {
  const list = lookupTyped(client, args[1], isList);
  if (list === WRONGTYPE) return;
  if (!list) return client.reply.nullBulk();
  const index = longArg(client, args[2]);
  if (index === null) return;
  client.reply.bulkOrNull(list.at(index < 0 ? list.length + index : index));
}

function lset(client: CommandContext, args: string[]): void {
  const key = args[1];
  const list = listForWrite(client, key);
  if (list === WRONGTYPE) return;
  if (!list) return client.reply.error(ERR_NO_SUCH_KEY);
  const requested = longArg(client, args[2]);
  if (requested === null) return;
  const index = requested < 0 ? list.length + requested : requested;
  if (index < 0 || index >= list.length) return client.reply.error(ERR_OUT_OF_RANGE);
  list.set(index, args[3]);
  client.db.touched(key);
  markDirty(client);
  notify(client, NOTIFY_LIST, 'lset', key);
  client.reply.ok();
}

function lrem(client: CommandContext, args: string[]): void {
  const count = longArg(client, args[2]);
  if (count === null) return;
  const key = args[1];
  const list = listForWrite(client, key);
  if (list === WRONGTYPE) return;
  if (!list) return client.reply.integer(0);
  const removed = list.removeMatching(args[3], Math.abs(count), count < 0);
  if (removed > 0) {
    afterRemoval(client, key, list, 'lrem');
    markDirty(client, removed);
  }
  client.reply.integer(removed);
}

function ltrim(client: CommandContext, args: string[]): void {
  const start = longArg(client, args[2]);
  if (start === null) return;
  const end = longArg(client, args[3]);
  if (end === null) return;
  const key = args[1];
  const list = listForWrite(client, key);
  if (list === WRONGTYPE) return;
  if (!list) return client.reply.ok();
  const length = list.length;
  const range = clampRange(start, end, length);
  const fromFront = range ? range[0] : length;
  const fromBack = range ? length - range[1] - 1 : 0;
  list.removeFront(fromFront);
  list.removeBack(fromBack);
  // Redis signals WATCH even when nothing was trimmed, but counts only removed elements as changes.
  afterRemoval(client, key, list, 'ltrim');
  markDirty(client, fromFront + fromBack);
  client.reply.ok();
}

function linsert(client: CommandContext, args: string[]): void {
  const where = args[2].toLowerCase();
  if (where !== 'before' && where !== 'after') return syntaxError(client);
  const key = args[1];
  const list = listForWrite(client, key);
  if (list === WRONGTYPE) return;
  if (!list) return client.reply.integer(0);
  const pivot = args[3];
  const length = list.length;
  let index = 0;
  while (index < length && list.at(index) !== pivot) index++;
  if (index === length) return client.reply.integer(-1);
  list.insertAt(where === 'before' ? index : index + 1, args[4]);
  client.db.touched(key);
  markDirty(client);
  notify(client, NOTIFY_LIST, 'linsert', key);
  client.reply.integer(list.length);
}

function lpos(client: CommandContext, args: string[]): void {
  let rank = 1;
  let count = -1; // -1: COUNT not given, so the reply is a single index or null.
  let maxlen = 0;
  for (let i = 3; i < args.length; i++) {
    const option = args[i].toLowerCase();
    const hasValue = i + 1 < args.length;
    if (option === 'rank' && hasValue) {
      const parsed = longArg(client, args[++i]);
      if (parsed === null) return;
      if (parsed === 0) return client.reply.error(ERR_RANK_ZERO);
      rank = parsed;
    } else if (option === 'count' && hasValue) {
      const parsed = positiveLongArg(client, args[++i], ERR_COUNT_NEGATIVE);
      if (parsed === null) return;
      count = parsed;
    } else if (option === 'maxlen' && hasValue) {
      const parsed = positiveLongArg(client, args[++i], ERR_MAXLEN_NEGATIVE);
      if (parsed === null) return;
      maxlen = parsed;
    } else {
      return syntaxError(client);
    }
  }
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const list = lookupTyped(client, args[1], isList);
  if (list === WRONGTYPE) return;
  if (!list) return count !== -1 ? client.reply.arrayHeader(0) : client.reply.nullBulk();
  const element = args[2];
  const length = list.length;
  const limit = maxlen === 0 ? length : Math.min(maxlen, length);
  const found: number[] = [];
  let matches = 0;
  for (let scanned = 0; scanned < limit; scanned++) {
    const index = fromTail ? length - 1 - scanned : scanned;
    if (list.at(index) !== element) continue;
    matches++;
    if (matches < rank) continue;
    found.push(index);
    if (count === -1 || (count !== 0 && found.length >= count)) break;
  }
  if (count === -1) {
    if (found.length > 0) client.reply.integer(found[0]);
    else client.reply.nullBulk();
    return;
  }
  client.reply.arrayHeader(found.length);
  for (const index of found) client.reply.integer(index);
}

export function parseEnd(client: CommandContext, text: string): End | null {
  const lower = text.toLowerCase();
  if (lower === 'left' || lower === 'right') return lower;
  syntaxError(client);
  return null;
}

export function moveGeneric(client: CommandContext, args: string[], from: End, to: End): void {
  const sourceKey = args[1];
  const destinationKey = args[2];
  const source = listForWrite(client, sourceKey);
  if (source === WRONGTYPE) return;
  if (!source) return client.reply.nullBulk();
  const destination = listForWrite(client, destinationKey);
  if (destination === WRONGTYPE) return;
  const value = (from === 'left' ? source.popFront() : source.popBack()) as string;
  // Source and destination may be the same list (rotation): push before checking for emptiness.
  let target = destination;
  if (!target) {
    target = new Deque<string>();
    client.db.set(destinationKey, target);
  } else {
    client.db.touched(destinationKey);
  }
  if (to === 'left') target.pushFront(value);
  else target.pushBack(value);
  notify(client, NOTIFY_LIST, pushEvent(to), destinationKey);
  afterRemoval(client, sourceKey, source, popEvent(from));
  markDirty(client);
  client.reply.bulk(value);
}

function lmove(client: CommandContext, args: string[]): void {
  const from = parseEnd(client, args[3]);
  if (from === null) return;
  const to = parseEnd(client, args[4]);
  if (to === null) return;
  moveGeneric(client, args, from, to);
}

function lmpop(client: CommandContext, args: string[]): void {
  const parsed = parseMpop(client, args, 1, (text) => parseEnd(client, text));
  if (parsed === null) return;
  const { keys, where: end, count } = parsed;
  for (const key of keys) {
    const list = listForWrite(client, key);
    if (list === WRONGTYPE) return;
    if (!list || list.length === 0) continue;
    client.reply.arrayHeader(2);
    client.reply.bulk(key);
    const taken = popRange(client, key, list, end, count);
    // Replicas get a plain pop of exactly what was taken, as Redis propagates it.
    client.server.propagation.rewrite(client.dbIndex, [end === 'left' ? 'LPOP' : 'RPOP', key, String(taken)]);
    return;
  }
  client.reply.nullArray();
}

const KEY1: [number, number, number] = [1, 1, 1];
const KEYS12: [number, number, number] = [1, 2, 1];
const cats = (...names: string[]) => ({ categories: names });
const WRITE_FAST = cats('@write', '@list', '@fast');
const WRITE_SLOW = cats('@write', '@list', '@slow');
const READ_SLOW = cats('@read', '@list', '@slow');

export const listsCommands: CommandSpec[] = [
  command('lpush', -3, ['write', 'denyoom', 'fast'], (c, a) => push(c, a, 'left', false), KEY1, WRITE_FAST),
  command('rpush', -3, ['write', 'denyoom', 'fast'], (c, a) => push(c, a, 'right', false), KEY1, WRITE_FAST),
  command('lpushx', -3, ['write', 'denyoom', 'fast'], (c, a) => push(c, a, 'left', true), KEY1, WRITE_FAST),
  command('rpushx', -3, ['write', 'denyoom', 'fast'], (c, a) => push(c, a, 'right', true), KEY1, WRITE_FAST),
  command('lpop', -2, ['write', 'fast'], (c, a) => pop(c, a, 'left'), KEY1, WRITE_FAST),
  command('rpop', -2, ['write', 'fast'], (c, a) => pop(c, a, 'right'), KEY1, WRITE_FAST),
  command('llen', 2, ['readonly', 'fast'], llen, KEY1, cats('@read', '@list', '@fast')),
  command('lrange', 4, ['readonly'], lrange, KEY1, READ_SLOW),
  command('lindex', 3, ['readonly'], lindex, KEY1, READ_SLOW),
  command('lset', 4, ['write', 'denyoom'], lset, KEY1, WRITE_SLOW),
  command('lrem', 4, ['write'], lrem, KEY1, WRITE_SLOW),
  command('ltrim', 4, ['write'], ltrim, KEY1, WRITE_SLOW),
  command('linsert', 5, ['write', 'denyoom'], linsert, KEY1, WRITE_SLOW),
  command('lpos', -3, ['readonly'], lpos, KEY1, READ_SLOW),
  command('lmove', 5, ['write', 'denyoom'], lmove, KEYS12, WRITE_SLOW),
  command('rpoplpush', 3, ['write', 'denyoom'], (c, a) => moveGeneric(c, a, 'right', 'left'), KEYS12, WRITE_SLOW),
  command('lmpop', -4, ['write'], lmpop, [0, 0, 0], WRITE_SLOW),
];
