// Key expiry: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (NX/XX/GT/LT), TTL, PTTL, EXPIRETIME,
// PEXPIRETIME, PERSIST. As Redis 7.0's expire.c: relative times are replicated as PEXPIREAT
// with the absolute time, and a time already past deletes the key (replicated as DEL).

import type { CommandContext } from '../context';
import { ERR_INVALID_EXPIRE, ERR_NOT_INTEGER } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { lookupRead, markDirty, notify } from './util';
import { NOTIFY_GENERIC } from '../keyspace-events';
import { alreadyExpired, deletionCommand, INT64_MAX, INT64_MIN, toStoredTime } from './expire-time';

const ERR_NX_WITH_OTHERS = 'ERR NX and XX, GT or LT options at the same time are not compatible';
const ERR_GT_AND_LT = 'ERR GT and LT options at the same time are not compatible';
const errUnsupportedOption = (option: string) => `ERR Unsupported option ${option}`;

interface ExpireFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

function parseExpireFlags(client: CommandContext, args: string[]): ExpireFlags | null {
  const flags: ExpireFlags = { nx: false, xx: false, gt: false, lt: false };
  for (let i = 3; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === 'nx' || option === 'xx' || option === 'gt' || option === 'lt') {
      flags[option] = true;
    } else {
      client.reply.error(errUnsupportedOption(args[i]));
      return null;
    }
  }
  if (flags.nx && (flags.xx || flags.gt || flags.lt)) {
    client.reply.error(ERR_NX_WITH_OTHERS);
    return null;
  }
  if (flags.gt && flags.lt) {
    client.reply.error(ERR_GT_AND_LT);
    return null;
  }
  return flags;
}

/** Whether NX/XX/GT/LT let the new time replace the current one (undefined: no TTL, i.e. infinite). */
function flagsAllow(flags: ExpireFlags, current: number | undefined, when: bigint): boolean {
  if (flags.nx && current !== undefined) return false;
  if (flags.xx && current === undefined) return false;
  if (flags.gt && (current === undefined || when <= BigInt(current))) return false;
  if (flags.lt && current !== undefined && when >= BigInt(current)) return false;
  return true;
}

function expireGeneric(client: CommandContext, args: string[], relative: boolean, inSeconds: boolean): void {
  const commandName = args[0].toLowerCase();
  const key = args[1];
  const flags = parseExpireFlags(client, args);
  if (!flags) return;
  const parsed = parseInt64(args[2]);
  if (parsed === null) return client.reply.error(ERR_NOT_INTEGER);
  let when = BigInt(parsed);
  // Negative times are allowed (they delete the key); only 64-bit overflow is refused.
  if (inSeconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return client.reply.error(ERR_INVALID_EXPIRE(commandName));
    when *= 1000n;
  }
  const base = relative ? BigInt(client.server.clock.now()) : 0n;
  if (when > INT64_MAX - base) return client.reply.error(ERR_INVALID_EXPIRE(commandName));
  when += base;

  const db = client.db;
  if (db.get(key) === undefined) return client.reply.integer(0);
  if (!flagsAllow(flags, db.getExpire(key), when)) return client.reply.integer(0);

  const propagation = client.server.propagation;
  if (alreadyExpired(client, when)) {
    db.delete(key);
    propagation.rewrite(client.dbIndex, [deletionCommand(client, 'lazyfree-lazy-expire'), key]);
    notify(client, NOTIFY_GENERIC, 'del', key);
  } else {
    db.setExpire(key, toStoredTime(when));
    // Replicas and the AOF need the absolute time; the NX/XX/GT/LT flags stay, as in Redis.
    if (relative || inSeconds) propagation.rewrite(client.dbIndex, ['PEXPIREAT', key, when.toString(), ...args.slice(3)]);
    notify(client, NOTIFY_GENERIC, 'expire', key);
  }
  markDirty(client);
  client.reply.integer(1);
}

const expire = (client: CommandContext, args: string[]) => expireGeneric(client, args, true, true);
const pexpire = (client: CommandContext, args: string[]) => expireGeneric(client, args, true, false);
const expireat = (client: CommandContext, args: string[]) => expireGeneric(client, args, false, true);
const pexpireat = (client: CommandContext, args: string[]) => expireGeneric(client, args, false, false);

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 without the key, -1 without a TTL. */
function ttlGeneric(client: CommandContext, key: string, inMilliseconds: boolean, absolute: boolean): void {
  if (lookupRead(client, key) === undefined) return client.reply.integer(-2);
  const when = client.db.getExpire(key);
  if (when === undefined) return client.reply.integer(-1);
  const value = Math.max(0, absolute ? when : when - client.server.clock.now());
  // Seconds are rounded to the nearest, as Redis's (ttl+500)/1000.
  client.reply.integer(inMilliseconds ? value : Math.floor((value + 500) / 1000));
}

const ttl = (client: CommandContext, args: string[]) => ttlGeneric(client, args[1], false, false);
const pttl = (client: CommandContext, args: string[]) => ttlGeneric(client, args[1], true, false);
const expiretime = (client: CommandContext, args: string[]) => ttlGeneric(client, args[1], false, true);
const pexpiretime = (client: CommandContext, args: string[]) => ttlGeneric(client, args[1], true, true);

function persist(client: CommandContext, args: string[]): void {
  const db = client.db;
  if (db.get(args[1]) !== undefined && db.persist(args[1])) {
    markDirty(client);
    notify(client, NOTIFY_GENERIC, 'persist', args[1]);
    return client.reply.integer(1);
  }
  client.reply.integer(0);
}

export const keyExpireHandlers = { expire, pexpire, expireat, pexpireat, ttl, pttl, expiretime, pexpiretime, persist };
