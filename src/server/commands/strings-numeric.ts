// Counters on string values: INCR, DECR, INCRBY, DECRBY (signed 64-bit with overflow errors)
// and INCRBYFLOAT (x87 long double, keyspace/long-double.ts, replicated as SET ... KEEPTTL).

import type { CommandContext } from '../context';
import { ERR_INCR_NAN, ERR_INCR_OVERFLOW, ERR_NOT_FLOAT, ERR_NOT_INTEGER } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { isString, lookupTyped, markDirty, notify, WRONGTYPE } from './util';
import { NOTIFY_STRING } from '../keyspace-events';
import { INT64_MAX, INT64_MIN } from './expire-time';
import { addLongDouble, formatLongDoubleHuman, INFINITE, parseLongDouble } from '../keyspace/long-double';

const ERR_DECREMENT_OVERFLOW = 'ERR decrement would overflow';

/** Stores a counter's new value: an existing key keeps its TTL (Redis's dbOverwrite). */
function storeCounter(client: CommandContext, key: string, existed: boolean, text: string): void {
  if (existed) client.db.replace(key, text);
  else client.db.set(key, text);
  markDirty(client);
}

function incrementBy(client: CommandContext, key: string, increment: number | bigint): void {
  const current = lookupTyped(client, key, isString, true);
  if (current === WRONGTYPE) return;
  const value = current === undefined ? 0 : parseInt64(current);
  if (value === null) return client.reply.error(ERR_NOT_INTEGER);
  let result: number | bigint;
  if (typeof value === 'number' && typeof increment === 'number' && Number.isSafeInteger(value + increment)) {
    result = value + increment;
  } else {
    const sum = BigInt(value) + BigInt(increment);
    if (sum > INT64_MAX || sum < INT64_MIN) return client.reply.error(ERR_INCR_OVERFLOW);
    result = sum;
  }
  storeCounter(client, key, current !== undefined, String(result));
  notify(client, NOTIFY_STRING, 'incrby', key);
  client.reply.integer(result);
}

function incr(client: CommandContext, args: string[]): void {
  incrementBy(client, args[1], 1);
}

function decr(client: CommandContext, args: string[]): void {
  incrementBy(client, args[1], -1);
}

function incrby(client: CommandContext, args: string[]): void {
  const increment = parseInt64(args[2]);
  if (increment === null) return client.reply.error(ERR_NOT_INTEGER);
  incrementBy(client, args[1], increment);
}

function decrby(client: CommandContext, args: string[]): void {
  const decrement = parseInt64(args[2]);
  if (decrement === null) return client.reply.error(ERR_NOT_INTEGER);
  // -INT64_MIN does not fit in 64 bits.
  if (decrement === INT64_MIN) return client.reply.error(ERR_DECREMENT_OVERFLOW);
  incrementBy(client, args[1], -decrement);
}

function incrbyfloat(client: CommandContext, args: string[]): void {
  const key = args[1];
  const current = lookupTyped(client, key, isString, true);
  if (current === WRONGTYPE) return;
  const value = parseLongDouble(current ?? '0');
  const increment = parseLongDouble(args[2]);
  if (value === null || increment === null) return client.reply.error(ERR_NOT_FLOAT);
  // Infinity plus anything is infinite or NaN, and a finite sum may overflow: refused alike.
  const sum = value === INFINITE || increment === INFINITE ? null : addLongDouble(value, increment);
  if (sum === null) return client.reply.error(ERR_INCR_NAN);
  const text = formatLongDoubleHuman(sum);
  storeCounter(client, key, current !== undefined, text);
  // createStringObjectFromLongDouble: an embstr (raw when long), even when it reads as an integer.
  client.db.markStringEncoding(key, 'embstr');
  notify(client, NOTIFY_STRING, 'incrbyfloat', key);
  client.reply.bulk(text);
  // Replicas get the exact resulting text, so float formatting can never make them diverge.
  client.server.propagation.rewrite(client.dbIndex, ['SET', key, text, 'KEEPTTL']);
}

export const stringNumericHandlers = { incr, decr, incrby, decrby, incrbyfloat };
