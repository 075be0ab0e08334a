// The HyperLogLog group, as Redis 7.0's hyperloglog.c: PFADD, PFCOUNT, PFMERGE and PFDEBUG.
// The sketches are plain strings (see keyspace/hyperloglog.ts), so every other string command,
// RDB and replication see exactly the bytes Redis would hold.

import type { CommandContext } from '../context';
import { ERR_HLL_CORRUPTED, ERR_HLL_WRONGTYPE } from '../errors';
import { HLL_REGISTERS, HyperLogLog, estimate, rawHistogram } from '../keyspace/hyperloglog';
import { aclCategories } from './acl-categories';
import { hllSelfTest } from './hyperloglog-selftest';
import { command, type CommandFlag, type CommandSpec, type Handler } from './table';
import { isString, lookupTyped, markDirty, notify, WRONGTYPE } from './util';
import { NOTIFY_STRING } from '../keyspace-events';

// The sketch last stored or read, with its string: pipelines of PFADD/PFCOUNT on one key skip
// decoding the 12 KB string each time. Equal strings hold equal sketches whichever key they are
// in; a handler that changes the sketch and does not store it must forget it.
let cachedString: string | null = null;
let cachedHll: HyperLogLog | null = null;

function decode(value: string): HyperLogLog | null {
  if (value === cachedString) return cachedHll;
  const hll = HyperLogLog.parse(value);
  if (hll) {
    cachedString = value;
    cachedHll = hll;
  }
  return hll;
}

function forgetCached(): void {
  cachedString = null;
  cachedHll = null;
}

/** A key's HLL, undefined when absent, or null after replying an error (wrong type, not an HLL). */
function lookupHll(client: CommandContext, key: string, forWrite: boolean): HyperLogLog | undefined | null {
  const value = lookupTyped(client, key, isString, forWrite);
  if (value === WRONGTYPE) return null;
  if (value === undefined) return undefined;
  const hll = decode(value);
  if (!hll) {
    client.reply.error(ERR_HLL_WRONGTYPE);
    return null;
  }
  return hll;
}

function sparseMaxBytes(client: CommandContext): number {
  return client.server.config.getInt('hll-sparse-max-bytes');
}

function store(client: CommandContext, key: string, hll: HyperLogLog, isNew: boolean): void {
  const value = hll.serialize();
  if (isNew) client.db.set(key, value);
  else client.db.replace(key, value);
  // Redis builds HyperLogLogs as raw strings (createRawStringObject) and changes them in place.
  client.db.markStringEncoding(key, 'raw');
  cachedString = value;
  cachedHll = hll;
}

function pfadd(client: CommandContext, args: string[]): void {
  const key = args[1];
  let hll = lookupHll(client, key, true);
  if (hll === null) return;
  const isNew = hll === undefined;
  let updated = 0;
  if (hll === undefined) {
    hll = HyperLogLog.create();
    updated++;
  }
  const maxBytes = sparseMaxBytes(client);
  for (let i = 2; i < args.length; i++) {
    const result = hll.add(args[i], maxBytes);
    if (result === -1) {
      // Redis changed the string in place for the elements before this one and keeps them,
      // without counting a change: neither dirty nor propagated.
      if (updated > 0 && !isNew) store(client, key, hll, false);
      else forgetCached();
      return client.reply.error(ERR_HLL_CORRUPTED);
    }
    updated += result;
  }
  if (updated > 0) {
    hll.invalidateCache();
    store(client, key, hll, isNew);
    markDirty(client, updated);
    notify(client, NOTIFY_STRING, 'pfadd', key);
  }
  client.reply.integer(updated > 0 ? 1 : 0);
}

function pfcount(client: CommandContext, args: string[]): void {
  if (args.length > 2) {
    // The union of several keys is estimated from a scratch register array; nothing is cached.
    const max = new Uint8Array(HLL_REGISTERS);
    for (let i = 1; i < args.length; i++) {
      const hll = lookupHll(client, args[i], false);
      if (hll === null) return;
      if (hll === undefined) continue;
      if (!hll.mergeInto(max)) return client.reply.error(ERR_HLL_CORRUPTED);
    }
    return client.reply.integer(estimate(rawHistogram(max)));
  }
  const key = args[1];
  const hll = lookupHll(client, key, false);
  if (hll === null) return;
  if (hll === undefined) return client.reply.integer(0);
  if (hll.cacheValid) return client.reply.integer(hll.cachedCardinality);
  const histogram = hll.histogram();
  if (!histogram) return client.reply.error(ERR_HLL_CORRUPTED);
  const card = estimate(histogram);
  hll.setCachedCardinality(card);
  store(client, key, hll, false);
  // Redis counts the cache update as a change (server.dirty++), and its call() propagates any
  // command that moved dirty, so replicas receive this PFCOUNT even though it is not a write.
  markDirty(client);
  client.server.propagation.also(client.dbIndex, args);
  client.reply.integer(card);
}

function pfmerge(client: CommandContext, args: string[]): void {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let i = 1; i < args.length; i++) {
    const hll = lookupHll(client, args[i], false);
    if (hll === null) return;
    if (hll === undefined) continue;
    if (!hll.isSparse) useDense = true;
    if (!hll.mergeInto(max)) return client.reply.error(ERR_HLL_CORRUPTED);
  }
  const key = args[1];
  const existing = client.db.get(key);
  const target = existing === undefined ? HyperLogLog.create() : (decode(existing as string) as HyperLogLog);
  if (useDense && !target.toDense()) return client.reply.error(ERR_HLL_CORRUPTED);
  const maxBytes = sparseMaxBytes(client);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    if (max[i] !== 0) target.set(i, max[i], maxBytes);
  }
  target.invalidateCache();
  store(client, key, target, existing === undefined);
  markDirty(client);
  // Redis calls a merge a mass add: the event is pfadd.
  notify(client, NOTIFY_STRING, 'pfadd', key);
  client.reply.ok();
}

function pfdebug(client: CommandContext, args: string[]): void {
  const [, subcommand, key] = args;
  const value = client.db.get(key);
  if (value === undefined) return client.reply.error('ERR The specified key does not exist');
  const hll = lookupHll(client, key, true);
  if (!hll) return;
  switch (subcommand.toLowerCase()) {
    case 'getreg': {
      if (hll.isSparse) {
        if (!hll.toDense()) return client.reply.error(ERR_HLL_CORRUPTED);
        store(client, key, hll, false);
        markDirty(client);
      }
      const values = hll.registerValues();
      client.reply.arrayHeader(values.length);
      for (const register of values) client.reply.integer(register);
      return;
    }
    case 'decode':
      if (!hll.isSparse) return client.reply.error('ERR HLL encoding is not sparse');
      return client.reply.bulk(hll.decodeSparse());
    case 'encoding':
      return client.reply.simple(hll.isSparse ? 'sparse' : 'dense');
    case 'todense': {
      if (!hll.isSparse) return client.reply.integer(0);
      if (!hll.toDense()) return client.reply.error(ERR_HLL_CORRUPTED);
      store(client, key, hll, false);
      markDirty(client);
      return client.reply.integer(1);
    }
    default:
      return client.reply.error(`ERR Unknown PFDEBUG subcommand '${subcommand}'`);
  }
}

function pfselftest(client: CommandContext): void {
  const failure = hllSelfTest(sparseMaxBytes(client));
  if (failure) client.reply.error(failure);
  else client.reply.ok();
}

function hllCommand(
  name: string,
  arity: number,
  flags: CommandFlag[],
  handler: Handler,
  keys: [number, number, number],
  extraCategories: string[] = [],
): CommandSpec {
  return command(name, arity, flags, handler, keys, { categories: aclCategories(flags, ['hyperloglog', ...extraCategories]) });
}

export const hyperloglogCommands: CommandSpec[] = [
  hllCommand('pfadd', -2, ['write', 'denyoom', 'fast'], pfadd, [1, 1, 1]),
  hllCommand('pfcount', -2, ['readonly'], pfcount, [1, -1, 1]),
  hllCommand('pfmerge', -2, ['write', 'denyoom'], pfmerge, [1, -1, 1]),
  hllCommand('pfdebug', 3, ['write', 'denyoom', 'admin'], pfdebug, [2, 2, 1], ['dangerous']),
  command('pfselftest', 1, ['admin'], pfselftest, undefined, { categories: aclCategories(['admin'], ['hyperloglog']) }),
];
