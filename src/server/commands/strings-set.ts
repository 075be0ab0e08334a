// Reading and writing whole string values: GET, SET and its options, SETNX, SETEX, PSETEX,
// GETEX, GETDEL, GETSET, MGET, MSET, MSETNX. Follows Redis 7.0's t_string.c, including how
// each command is rewritten for replicas and the AOF (relative expiry becomes SET ... PXAT).

import type { CommandContext } from '../context';
import { ERR_INVALID_EXPIRE, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGTYPE, errWrongArity } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { isString, lookupRead, markDirty, notify } from './util';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../keyspace-events';
import { alreadyExpired, deletionCommand, INT64_MAX, toStoredTime } from './expire-time';

type ExpireKind = 'ex' | 'px' | 'exat' | 'pxat';

interface ExtendedOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  expireKind: ExpireKind | null;
  expireText: string | null;
}

/**
 * Parses SET's options (from args[3]) or GETEX's (from args[2]) as Redis's
 * parseExtendedStringArgumentsOrReply: an option conflicting with one already seen is a
 * syntax error, while repeating the same one (EX 1 EX 2) is allowed and the last one wins.
 */
function parseExtendedOptions(client: CommandContext, args: string[], forSet: boolean): ExtendedOptions | null {
  const options: ExtendedOptions = { nx: false, xx: false, get: false, keepTtl: false, persist: false, expireKind: null, expireText: null };
  const expireOtherThan = (kind: ExpireKind) => options.expireKind !== null && options.expireKind !== kind;
  for (let i = forSet ? 3 : 2; i < args.length; i++) {
    const option = args[i].toLowerCase();
    const hasNext = i + 1 < args.length;
    if (forSet && option === 'nx' && !options.xx) {
      options.nx = true;
    } else if (forSet && option === 'xx' && !options.nx) {
      options.xx = true;
    } else if (forSet && option === 'get') {
      options.get = true;
    } else if (forSet && option === 'keepttl' && !options.persist && options.expireKind === null) {
      options.keepTtl = true;
    } else if (!forSet && option === 'persist' && options.expireKind === null && !options.keepTtl) {
      options.persist = true;
    } else if (
      (option === 'ex' || option === 'px' || option === 'exat' || option === 'pxat') &&
      !options.keepTtl &&
      !options.persist &&
      !expireOtherThan(option) &&
      hasNext
    ) {
      options.expireKind = option;
      options.expireText = args[++i];
    } else {
      client.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  return options;
}

/**
 * Redis's getExpireMillisecondsOrReply: the absolute expiry in ms, or null after replying.
 * Zero, negative and overflowing times are invalid.
 */
function expireMilliseconds(client: CommandContext, commandName: string, kind: ExpireKind, text: string): bigint | null {
  const parsed = parseInt64(text);
  if (parsed === null) {
    client.reply.error(ERR_NOT_INTEGER);
    return null;
  }
  let when = BigInt(parsed);
  const inSeconds = kind === 'ex' || kind === 'exat';
  if (when <= 0n || (inSeconds && when > INT64_MAX / 1000n)) {
    client.reply.error(ERR_INVALID_EXPIRE(commandName));
    return null;
  }
  if (inSeconds) when *= 1000n;
  if (kind === 'ex' || kind === 'px') when += BigInt(client.server.clock.now());
  // Redis detects the wrap-around of the signed addition; the sum is exact here.
  if (when > INT64_MAX) {
    client.reply.error(ERR_INVALID_EXPIRE(commandName));
    return null;
  }
  return when;
}

/** GET's reply for a key. Returns false after replying WRONGTYPE. */
function replyValue(client: CommandContext, key: string): boolean {
  const value = lookupRead(client, key);
  if (value === undefined) {
    client.reply.nullBulk();
    return true;
  }
  if (!isString(value)) {
    client.reply.error(ERR_WRONGTYPE);
    return false;
  }
  client.reply.bulk(value);
  return true;
}

interface SetRequest {
  commandName: string;
  key: string;
  value: string;
  options: ExtendedOptions;
  /** Replies when the value is set / not set because of NX or XX (defaults: OK / null). */
  onSet?: (client: CommandContext) => void;
  onAbort?: (client: CommandContext) => void;
}

function setGeneric(client: CommandContext, args: string[], request: SetRequest): void {
  const { key, value, options } = request;
  let when: bigint | null = null;
  if (options.expireKind !== null) {
    when = expireMilliseconds(client, request.commandName, options.expireKind, options.expireText as string);
    if (when === null) return;
  }
  if (options.get && !replyValue(client, key)) return;
  const db = client.db;
  const found = db.get(key) !== undefined;
  if ((options.nx && found) || (options.xx && !found)) {
    if (!options.get) (request.onAbort ?? ((c: CommandContext) => c.reply.nullBulk()))(client);
    return;
  }
  db.set(key, value, options.keepTtl);
  markDirty(client);
  notify(client, NOTIFY_STRING, 'set', key);
  if (when !== null) {
    db.setExpire(key, toStoredTime(when));
    notify(client, NOTIFY_GENERIC, 'expire', key);
    client.server.propagation.rewrite(client.dbIndex, ['SET', key, value, 'PXAT', when.toString()]);
  } else if (options.get) {
    // Replicas must not see GET: it would make them reply, and it changes nothing.
    const withoutGet = args.filter((arg, i) => i < 3 || arg.toLowerCase() !== 'get');
    client.server.propagation.rewrite(client.dbIndex, withoutGet);
  }
  if (!options.get) (request.onSet ?? ((c: CommandContext) => c.reply.ok()))(client);
}

const NO_OPTIONS: ExtendedOptions = { nx: false, xx: false, get: false, keepTtl: false, persist: false, expireKind: null, expireText: null };

function set(client: CommandContext, args: string[]): void {
  if (args.length === 3) {
    // The plain form is most of the traffic: skip option parsing. The lookup still expires
    // (and propagates the DEL of) a key that is due, as Redis's lookupKeyWrite does.
    client.db.get(args[1]);
    client.db.set(args[1], args[2]);
    markDirty(client);
    notify(client, NOTIFY_STRING, 'set', args[1]);
    return client.reply.ok();
  }
  const options = parseExtendedOptions(client, args, true);
  if (!options) return;
  setGeneric(client, args, { commandName: 'set', key: args[1], value: args[2], options });
}

function setnx(client: CommandContext, args: string[]): void {
  setGeneric(client, args, {
    commandName: 'setnx',
    key: args[1],
    value: args[2],
    options: { ...NO_OPTIONS, nx: true },
    onSet: (c) => c.reply.integer(1),
    onAbort: (c) => c.reply.integer(0),
  });
}

function setex(client: CommandContext, args: string[]): void {
  const kind: ExpireKind = args[0].toLowerCase() === 'psetex' ? 'px' : 'ex';
  setGeneric(client, args, {
    commandName: args[0].toLowerCase(),
    key: args[1],
    value: args[3],
    options: { ...NO_OPTIONS, expireKind: kind, expireText: args[2] },
  });
}

function get(client: CommandContext, args: string[]): void {
  replyValue(client, args[1]);
}

function getex(client: CommandContext, args: string[]): void {
  const options = parseExtendedOptions(client, args, false);
  if (!options) return;
  const key = args[1];
  const value = lookupRead(client, key);
  if (value === undefined) return client.reply.nullBulk();
  if (!isString(value)) return client.reply.error(ERR_WRONGTYPE);
  let when: bigint | null = null;
  if (options.expireKind !== null) {
    when = expireMilliseconds(client, 'getex', options.expireKind, options.expireText as string);
    if (when === null) return;
  }
  client.reply.bulk(value);
  const db = client.db;
  const propagation = client.server.propagation;
  if ((options.expireKind === 'exat' || options.expireKind === 'pxat') && alreadyExpired(client, when as bigint)) {
    db.delete(key);
    propagation.rewrite(client.dbIndex, [deletionCommand(client, 'lazyfree-lazy-expire'), key]);
    markDirty(client);
    notify(client, NOTIFY_GENERIC, 'del', key);
  } else if (when !== null) {
    db.setExpire(key, toStoredTime(when));
    propagation.rewrite(client.dbIndex, ['PEXPIREAT', key, when.toString()]);
    markDirty(client);
    notify(client, NOTIFY_GENERIC, 'expire', key);
  } else if (options.persist && db.persist(key)) {
    propagation.rewrite(client.dbIndex, ['PERSIST', key]);
    markDirty(client);
    notify(client, NOTIFY_GENERIC, 'persist', key);
  }
}

function getdel(client: CommandContext, args: string[]): void {
  const key = args[1];
  if (!replyValue(client, key)) return;
  if (client.db.delete(key)) {
    client.server.propagation.rewrite(client.dbIndex, [deletionCommand(client, 'lazyfree-lazy-user-del'), key]);
    markDirty(client);
    notify(client, NOTIFY_GENERIC, 'del', key);
  }
}

function getset(client: CommandContext, args: string[]): void {
  if (!replyValue(client, args[1])) return;
  client.db.set(args[1], args[2]);
  markDirty(client);
  notify(client, NOTIFY_STRING, 'set', args[1]);
  client.server.propagation.rewrite(client.dbIndex, ['SET', args[1], args[2]]);
}

function mget(client: CommandContext, args: string[]): void {
  const values: Array<string | undefined> = [];
  for (let i = 1; i < args.length; i++) {
    const value = lookupRead(client, args[i]);
    values.push(value !== undefined && isString(value) ? value : undefined);
  }
  client.reply.bulkArrayWithNulls(values);
}

function mset(client: CommandContext, args: string[]): void {
  const onlyIfNoneExists = args[0].toLowerCase() === 'msetnx';
  if (args.length % 2 === 0) return client.reply.error(errWrongArity(args[0].toLowerCase()));
  const db = client.db;
  if (onlyIfNoneExists) {
    for (let i = 1; i < args.length; i += 2) {
      if (db.get(args[i]) !== undefined) return client.reply.integer(0);
    }
  }
  for (let i = 1; i < args.length; i += 2) {
    db.set(args[i], args[i + 1]);
    notify(client, NOTIFY_STRING, 'set', args[i]);
  }
  markDirty(client, (args.length - 1) / 2);
  if (onlyIfNoneExists) client.reply.integer(1);
  else client.reply.ok();
}

export const stringSetHandlers = { set, setnx, setex, get, getex, getdel, getset, mget, mset };
