// Commands of the hashes group, as Redis 7.0's t_hash.c: HSET, HGET, HGETALL, HINCRBY...
// Hashes are Map<string, string>; Map keeps insertion order, which is the order Redis replies
// small (listpack) hashes in.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isHash, type HashValue } from '../keyspace/values';
import { afterCollectionRemoval, lookupTyped, markDirty, notify, syntaxError, WRONGTYPE } from './util';
import { NOTIFY_HASH } from '../keyspace-events';
import {
  errWrongArity,
  ERR_HASH_NOT_FLOAT,
  ERR_HASH_NOT_INTEGER,
  ERR_INCR_NAN,
  ERR_INCR_OVERFLOW,
  ERR_NOT_FLOAT,
  ERR_NOT_INTEGER,
} from '../errors';
import { parseInt64 } from '../resp/numbers';
import { addLongDouble, formatLongDoubleHuman, INFINITE, parseLongDouble } from '../keyspace/long-double';
import { hashEncoding, noteHashWrite } from '../keyspace/encodings';
import { distinctSample, randomElement, randomIndex } from '../keyspace/random-pick';
import { LONG_MAX } from './collection-args';
import { collectionScan } from './collection-scan';

const ERR_INCR_NOT_FINITE = 'ERR value is NaN or Infinity';
const ERR_VALUE_OUT_OF_RANGE = 'ERR value is out of range';
const ERR_HRANDFIELD_COUNT_RANGE = `ERR value is out of range, value must between -${LONG_MAX} and ${LONG_MAX}`;
/** HRANDFIELD WITHVALUES doubles the reply length, so Redis halves the allowed count. */
const WITHVALUES_COUNT_LIMIT = LONG_MAX / 2n;

/** The hash at key for a write, or undefined when missing; replies WRONGTYPE itself. */
function hashForWrite(client: CommandContext, key: string): HashValue | undefined | typeof WRONGTYPE {
  return lookupTyped(client, key, isHash, true);
}

/** Stores a newly created hash, or signals WATCH for an in-place change; then the command's event. */
function commitHash(client: CommandContext, key: string, hash: HashValue, created: boolean, event: string): void {
  if (created) client.db.set(key, hash);
  else client.db.touched(key);
  notify(client, NOTIFY_HASH, event, key);
}

function hsetGeneric(client: CommandContext, args: string[], name: 'hset' | 'hmset'): void {
  if (args.length % 2 === 1) return client.reply.error(errWrongArity(name));
  const key = args[1];
  const existing = hashForWrite(client, key);
  if (existing === WRONGTYPE) return;
  const hash = existing ?? new Map<string, string>();
  const sizeBefore = hash.size;
  let longest = 0;
  for (let i = 2; i < args.length; i += 2) {
    const field = args[i];
    const value = args[i + 1];
    hash.set(field, value);
    if (field.length > longest) longest = field.length;
    if (value.length > longest) longest = value.length;
  }
  noteHashWrite(hash, client.server.config, longest);
  commitHash(client, key, hash, existing === undefined, 'hset');
  markDirty(client, (args.length - 2) / 2);
  if (name === 'hset') client.reply.integer(hash.size - sizeBefore);
  else client.reply.ok();
}

function hsetnx(client: CommandContext, args: string[]): void {
  const [, key, field, value] = args;
  const existing = hashForWrite(client, key);
  if (existing === WRONGTYPE) return;
  if (existing?.has(field)) return client.reply.integer(0);
  const hash = existing ?? new Map<string, string>();
  hash.set(field, value);
  noteHashWrite(hash, client.server.config, Math.max(field.length, value.length));
  commitHash(client, key, hash, existing === undefined, 'hset');
  markDirty(client);
  client.reply.integer(1);
}

function hget(client: CommandContext, args: string[]): void {
  const hash = lookupTyped(client, args[1], isHash);
  if (hash === WRONGTYPE) return;
  client.reply.bulkOrNull(hash?.get(args[2]));
}

function hmget(client: CommandContext, args: string[]): void {
  const hash = lookupTyped(client, args[1], isHash);
  if (hash === WRONGTYPE) return;
  const values = new Array<string | undefined>(args.length - 2);
  for (let i = 2; i < args.length; i++) values[i - 2] = hash?.get(args[i]);
  client.reply.bulkArrayWithNulls(values);
}

function hdel(client: CommandContext, args: string[]): void {
  const key = args[1];
  const hash = hashForWrite(client, key);
  if (hash === WRONGTYPE) return;
  if (!hash) return client.reply.integer(0);
  let deleted = 0;
  for (let i = 2; i < args.length; i++) {
    if (!hash.delete(args[i])) continue;
    deleted++;
    if (hash.size === 0) break;
  }
  if (deleted > 0) {
    afterCollectionRemoval(client, key, NOTIFY_HASH, 'hdel', hash.size === 0);
    markDirty(client, deleted);
  }
  client.reply.integer(deleted);
}

function hlen(client: CommandContext, args: string[]): void {
  const hash = lookupTyped(client, args[1], isHash);
  if (hash === WRONGTYPE) return;
  client.reply.integer(hash ? hash.size : 0);
}

function hstrlen(client: CommandContext, args: string[]): void {
  const hash = lookupTyped(client, args[1], isHash);
  if (hash === WRONGTYPE) return;
  client.reply.integer(hash?.get(args[2])?.length ?? 0);
}

function hexists(client: CommandContext, args: string[]): void {
  const hash = lookupTyped(client, args[1], isHash);
  if (hash === WRONGTYPE) return;
  client.reply.integer(hash?.has(args[2]) ? 1 : 0);
}

function hgetall(client: CommandContext, args: string[]): void {
  const hash = lookupTyped(client, args[1], isHash);
  if (hash === WRONGTYPE) return;
  if (!hash) return client.reply.mapHeader(0);
  const reply = client.reply;
  reply.mapHeader(hash.size);
  for (const [field, value] of hash) {
    reply.bulk(field);
    reply.bulk(value);
  }
}

function hkeys(client: CommandContext, args: string[]): void {
  const hash = lookupTyped(client, args[1], isHash);
  if (hash === WRONGTYPE) return;
  client.reply.bulkArray(hash ? [...hash.keys()] : []);
}

function hvals(client: CommandContext, args: string[]): void {
  const hash = lookupTyped(client, args[1], isHash);
  if (hash === WRONGTYPE) return;
  client.reply.bulkArray(hash ? [...hash.values()] : []);
}

const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** current + increment with Redis's int64 overflow rule; null on overflow. */
function addInt64(current: number | bigint, increment: number | bigint): number | bigint | null {
  if (typeof current === 'number' && typeof increment === 'number') {
    const sum = current + increment;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(current) + BigInt(increment);
  if (sum > INT64_MAX || sum < INT64_MIN) return null;
  return sum <= SAFE_MAX && sum >= -SAFE_MAX ? Number(sum) : sum;
}

function hincrby(client: CommandContext, args: string[]): void {
  const [, key, field] = args;
  const increment = parseInt64(args[3]);
  if (increment === null) return client.reply.error(ERR_NOT_INTEGER);
  const existing = hashForWrite(client, key);
  if (existing === WRONGTYPE) return;
  const currentText = existing?.get(field);
  let current: number | bigint = 0;
  if (currentText !== undefined) {
    const parsed = parseInt64(currentText);
    if (parsed === null) return client.reply.error(ERR_HASH_NOT_INTEGER);
    current = parsed;
  }
  const sum = addInt64(current, increment);
  if (sum === null) return client.reply.error(ERR_INCR_OVERFLOW);
  const result = String(sum);
  const hash = existing ?? new Map<string, string>();
  hash.set(field, result);
  noteHashWrite(hash, client.server.config, Math.max(field.length, result.length));
  commitHash(client, key, hash, existing === undefined, 'hincrby');
  markDirty(client);
  client.reply.integer(sum);
}

function hincrbyfloat(client: CommandContext, args: string[]): void {
  const [, key, field] = args;
  const increment = parseLongDouble(args[3]);
  if (increment === null) return client.reply.error(ERR_NOT_FLOAT);
  if (increment === INFINITE) return client.reply.error(ERR_INCR_NOT_FINITE);
  const existing = hashForWrite(client, key);
  if (existing === WRONGTYPE) return;
  const currentText = existing?.get(field);
  let sum = increment;
  if (currentText !== undefined) {
    const current = parseLongDouble(currentText);
    if (current === null) return client.reply.error(ERR_HASH_NOT_FLOAT);
    const added = current === INFINITE ? null : addLongDouble(current, increment);
    if (added === null) return client.reply.error(ERR_INCR_NAN);
    sum = added;
  }
  const result = formatLongDoubleHuman(sum);
  const hash = existing ?? new Map<string, string>();
  hash.set(field, result);
  noteHashWrite(hash, client.server.config, Math.max(field.length, result.length));
  commitHash(client, key, hash, existing === undefined, 'hincrbyfloat');
  markDirty(client);
  // Replicas get the computed value so float formatting can never make them diverge.
  client.server.propagation.rewrite(client.dbIndex, ['HSET', key, field, result]);
  client.reply.bulk(result);
}

function hrandfield(client: CommandContext, args: string[]): void {
  if (args.length >= 3) {
    const count = parseInt64(args[2]);
    if (count === null) return client.reply.error(ERR_NOT_INTEGER);
    if (count < -LONG_MAX) return client.reply.error(ERR_HRANDFIELD_COUNT_RANGE);
    if (args.length > 4 || (args.length === 4 && args[3].toLowerCase() !== 'withvalues')) return syntaxError(client);
    const withValues = args.length === 4;
    if (withValues && (count < -WITHVALUES_COUNT_LIMIT || count > WITHVALUES_COUNT_LIMIT)) {
      return client.reply.error(ERR_VALUE_OUT_OF_RANGE);
    }
    return hrandfieldWithCount(client, args[1], count, withValues);
  }
  const hash = lookupTyped(client, args[1], isHash);
  if (hash === WRONGTYPE) return;
  if (!hash) return client.reply.nullBulk();
  client.reply.bulk(randomElement(hash)[0]);
}

function replyFieldValue(client: CommandContext, field: string, value: string, withValues: boolean): void {
  if (!withValues) return client.reply.bulk(field);
  if (client.reply.resp === 3) client.reply.arrayHeader(2);
  client.reply.bulk(field);
  client.reply.bulk(value);
}

function hrandfieldWithCount(client: CommandContext, key: string, requested: number | bigint, withValues: boolean): void {
  const hash = lookupTyped(client, key, isHash);
  if (hash === WRONGTYPE) return;
  if (!hash || requested === 0 || requested === 0n) return client.reply.arrayHeader(0);
  const unique = requested > 0;
  const count = Number(unique ? requested : -requested);
  const size = hash.size;
  // RESP3 nests each field/value pair in its own array; RESP2 flattens them.
  const flatten = withValues && client.reply.resp === 2;
  if (!unique || count === 1) {
    client.reply.arrayHeader(flatten ? count * 2 : count);
    const entries = count === 1 ? [randomElement(hash)] : [...hash];
    for (let i = 0; i < count; i++) {
      const [field, value] = entries.length === 1 ? entries[0] : entries[randomIndex(entries.length)];
      replyFieldValue(client, field, value, withValues);
    }
    return;
  }
  if (count >= size) {
    client.reply.arrayHeader(flatten ? size * 2 : size);
    for (const [field, value] of hash) replyFieldValue(client, field, value, withValues);
    return;
  }
  const sample = distinctSample([...hash], count);
  client.reply.arrayHeader(flatten ? count * 2 : count);
  for (const [field, value] of sample) replyFieldValue(client, field, value, withValues);
}

function hscan(client: CommandContext, args: string[]): void {
  collectionScan(client, args, {
    is: isHash,
    compactOrder: (hash) => (hashEncoding(hash, client.server.config) === 'listpack' ? hash.keys() : null),
    withValues: true,
  });
}

const WRITE_FAST = ['write', 'denyoom', 'fast'] as const;
const READ_FAST = ['readonly', 'fast'] as const;
const KEY1: [number, number, number] = [1, 1, 1];
const cats = (...names: string[]) => ({ categories: names });

export const hashesCommands: CommandSpec[] = [
  command('hset', -4, WRITE_FAST, (c, a) => hsetGeneric(c, a, 'hset'), KEY1, cats('@write', '@hash', '@fast')),
  command('hmset', -4, WRITE_FAST, (c, a) => hsetGeneric(c, a, 'hmset'), KEY1, cats('@write', '@hash', '@fast')),
  command('hsetnx', 4, WRITE_FAST, hsetnx, KEY1, cats('@write', '@hash', '@fast')),
  command('hget', 3, READ_FAST, hget, KEY1, cats('@read', '@hash', '@fast')),
  command('hmget', -3, READ_FAST, hmget, KEY1, cats('@read', '@hash', '@fast')),
  command('hdel', -3, ['write', 'fast'], hdel, KEY1, cats('@write', '@hash', '@fast')),
  command('hlen', 2, READ_FAST, hlen, KEY1, cats('@read', '@hash', '@fast')),
  command('hstrlen', 3, READ_FAST, hstrlen, KEY1, cats('@read', '@hash', '@fast')),
  command('hexists', 3, READ_FAST, hexists, KEY1, cats('@read', '@hash', '@fast')),
  command('hgetall', 2, ['readonly'], hgetall, KEY1, cats('@read', '@hash', '@slow')),
  command('hkeys', 2, ['readonly'], hkeys, KEY1, cats('@read', '@hash', '@slow')),
  command('hvals', 2, ['readonly'], hvals, KEY1, cats('@read', '@hash', '@slow')),
  command('hincrby', 4, WRITE_FAST, hincrby, KEY1, cats('@write', '@hash', '@fast')),
  command('hincrbyfloat', 4, WRITE_FAST, hincrbyfloat, KEY1, cats('@write', '@hash', '@fast')),
  command('hrandfield', -2, ['readonly'], hrandfield, KEY1, cats('@read', '@hash', '@slow')),
  command('hscan', -3, ['readonly'], hscan, KEY1, cats('@read', '@hash', '@slow')),
];
