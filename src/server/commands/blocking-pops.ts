// The blocking pops of Redis 7.0: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP (lists) and BZPOPMIN,
// BZPOPMAX, BZMPOP (sorted sets). With data at hand each behaves as its non-blocking form and is
// propagated as that form; otherwise the client waits in the server's BlockedKeys, and whoever
// serves it later propagates what was popped (LPOP, LMOVE, RPOPLPUSH, LPOP key n, ZPOPMIN...),
// exactly as 7.0's serveClientBlockedOnList / serveClientsBlockedOnSortedSetKey do.
// Inside MULTI (and from our master's link) nothing blocks: an empty key answers nil at once.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isList, isZSet } from '../keyspace/values';
import { lookupTyped, WRONGTYPE } from './util';
import { afterRemoval, moveGeneric, parseEnd, popEvent, popRange, type End } from './lists';
import { afterZsetRemovals, popEntries, zpopEvent } from './zsets';
import { replyEntries } from './zset-args';
import { parseMinMax, parseMpop } from './mpop-args';
import { parseDouble } from '../resp/numbers';
import { ERR_WRONGTYPE } from '../errors';

export const ERR_TIMEOUT_NOT_FLOAT = 'ERR timeout is not a float or out of range';
export const ERR_TIMEOUT_NEGATIVE = 'ERR timeout is negative';
const LLONG_MAX = 2 ** 63;

/**
 * A timeout in seconds as 7.0.15's getTimeoutFromObjectOrReply reads it: strtold, times 1000,
 * rounded up (0.0001 waits 1 ms); a value past a 64-bit integer wraps negative there ("inf",
 * 1e400 are "negative"); a deadline past the 64-bit epoch never fires. Returns the deadline in
 * epoch ms, 0 for "forever", or null after replying the error.
 */
export function timeoutArg(client: CommandContext, text: string): number | null {
  const seconds = parseDouble(text);
  if (seconds === null) {
    client.reply.error(ERR_TIMEOUT_NOT_FLOAT);
    return null;
  }
  const ms = Math.ceil(seconds * 1000);
  if (!(ms < LLONG_MAX) || ms < 0) {
    client.reply.error(ERR_TIMEOUT_NEGATIVE);
    return null;
  }
  if (ms === 0) return 0;
  const deadline = client.server.clock.now() + ms;
  return deadline >= LLONG_MAX ? 0 : deadline;
}

/** Blocking is refused inside EXEC and for our master's stream: the command answers nil instead. */
function mayBlock(client: CommandContext): boolean {
  return !client.executingMulti && !client.isMasterLink;
}

/** Propagates what a served client popped, after the command that made its key ready. */
function propagateServed(client: CommandContext, args: string[]): void {
  const propagation = client.server.propagation;
  propagation.begin();
  propagation.also(client.dbIndex, args);
  propagation.end();
}

function wait(client: CommandContext, keys: readonly string[], deadline: number, serve: (key: string) => boolean): void {
  // 7.0 answers every timed-out blocking pop with a null array, BLMOVE included.
  client.server.blocking.block(client, keys, deadline, serve, () => client.reply.nullArray());
}

// --- lists --------------------------------------------------------------------------------------

function popOne(client: CommandContext, key: string, end: End): boolean {
  const list = client.db.get(key);
  if (list === undefined || !isList(list) || list.length === 0) return false;
  client.reply.arrayHeader(2);
  client.reply.bulk(key);
  client.reply.bulk((end === 'left' ? list.popFront() : list.popBack()) as string);
  afterRemoval(client, key, list, popEvent(end));
  client.server.dirty++;
  return true;
}

/** BLPOP / BRPOP key [key ...] timeout. */
function bpop(client: CommandContext, args: string[], end: End): void {
  const deadline = timeoutArg(client, args[args.length - 1]);
  if (deadline === null) return;
  const keys = args.slice(1, -1);
  const pop = end === 'left' ? 'LPOP' : 'RPOP';
  for (const key of keys) {
    const list = lookupTyped(client, key, isList, true);
    if (list === WRONGTYPE) return;
    if (!list) continue;
    popOne(client, key, end);
    client.server.propagation.rewrite(client.dbIndex, [pop, key]);
    return;
  }
  if (!mayBlock(client)) return client.reply.nullArray();
  wait(client, keys, deadline, (key) => {
    if (!popOne(client, key, end)) return false;
    propagateServed(client, [pop, key]);
    return true;
  });
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout, and BRPOPLPUSH source destination timeout. */
function bmove(client: CommandContext, args: string[], from: End, to: End, asRpoplpush: boolean): void {
  const deadline = timeoutArg(client, args[args.length - 1]);
  if (deadline === null) return;
  const [source, destination] = [args[1], args[2]];
  const propagated = asRpoplpush ? ['RPOPLPUSH', source, destination] : ['LMOVE', source, destination, from, to];
  const list = lookupTyped(client, source, isList, true);
  if (list === WRONGTYPE) return;
  if (list) {
    const dirty = client.server.dirty;
    moveGeneric(client, [args[0], source, destination], from, to);
    if (client.server.dirty !== dirty) client.server.propagation.rewrite(client.dbIndex, propagated);
    return;
  }
  if (!mayBlock(client)) return client.reply.nullBulk();
  wait(client, [source], deadline, (key) => {
    const value = client.db.get(key);
    if (value === undefined || !isList(value) || value.length === 0) return false;
    const target = client.db.get(destination);
    // 7.0 answers the waiter WRONGTYPE and leaves the list alone, for the next waiter.
    if (target !== undefined && !isList(target)) {
      client.reply.error(ERR_WRONGTYPE);
      return true;
    }
    moveGeneric(client, [args[0], source, destination], from, to);
    propagateServed(client, propagated);
    return true;
  });
}

function blmove(client: CommandContext, args: string[]): void {
  const from = parseEnd(client, args[3]);
  if (from === null) return;
  const to = parseEnd(client, args[4]);
  if (to === null) return;
  bmove(client, args, from, to, false);
}

function listRange(client: CommandContext, key: string, end: End, count: number): string[] | null {
  const list = client.db.get(key);
  if (list === undefined || !isList(list) || list.length === 0) return null;
  client.reply.arrayHeader(2);
  client.reply.bulk(key);
  const taken = popRange(client, key, list, end, count);
  return [end === 'left' ? 'LPOP' : 'RPOP', key, String(taken)];
}

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]. */
function blmpop(client: CommandContext, args: string[]): void {
  const deadline = timeoutArg(client, args[1]);
  if (deadline === null) return;
  const parsed = parseMpop(client, args, 2, (text) => parseEnd(client, text));
  if (parsed === null) return;
  const { keys, where, count } = parsed;
  for (const key of keys) {
    const list = lookupTyped(client, key, isList, true);
    if (list === WRONGTYPE) return;
    if (!list) continue;
    const propagated = listRange(client, key, where, count) as string[];
    client.server.propagation.rewrite(client.dbIndex, propagated);
    return;
  }
  if (!mayBlock(client)) return client.reply.nullArray();
  wait(client, keys, deadline, (key) => {
    const propagated = listRange(client, key, where, count);
    if (propagated === null) return false;
    propagateServed(client, propagated);
    return true;
  });
}

// --- sorted sets --------------------------------------------------------------------------------

/** Pops from a non-empty sorted set: [key, member, score], or [key, [[member, score]...]] for BZMPOP. */
function zpopFrom(client: CommandContext, key: string, max: boolean, count: number | null): number {
  const zset = client.db.get(key);
  if (zset === undefined || !isZSet(zset) || zset.size === 0) return 0;
  const popped = popEntries(zset, count ?? 1, max);
  afterZsetRemovals(client, key, zset, popped.length, zpopEvent(max));
  client.reply.arrayHeader(count === null ? 3 : 2);
  client.reply.bulk(key);
  if (count === null) {
    client.reply.bulk(popped[0][0]);
    client.reply.double(popped[0][1]);
  } else {
    replyEntries(client, popped, true, true);
  }
  return popped.length;
}

function zpopArgs(key: string, max: boolean, taken: number, count: number | null): string[] {
  const name = max ? 'ZPOPMAX' : 'ZPOPMIN';
  return count === null ? [name, key] : [name, key, String(taken)];
}

/** Shared by BZPOPMIN/BZPOPMAX (count null) and BZMPOP. */
function bzpopGeneric(client: CommandContext, keys: string[], deadline: number, max: boolean, count: number | null): void {
  for (const key of keys) {
    const zset = lookupTyped(client, key, isZSet, true);
    if (zset === WRONGTYPE) return;
    if (!zset) continue;
    const taken = zpopFrom(client, key, max, count);
    client.server.propagation.rewrite(client.dbIndex, zpopArgs(key, max, taken, count));
    return;
  }
  if (!mayBlock(client)) return client.reply.nullArray();
  wait(client, keys, deadline, (key) => {
    const taken = zpopFrom(client, key, max, count);
    if (taken === 0) return false;
    propagateServed(client, zpopArgs(key, max, taken, count));
    return true;
  });
}

function bzpop(client: CommandContext, args: string[], max: boolean): void {
  const deadline = timeoutArg(client, args[args.length - 1]);
  if (deadline === null) return;
  bzpopGeneric(client, args.slice(1, -1), deadline, max, null);
}

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]. */
function bzmpop(client: CommandContext, args: string[]): void {
  const deadline = timeoutArg(client, args[1]);
  if (deadline === null) return;
  const parsed = parseMpop(client, args, 2, (text) => parseMinMax(client, text));
  if (parsed === null) return;
  bzpopGeneric(client, parsed.keys, deadline, parsed.where === 'max', parsed.count);
}

const LIST = { categories: ['@write', '@list', '@slow', '@blocking'] };
const ZSET = { categories: ['@write', '@sortedset', '@fast', '@blocking'] };
const KEYS_BEFORE_TIMEOUT: [number, number, number] = [1, -2, 1];

export const blockingPopsCommands: CommandSpec[] = [
  command('blpop', -3, ['write', 'noscript'], (c, a) => bpop(c, a, 'left'), KEYS_BEFORE_TIMEOUT, LIST),
  command('brpop', -3, ['write', 'noscript'], (c, a) => bpop(c, a, 'right'), KEYS_BEFORE_TIMEOUT, LIST),
  command('blmove', 6, ['write', 'denyoom', 'noscript'], blmove, [1, 2, 1], LIST),
  command('brpoplpush', 4, ['write', 'denyoom', 'noscript'], (c, a) => bmove(c, a, 'right', 'left', true), [1, 2, 1], LIST),
  command('blmpop', -5, ['write'], blmpop, [0, 0, 0], LIST),
  command('bzpopmin', -3, ['write', 'noscript', 'fast'], (c, a) => bzpop(c, a, false), KEYS_BEFORE_TIMEOUT, ZSET),
  command('bzpopmax', -3, ['write', 'noscript', 'fast'], (c, a) => bzpop(c, a, true), KEYS_BEFORE_TIMEOUT, ZSET),
  command('bzmpop', -5, ['write'], bzmpop, [0, 0, 0], { categories: ['@write', '@sortedset', '@slow', '@blocking'] }),
];
