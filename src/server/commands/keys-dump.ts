// DUMP and RESTORE, as Redis 7.0's cluster.c: DUMP serialises a value with the key's actual
// encoding (so the bytes match Redis's), RESTORE accepts any payload of RDB version 10 or older.
// A relative TTL is replicated as an absolute one (RESTORE ... ABSTTL); a TTL already past
// stores nothing, and replicates a DEL when REPLACE removed an old value.
// IDLETIME and FREQ are validated and then ignored: this node keeps no per-key LRU/LFU data.

import type { CommandContext } from '../context';
import type { Value } from '../keyspace/values';
import { hashEncoding, setEncoding } from '../keyspace/encodings';
import {
  ERR_BAD_DATA_FORMAT,
  ERR_BUSYKEY,
  ERR_DUMP_PAYLOAD,
  ERR_INVALID_FREQ,
  ERR_INVALID_IDLETIME,
  ERR_INVALID_TTL,
  ERR_NOT_INTEGER,
  ERR_SYNTAX,
} from '../errors';
import { createDumpPayload, decodeDumpPayload, verifyDumpPayload } from '../rdb/dump-payload';
import type { EncodingPolicy } from '../rdb/writer';
import { parseInt64 } from '../resp/numbers';
import { alreadyExpired, toStoredTime } from './expire-time';
import { zsetLimits } from './zset-args';
import { lookupRead, markDirty, notify } from './util';
import { NOTIFY_GENERIC } from '../keyspace-events';

export function encodingPolicy(client: CommandContext): EncodingPolicy {
  const config = client.server.config;
  return {
    hashAsListpack: (hash) => hashEncoding(hash, config) === 'listpack',
    zsetAsListpack: (zset) => zset.encoding === 'listpack',
    setAsIntset: (set) => setEncoding(set, config) === 'intset',
  };
}

function dump(client: CommandContext, args: string[]): void {
  const value = lookupRead(client, args[1]);
  if (value === undefined) return client.reply.nullBulk();
  const payload = createDumpPayload(value, client.server.config.getBool('rdbcompression'), encodingPolicy(client));
  client.reply.bulk(payload.toString('latin1'));
}

interface RestoreOptions {
  replace: boolean;
  absttl: boolean;
}

/** getLongLongFromObjectOrReply: a 64-bit integer, or the reply already sent. */
function int64Arg(client: CommandContext, text: string): bigint | null {
  const value = parseInt64(text);
  if (value === null) {
    client.reply.error(ERR_NOT_INTEGER);
    return null;
  }
  return BigInt(value);
}

/** REPLACE, ABSTTL, IDLETIME n, FREQ n; IDLETIME and FREQ exclude each other (a syntax error). */
function parseRestoreOptions(client: CommandContext, args: string[]): RestoreOptions | null {
  const options: RestoreOptions = { replace: false, absttl: false };
  let idle = false;
  let freq = false;
  for (let i = 4; i < args.length; i++) {
    const option = args[i].toLowerCase();
    const hasValue = i + 1 < args.length;
    if (option === 'replace') {
      options.replace = true;
    } else if (option === 'absttl') {
      options.absttl = true;
    } else if (option === 'idletime' && hasValue && !freq) {
      const seconds = int64Arg(client, args[++i]);
      if (seconds === null) return null;
      if (seconds < 0n) return client.reply.error(ERR_INVALID_IDLETIME), null;
      idle = true;
    } else if (option === 'freq' && hasValue && !idle) {
      const counter = int64Arg(client, args[++i]);
      if (counter === null) return null;
      if (counter < 0n || counter > 255n) return client.reply.error(ERR_INVALID_FREQ), null;
      freq = true;
    } else {
      return client.reply.error(ERR_SYNTAX), null;
    }
  }
  return options;
}

function restore(client: CommandContext, args: string[]): void {
  const key = args[1];
  const options = parseRestoreOptions(client, args);
  if (!options) return;
  const db = client.db;
  // Redis's order: the existing key is checked before the TTL and the payload.
  if (!options.replace && db.get(key) !== undefined) return client.reply.error(ERR_BUSYKEY);
  const ttl = int64Arg(client, args[2]);
  if (ttl === null) return;
  if (ttl < 0n) return client.reply.error(ERR_INVALID_TTL);
  const payload = Buffer.from(args[3], 'latin1');
  if (!verifyDumpPayload(payload)) return client.reply.error(ERR_DUMP_PAYLOAD);
  const value: Value | null = decodeDumpPayload(payload, zsetLimits(client));
  if (value === null) return client.reply.error(ERR_BAD_DATA_FORMAT);

  const deleted = options.replace && db.delete(key);
  const when = ttl !== 0n && !options.absttl ? ttl + BigInt(client.server.clock.now()) : ttl;
  const propagation = client.server.propagation;
  if (when !== 0n && alreadyExpired(client, when)) {
    if (deleted) {
      // 7.0 replicates DEL here whatever lazyfree-lazy-server-del says (7.2 made it UNLINK).
      propagation.rewrite(client.dbIndex, ['DEL', key]);
      markDirty(client);
      notify(client, NOTIFY_GENERIC, 'del', key);
    }
    return client.reply.ok();
  }
  db.set(key, value);
  if (when !== 0n) {
    db.setExpire(key, toStoredTime(when));
    if (!options.absttl) propagation.rewrite(client.dbIndex, [args[0], key, when.toString(), ...args.slice(3), 'ABSTTL']);
  }
  markDirty(client);
  notify(client, NOTIFY_GENERIC, 'restore', key);
  client.reply.ok();
}

export const keyDumpHandlers = { dump, restore };
