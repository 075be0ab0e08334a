// Moving values between keys and databases: RENAME, RENAMENX, MOVE, COPY, SWAPDB, FLUSHDB, FLUSHALL.
// A moved or copied key keeps its TTL, as in Redis.

import type { CommandContext } from '../context';
import type { Db, StringEncoding } from '../keyspace/db';
import type { Value } from '../keyspace/values';
import { cloneValue } from '../keyspace/clone';
import { ERR_DB_INDEX, ERR_NO_SUCH_KEY, ERR_NOT_INTEGER, ERR_SAME_OBJECT, ERR_SYNTAX } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { lookupRead, markDirty, notify } from './util';
import { NOTIFY_GENERIC } from '../keyspace-events';

const ERR_INVALID_FIRST_DB = 'ERR invalid first DB index';
const ERR_INVALID_SECOND_DB = 'ERR invalid second DB index';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const ERR_INT32_RANGE = `ERR value is out of range, value must between ${INT32_MIN} and ${INT32_MAX}`;

/**
 * Redis's getIntFromObjectOrReply: a 32-bit int. Not an integer: ERR not an integer;
 * outside 32 bits: the range error. A caller-given message replaces both.
 */
function int32Arg(client: CommandContext, text: string, message?: string): number | null {
  const value = parseInt64(text);
  if (value === null) {
    client.reply.error(message ?? ERR_NOT_INTEGER);
    return null;
  }
  if (typeof value === 'bigint' || value < INT32_MIN || value > INT32_MAX) {
    client.reply.error(message ?? ERR_INT32_RANGE);
    return null;
  }
  return value;
}

/** A database index argument: an int, then within the configured databases. */
function dbArg(client: CommandContext, text: string): Db | null {
  const index = int32Arg(client, text);
  if (index === null) return null;
  if (index < 0 || index >= client.server.dbs.length) {
    client.reply.error(ERR_DB_INDEX);
    return null;
  }
  return client.server.dbs[index];
}

/** Stores a value under a key of a database with the given TTL (or none). */
function store(db: Db, key: string, value: Value, expire: number | undefined, encoding: StringEncoding | undefined): void {
  db.set(key, value);
  if (expire !== undefined) db.setExpire(key, expire);
  // The string object moves (or is duplicated) as it is: a raw one stays raw.
  if (encoding !== undefined) db.markStringEncoding(key, encoding);
}

function rename(client: CommandContext, args: string[]): void {
  const onlyIfAbsent = args[0].toLowerCase() === 'renamenx';
  const [, source, destination] = args;
  const db = client.db;
  const value = db.get(source);
  if (value === undefined) return client.reply.error(ERR_NO_SUCH_KEY);
  // Same key: nothing to do, but the missing-key error above still applies.
  if (source === destination) return onlyIfAbsent ? client.reply.integer(0) : client.reply.ok();
  const expire = db.getExpire(source);
  if (db.get(destination) !== undefined) {
    if (onlyIfAbsent) return client.reply.integer(0);
    db.delete(destination);
  }
  store(db, destination, value, expire, db.stringEncodingOf(source));
  db.delete(source);
  markDirty(client);
  notify(client, NOTIFY_GENERIC, 'rename_from', source);
  notify(client, NOTIFY_GENERIC, 'rename_to', destination);
  if (onlyIfAbsent) client.reply.integer(1);
  else client.reply.ok();
}

function move(client: CommandContext, args: string[]): void {
  const key = args[1];
  const source = client.db;
  const target = dbArg(client, args[2]);
  if (!target) return;
  if (target === source) return client.reply.error(ERR_SAME_OBJECT);
  const value = source.get(key);
  if (value === undefined) return client.reply.integer(0);
  const expire = source.getExpire(key);
  if (target.get(key) !== undefined) return client.reply.integer(0);
  store(target, key, value, expire, source.stringEncodingOf(key));
  source.delete(key);
  markDirty(client);
  notify(client, NOTIFY_GENERIC, 'move_from', key, source.index);
  notify(client, NOTIFY_GENERIC, 'move_to', key, target.index);
  client.reply.integer(1);
}

function copy(client: CommandContext, args: string[]): void {
  const [, key, newKey] = args;
  const source = client.db;
  let target = source;
  let replace = false;
  for (let i = 3; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === 'replace') {
      replace = true;
    } else if (option === 'db' && i + 1 < args.length) {
      const chosen = dbArg(client, args[++i]);
      if (!chosen) return;
      target = chosen;
    } else {
      return client.reply.error(ERR_SYNTAX);
    }
  }
  if (source === target && key === newKey) return client.reply.error(ERR_SAME_OBJECT);
  const value = lookupRead(client, key);
  if (value === undefined) return client.reply.integer(0);
  const expire = source.getExpire(key);
  if (target.get(newKey) !== undefined) {
    if (!replace) return client.reply.integer(0);
    target.delete(newKey);
  }
  store(target, newKey, cloneValue(value), expire, source.stringEncodingOf(key));
  markDirty(client);
  notify(client, NOTIFY_GENERIC, 'copy_to', newKey, target.index);
  client.reply.integer(1);
}

function swapdb(client: CommandContext, args: string[]): void {
  const first = int32Arg(client, args[1], ERR_INVALID_FIRST_DB);
  if (first === null) return;
  const second = int32Arg(client, args[2], ERR_INVALID_SECOND_DB);
  if (second === null) return;
  const count = client.server.dbs.length;
  if (first < 0 || first >= count || second < 0 || second >= count) return client.reply.error(ERR_DB_INDEX);
  if (first !== second) client.server.swapDbs(first, second);
  markDirty(client);
  client.reply.ok();
}

/** FLUSHDB / FLUSHALL [ASYNC|SYNC]: both behave synchronously here; only the syntax differs. */
function flush(client: CommandContext, args: string[]): void {
  if (args.length > 2 || (args.length === 2 && !['sync', 'async'].includes(args[1].toLowerCase()))) {
    return client.reply.error(ERR_SYNTAX);
  }
  const all = args[0].toLowerCase() === 'flushall';
  const server = client.server;
  let removed = 0;
  for (const db of all ? server.dbs : [client.db]) {
    removed += db.size;
    db.clear();
  }
  // Redis propagates a flush even when nothing was removed (forceCommandPropagation);
  // the dispatcher only propagates commands that changed server.dirty.
  if (removed > 0) markDirty(client, removed);
  else server.propagation.also(client.dbIndex, args);
  // Like Redis: with save points set, FLUSHALL replaces the snapshot on disk right away.
  if (all) server.persistence.afterFlushAll();
  client.reply.ok();
}

export const keyMoveHandlers = { rename, move, copy, swapdb, flush };
