// Key space inspection and deletion: DEL, UNLINK, EXISTS, TOUCH, TYPE, KEYS, SCAN, RANDOMKEY, DBSIZE.

import type { CommandContext } from '../context';
import type { Db } from '../keyspace/db';
import { typeOf } from '../keyspace/values';
import { scanStep } from '../keyspace/scan-cursors';
import { globMatch } from '../glob';
import { lookupRead, markDirty, notify } from './util';
import { NOTIFY_GENERIC } from '../keyspace-events';
import { parseScanArguments, replyScanPage } from './scan';

/**
 * Deletes a key as Redis's DEL does. A replica keeps logically expired keys (Db hides them and
 * Db.delete leaves them) until its master's DEL arrives; that DEL must still remove them.
 */
export function deleteKey(db: Db, key: string): boolean {
  if (db.delete(key)) return true;
  if (!db.data.has(key)) return false;
  if (db.hasSnapshots) db.beforeWrite(key);
  db.expires.delete(key);
  db.data.delete(key);
  db.touched(key);
  return true;
}

function del(client: CommandContext, args: string[]): void {
  let deleted = 0;
  for (let i = 1; i < args.length; i++) {
    if (!deleteKey(client.db, args[i])) continue;
    deleted++;
    notify(client, NOTIFY_GENERIC, 'del', args[i]);
  }
  markDirty(client, deleted);
  client.reply.integer(deleted);
}

/** EXISTS and TOUCH: how many of the keys exist, a repeated key counting each time. */
function countExisting(client: CommandContext, args: string[]): void {
  let found = 0;
  for (let i = 1; i < args.length; i++) {
    if (lookupRead(client, args[i]) !== undefined) found++;
  }
  client.reply.integer(found);
}

function type(client: CommandContext, args: string[]): void {
  const value = lookupRead(client, args[1]);
  client.reply.simple(value === undefined ? 'none' : typeOf(value));
}

function keys(client: CommandContext, args: string[]): void {
  const pattern = args[1];
  const matchAll = pattern === '*';
  const found: string[] = [];
  for (const key of client.db.liveKeys()) {
    if (matchAll || globMatch(pattern, key)) found.push(key);
  }
  client.reply.bulkArray(found);
}

function scan(client: CommandContext, args: string[]): void {
  const options = parseScanArguments(client, args, 1, true);
  if (!options) return;
  const db = client.db;
  const data = db.data;
  const step = scanStep({
    scope: client.server,
    source: data,
    cursor: options.cursor,
    makeIterator: () => data.keys(),
    size: data.size,
    count: options.count,
  });
  const found: string[] = [];
  for (const key of step.items) {
    if (options.pattern !== null && !globMatch(options.pattern, key)) continue;
    // As Redis, a key found expired here is deleted (and the deletion propagated).
    const value = db.get(key);
    if (value === undefined) continue;
    if (options.type !== null && typeOf(value) !== options.type) continue;
    found.push(key);
  }
  replyScanPage(client, step.cursor, found);
}

/**
 * A random live key. Starts at a random position and walks on (wrapping) to the first live key,
 * deleting expired keys met on the way as Redis does. Costs O(n): Maps have no random access.
 */
function randomkey(client: CommandContext): void {
  const db = client.db;
  const size = db.data.size;
  if (size === 0) return client.reply.nullBulk();
  const start = Math.floor(Math.random() * size);
  let expiredFallback: string | undefined;
  const visit = (key: string): boolean => {
    if (db.get(key) !== undefined) return true;
    expiredFallback ??= key;
    return false;
  };
  let index = 0;
  for (const key of db.data.keys()) {
    if (index++ >= start && visit(key)) return client.reply.bulk(key);
  }
  index = 0;
  for (const key of db.data.keys()) {
    if (index++ >= start) break;
    if (visit(key)) return client.reply.bulk(key);
  }
  // Only a replica gets here with keys left: all are expired but kept, and Redis then returns one.
  if (expiredFallback !== undefined && db.data.has(expiredFallback)) return client.reply.bulk(expiredFallback);
  client.reply.nullBulk();
}

function dbsize(client: CommandContext): void {
  // Like Redis, counts keys that expired but were not yet removed.
  client.reply.integer(client.db.size);
}

export const keyBasicHandlers = { del, countExisting, type, keys, scan, randomkey, dbsize };
