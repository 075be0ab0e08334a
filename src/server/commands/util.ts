// Helpers every command group uses: typed key lookup with WRONGTYPE replies and argument parsing
// with Redis's error replies. They reply on failure so handlers can simply return.

import type { CommandContext } from '../context';
import type { Value } from '../keyspace/values';
import { ERR_NOT_INTEGER, ERR_NOT_FLOAT, ERR_WRONGTYPE, ERR_SYNTAX } from '../errors';
import { parseInt64, parseDouble } from '../resp/numbers';
import { NOTIFY_GENERIC, NOTIFY_KEY_MISS, type NotifyClass } from '../keyspace-events';

/** Returned by the lookups after they replied WRONGTYPE. */
export const WRONGTYPE = Symbol('wrongtype');

/** Reads a key for a read command, counting keyspace hits and misses. */
export function lookupRead(client: CommandContext, key: string): Value | undefined {
  const value = client.db.get(key);
  if (value === undefined) {
    client.server.stats.keyspaceMisses++;
    client.server.keyspaceEvents.notify(NOTIFY_KEY_MISS, 'keymiss', key, client.dbIndex);
  } else client.server.stats.keyspaceHits++;
  return value;
}

/** Publishes a keyspace event of the client's database (or `db`), when its class is enabled. */
export function notify(client: CommandContext, type: NotifyClass, event: string, key: string, db = client.dbIndex): void {
  client.server.keyspaceEvents.notify(type, event, key, db);
}

/**
 * After members left a collection: the command's event, then the key dropped (and "del") when it
 * emptied, else WATCH told of the in-place change.
 */
export function afterCollectionRemoval(client: CommandContext, key: string, type: NotifyClass, event: string, emptied: boolean): void {
  notify(client, type, event, key);
  if (emptied) {
    client.db.delete(key);
    notify(client, NOTIFY_GENERIC, 'del', key);
  } else {
    client.db.touched(key);
  }
}

/** Reads a key expected to hold one type; replies WRONGTYPE and returns WRONGTYPE otherwise. */
export function lookupTyped<T extends Value>(
  client: CommandContext,
  key: string,
  is: (value: Value) => value is T,
  forWrite = false,
): T | undefined | typeof WRONGTYPE {
  const value = forWrite ? client.db.get(key) : lookupRead(client, key);
  if (value === undefined) return undefined;
  if (!is(value)) {
    client.reply.error(ERR_WRONGTYPE);
    return WRONGTYPE;
  }
  return value;
}

export function isString(value: Value): value is string {
  return typeof value === 'string';
}

/** A 64-bit signed integer argument that must fit a JS number; replies ERR not an integer otherwise. */
export function intArg(client: CommandContext, text: string, error = ERR_NOT_INTEGER): number | null {
  const value = parseInt64(text);
  if (value === null || typeof value === 'bigint') {
    client.reply.error(error);
    return null;
  }
  return value;
}

/** A float argument (scores, INCRBYFLOAT); replies ERR not a valid float otherwise. */
export function floatArg(client: CommandContext, text: string, error = ERR_NOT_FLOAT): number | null {
  const value = parseDouble(text);
  if (value === null) {
    client.reply.error(error);
    return null;
  }
  return value;
}

export function syntaxError(client: CommandContext): void {
  client.reply.error(ERR_SYNTAX);
}

/** Counts a change for save points and propagation (Redis's server.dirty++). */
export function markDirty(client: CommandContext, changes = 1): void {
  client.server.dirty += changes;
}
