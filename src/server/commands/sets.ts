// Commands of the sets group, as Redis 7.0's t_set.c: membership, random picks and pops,
// the algebra commands (SINTER/SUNION/SDIFF and their STORE forms, SINTERCARD), SMOVE, SSCAN.
// Sets are Set<string>; see keyspace/encodings.ts for the reply order of integer sets.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isSet, type SetValue } from '../keyspace/values';
import { afterCollectionRemoval, lookupTyped, markDirty, notify, syntaxError, WRONGTYPE } from './util';
import { NOTIFY_GENERIC, NOTIFY_SET } from '../keyspace-events';
import { ERR_WRONGTYPE } from '../errors';
import { freshSetOrder, noteSetAdd, setEncoding, setIterationOrder, intsetOrder } from '../keyspace/encodings';
import { distinctSample, randomElement, randomIndex } from '../keyspace/random-pick';
import { LONG_MAX, positiveLongArg, rangeLongArg } from './collection-args';
import { collectionScan } from './collection-scan';

const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_TOO_MANY_KEYS = "ERR Number of keys can't be greater than number of args";
const ERR_LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
/** SPOP rebuilds the set from the survivors when fewer than count/5 remain, as Redis does. */
const SPOP_MOVE_STRATEGY_MUL = 5;

function setForWrite(client: CommandContext, key: string): SetValue | undefined | typeof WRONGTYPE {
  return lookupTyped(client, key, isSet, true);
}

function replyMembers(client: CommandContext, size: number, members: Iterable<string>): void {
  const reply = client.reply;
  reply.setHeader(size);
  for (const member of members) reply.bulk(member);
}

/** After members left a set: the command's event, then the key dropped (and "del") when it emptied. */
function afterSetRemoval(client: CommandContext, key: string, set: SetValue, event: string): void {
  afterCollectionRemoval(client, key, NOTIFY_SET, event, set.size === 0);
}

function sadd(client: CommandContext, args: string[]): void {
  const key = args[1];
  const existing = setForWrite(client, key);
  if (existing === WRONGTYPE) return;
  const set = existing ?? new Set<string>();
  const sizeBefore = set.size;
  for (let i = 2; i < args.length; i++) set.add(args[i]);
  const added = set.size - sizeBefore;
  if (added > 0) noteSetAdd(set, client.server.config, args, 2);
  if (!existing) client.db.set(key, set);
  else if (added > 0) client.db.touched(key);
  markDirty(client, added);
  if (added > 0) notify(client, NOTIFY_SET, 'sadd', key);
  client.reply.integer(added);
}

function srem(client: CommandContext, args: string[]): void {
  const key = args[1];
  const set = setForWrite(client, key);
  if (set === WRONGTYPE) return;
  if (!set) return client.reply.integer(0);
  let deleted = 0;
  for (let i = 2; i < args.length; i++) {
    if (!set.delete(args[i])) continue;
    deleted++;
    if (set.size === 0) break;
  }
  if (deleted > 0) {
    afterSetRemoval(client, key, set, 'srem');
    markDirty(client, deleted);
  }
  client.reply.integer(deleted);
}

function smove(client: CommandContext, args: string[]): void {
  const [, sourceKey, destinationKey, member] = args;
  const source = client.db.get(sourceKey);
  const destination = client.db.get(destinationKey);
  if (source === undefined) return client.reply.integer(0);
  if (!isSet(source) || (destination !== undefined && !isSet(destination))) return client.reply.error(ERR_WRONGTYPE);
  if (source === destination) return client.reply.integer(source.has(member) ? 1 : 0);
  if (!source.delete(member)) return client.reply.integer(0);
  afterSetRemoval(client, sourceKey, source, 'srem');
  markDirty(client);
  let target = destination as SetValue | undefined;
  if (!target) {
    target = new Set<string>();
    client.db.set(destinationKey, target);
  }
  if (!target.has(member)) {
    target.add(member);
    noteSetAdd(target, client.server.config, [member]);
    client.db.touched(destinationKey);
    markDirty(client);
    notify(client, NOTIFY_SET, 'sadd', destinationKey);
  }
  client.reply.integer(1);
}

function sismember(client: CommandContext, args: string[]): void {
  const set = lookupTyped(client, args[1], isSet);
  if (set === WRONGTYPE) return;
  client.reply.integer(set?.has(args[2]) ? 1 : 0);
}

function smismember(client: CommandContext, args: string[]): void {
  const set = lookupTyped(client, args[1], isSet);
  if (set === WRONGTYPE) return;
  client.reply.arrayHeader(args.length - 2);
  for (let i = 2; i < args.length; i++) client.reply.integer(set?.has(args[i]) ? 1 : 0);
}

function scard(client: CommandContext, args: string[]): void {
  const set = lookupTyped(client, args[1], isSet);
  if (set === WRONGTYPE) return;
  client.reply.integer(set ? set.size : 0);
}

// --- random picks ------------------------------------------------------------------------------

function spop(client: CommandContext, args: string[]): void {
  if (args.length === 3) return spopWithCount(client, args);
  if (args.length > 3) return syntaxError(client);
  const key = args[1];
  const set = setForWrite(client, key);
  if (set === WRONGTYPE) return;
  if (!set) return client.reply.nullBulk();
  const member = randomElement(set);
  set.delete(member);
  client.server.propagation.rewrite(client.dbIndex, ['SREM', key, member]);
  client.reply.bulk(member);
  afterSetRemoval(client, key, set, 'spop');
  markDirty(client);
}

function spopWithCount(client: CommandContext, args: string[]): void {
  const count = positiveLongArg(client, args[2]);
  if (count === null) return;
  const key = args[1];
  const set = setForWrite(client, key);
  if (set === WRONGTYPE) return;
  if (!set || count === 0) return client.reply.setHeader(0);
  const size = set.size;
  const propagation = client.server.propagation;
  notify(client, NOTIFY_SET, 'spop', key);
  if (count >= size) {
    replyMembers(client, size, freshSetOrder(set, client.server.config));
    client.db.delete(key);
    notify(client, NOTIFY_GENERIC, 'del', key);
    propagation.rewrite(client.dbIndex, ['DEL', key]);
    markDirty(client, size);
    return;
  }
  const remaining = size - count;
  client.reply.setHeader(count);
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (const member of distinctSample([...set], count)) {
      set.delete(member);
      client.reply.bulk(member);
      propagation.rewrite(client.dbIndex, ['SREM', key, member]);
    }
    client.db.touched(key);
  } else {
    // Most of the set goes: pick the survivors instead, and reply the rest in iteration order.
    const survivors = new Set(distinctSample([...set], remaining));
    for (const member of setIterationOrder(set, client.server.config)) {
      if (survivors.has(member)) continue;
      client.reply.bulk(member);
      propagation.rewrite(client.dbIndex, ['SREM', key, member]);
    }
    // Redis stores the survivors as a new set (so its encoding is chosen afresh); the TTL stays.
    client.db.replace(key, survivors);
  }
  markDirty(client, count);
}

function srandmember(client: CommandContext, args: string[]): void {
  if (args.length === 3) return srandmemberWithCount(client, args);
  if (args.length > 3) return syntaxError(client);
  const set = lookupTyped(client, args[1], isSet);
  if (set === WRONGTYPE) return;
  if (!set) return client.reply.nullBulk();
  client.reply.bulk(randomElement(set));
}

function srandmemberWithCount(client: CommandContext, args: string[]): void {
  const requested = rangeLongArg(client, args[2], -LONG_MAX, LONG_MAX);
  if (requested === null) return;
  const set = lookupTyped(client, args[1], isSet);
  if (set === WRONGTYPE) return;
  if (!set || requested === 0) return client.reply.arrayHeader(0);
  const reply = client.reply;
  const count = Math.abs(requested);
  if (requested < 0 || count === 1) {
    reply.arrayHeader(count);
    if (count === 1) return reply.bulk(randomElement(set));
    const members = [...set];
    for (let i = 0; i < count; i++) reply.bulk(members[randomIndex(members.length)]);
    return;
  }
  if (count >= set.size) {
    reply.arrayHeader(set.size);
    for (const member of setIterationOrder(set, client.server.config)) reply.bulk(member);
    return;
  }
  reply.bulkArray(distinctSample([...set], count));
}

// --- algebra -----------------------------------------------------------------------------------

/** The sets at keys (null for missing keys), or null after replying WRONGTYPE. */
function lookupSets(client: CommandContext, keys: readonly string[]): Array<SetValue | null> | null {
  const sets: Array<SetValue | null> = [];
  for (const key of keys) {
    const set = lookupTyped(client, key, isSet);
    if (set === WRONGTYPE) return null;
    sets.push(set ?? null);
  }
  return sets;
}

/** Stores an algebra result (SINTERSTORE, SUNIONSTORE, SDIFFSTORE: the event): an empty result deletes the destination instead. */
function storeResult(client: CommandContext, destination: string, result: SetValue, event: string): void {
  if (result.size > 0) {
    client.db.set(destination, result);
    markDirty(client);
    notify(client, NOTIFY_SET, event, destination);
  } else if (client.db.delete(destination)) {
    markDirty(client);
    notify(client, NOTIFY_GENERIC, 'del', destination);
  }
  client.reply.integer(result.size);
}

type InterMode = { kind: 'reply' } | { kind: 'store'; destination: string } | { kind: 'card'; limit: number };

function interGeneric(client: CommandContext, keys: readonly string[], mode: InterMode): void {
  const found = lookupSets(client, keys);
  if (!found) return;
  if (found.includes(null)) {
    if (mode.kind === 'store') return storeResult(client, mode.destination, new Set(), 'sinterstore');
    if (mode.kind === 'card') return client.reply.integer(0);
    return client.reply.setHeader(0);
  }
  const sets = (found as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const smallest = sets[0];
  const others = sets.slice(1).filter((set) => set !== smallest);
  const result: string[] = [];
  const limit = mode.kind === 'card' ? mode.limit : 0;
  for (const member of setIterationOrder(smallest, client.server.config)) {
    let everywhere = true;
    for (const other of others) {
      if (!other.has(member)) {
        everywhere = false;
        break;
      }
    }
    if (!everywhere) continue;
    result.push(member);
    if (limit > 0 && result.length >= limit) break;
  }
  if (mode.kind === 'card') return client.reply.integer(result.length);
  if (mode.kind === 'store') return storeResult(client, mode.destination, new Set(result), 'sinterstore');
  replyMembers(client, result.length, result);
}

function unionOrDiff(client: CommandContext, keys: readonly string[], op: 'union' | 'diff'): SetValue | null {
  const sets = lookupSets(client, keys);
  if (!sets) return null;
  const result = new Set<string>();
  if (op === 'union') {
    for (const set of sets) if (set) for (const member of set) result.add(member);
    return result;
  }
  const first = sets[0];
  // Subtracting a set from itself (the same key given twice) leaves nothing.
  if (!first || sets.slice(1).includes(first)) return result;
  const others = sets.slice(1).filter((set): set is SetValue => set !== null);
  for (const member of first) {
    if (!others.some((other) => other.has(member))) result.add(member);
  }
  return result;
}

function sunionDiff(client: CommandContext, args: string[], op: 'union' | 'diff'): void {
  const result = unionOrDiff(client, args.slice(1), op);
  if (result) replyMembers(client, result.size, freshSetOrder(result, client.server.config));
}

function sunionDiffStore(client: CommandContext, args: string[], op: 'union' | 'diff'): void {
  const result = unionOrDiff(client, args.slice(2), op);
  if (result) storeResult(client, args[1], result, `s${op}store`);
}

function sintercard(client: CommandContext, args: string[]): void {
  const numkeys = rangeLongArg(client, args[1], 1n, LONG_MAX, ERR_NUMKEYS);
  if (numkeys === null) return;
  if (numkeys > args.length - 2) return client.reply.error(ERR_TOO_MANY_KEYS);
  let limit = 0;
  for (let i = 2 + numkeys; i < args.length; i++) {
    if (args[i].toLowerCase() === 'limit' && i + 1 < args.length) {
      const parsed = positiveLongArg(client, args[++i], ERR_LIMIT_NEGATIVE);
      if (parsed === null) return;
      limit = parsed;
    } else {
      return syntaxError(client);
    }
  }
  interGeneric(client, args.slice(2, 2 + numkeys), { kind: 'card', limit });
}

function sscan(client: CommandContext, args: string[]): void {
  collectionScan(client, args, {
    is: isSet,
    compactOrder: (set) => (setEncoding(set, client.server.config) === 'intset' ? intsetOrder(set) : null),
    withValues: false,
  });
}

const KEY1: [number, number, number] = [1, 1, 1];
const ALL_KEYS: [number, number, number] = [1, -1, 1];
const cats = (...names: string[]) => ({ categories: names });

export const setsCommands: CommandSpec[] = [
  command('sadd', -3, ['write', 'denyoom', 'fast'], sadd, KEY1, cats('@write', '@set', '@fast')),
  command('srem', -3, ['write', 'fast'], srem, KEY1, cats('@write', '@set', '@fast')),
  command('smove', 4, ['write', 'fast'], smove, [1, 2, 1], cats('@write', '@set', '@fast')),
  command('sismember', 3, ['readonly', 'fast'], sismember, KEY1, cats('@read', '@set', '@fast')),
  command('smismember', -3, ['readonly', 'fast'], smismember, KEY1, cats('@read', '@set', '@fast')),
  command('scard', 2, ['readonly', 'fast'], scard, KEY1, cats('@read', '@set', '@fast')),
  command('smembers', 2, ['readonly'], (c, a) => interGeneric(c, [a[1]], { kind: 'reply' }), KEY1, cats('@read', '@set', '@slow')),
  command('spop', -2, ['write', 'fast'], spop, KEY1, cats('@write', '@set', '@fast')),
  command('srandmember', -2, ['readonly'], srandmember, KEY1, cats('@read', '@set', '@slow')),
  command('sinter', -2, ['readonly'], (c, a) => interGeneric(c, a.slice(1), { kind: 'reply' }), ALL_KEYS, cats('@read', '@set', '@slow')),
  command('sintercard', -3, ['readonly'], sintercard, [0, 0, 0], cats('@read', '@set', '@slow')),
  command(
    'sinterstore',
    -3,
    ['write', 'denyoom'],
    (c, a) => interGeneric(c, a.slice(2), { kind: 'store', destination: a[1] }),
    ALL_KEYS,
    cats('@write', '@set', '@slow'),
  ),
  command('sunion', -2, ['readonly'], (c, a) => sunionDiff(c, a, 'union'), ALL_KEYS, cats('@read', '@set', '@slow')),
  command('sunionstore', -3, ['write', 'denyoom'], (c, a) => sunionDiffStore(c, a, 'union'), ALL_KEYS, cats('@write', '@set', '@slow')),
  command('sdiff', -2, ['readonly'], (c, a) => sunionDiff(c, a, 'diff'), ALL_KEYS, cats('@read', '@set', '@slow')),
  command('sdiffstore', -3, ['write', 'denyoom'], (c, a) => sunionDiffStore(c, a, 'diff'), ALL_KEYS, cats('@write', '@set', '@slow')),
  command('sscan', -3, ['readonly'], sscan, KEY1, cats('@read', '@set', '@slow')),
];
