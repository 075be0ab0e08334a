// Stream commands without consumer groups, as Redis 7.0's t_stream.c: XADD, XLEN, XRANGE,
// XREVRANGE, XDEL, XTRIM, XSETID and XREAD (with BLOCK). XADD propagates the ID it generated and
// an approximate trim as the exact threshold it reached (streamRewriteApproxSpecifier /
// streamRewriteTrimArgument), so replicas end with the same entries.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isStream } from '../keyspace/values';
import { compareIds, formatId, MAX_ID, MIN_ID, nextId, previousId, Stream, UINT64_MAX, type StreamEntry, type StreamId } from '../keyspace/stream';
import { lookupTyped, notify, WRONGTYPE, intArg } from './util';
import { NOTIFY_STREAM } from '../keyspace-events';
import { errWrongArity, ERR_SYNTAX } from '../errors';
import { intervalId, strictId } from './stream-ids';
import { parseTrimArgs, type TrimArgs } from './stream-trim-args';
import { parseInt64 } from '../resp/numbers';

const ERR_STREAM_SEQ_EXHAUSTED = 'ERR Elements are too large to be stored';

export function nodeLimits(client: CommandContext): { maxBytes: number; maxEntries: number } {
  const config = client.server.config;
  return { maxBytes: config.getInt('stream-node-max-bytes'), maxEntries: config.getInt('stream-node-max-entries') };
}

export function replyEntry(client: CommandContext, entry: StreamEntry): void {
  client.reply.arrayHeader(2);
  client.reply.bulk(formatId(entry.id));
  client.reply.arrayHeader(entry.fields.length);
  for (const field of entry.fields) client.reply.bulk(field);
}

export function replyEntries(client: CommandContext, entries: readonly StreamEntry[]): void {
  client.reply.arrayHeader(entries.length);
  for (const entry of entries) replyEntry(client, entry);
}

function applyTrim(stream: Stream, trim: TrimArgs): number {
  if (trim.strategy === 'none') return 0;
  return stream.trim(trim.strategy, trim.maxlen, trim.minid, trim.approx, trim.limit);
}

/** An approximate trim goes to replicas as the exact threshold it reached. */
function rewriteApproxTrim(stream: Stream, trim: TrimArgs, propagated: string[]): void {
  if (!trim.approx) return;
  propagated[trim.thresholdAt - 1] = '=';
  propagated[trim.thresholdAt] =
    trim.strategy === 'maxlen' ? String(stream.length) : formatId(stream.firstStoredId() ?? MAX_ID);
}

function xadd(client: CommandContext, args: string[]): void {
  const trim = parseTrimArgs(client, args, true);
  if (trim === null) return;
  const fieldsAt = trim.idAt + 1;
  const fieldCount = args.length - fieldsAt;
  if (fieldCount < 2 || fieldCount % 2 === 1) return client.reply.error(errWrongArity('xadd'));
  if (trim.id !== null && trim.seqGiven && trim.id.ms === 0n && trim.id.seq === 0n) {
    return client.reply.error('ERR The ID specified in XADD must be greater than 0-0');
  }
  const key = args[1];
  let stream = lookupTyped(client, key, isStream, true);
  if (stream === WRONGTYPE) return;
  if (stream === undefined) {
    if (trim.noMkStream) return client.reply.nullBulk();
    stream = new Stream();
    client.db.set(key, stream);
  }
  if (compareIds(stream.lastId, MAX_ID) === 0) {
    return client.reply.error('ERR The stream has exhausted the last possible ID, unable to add more items');
  }
  let id: StreamId | null;
  if (trim.id === null) id = generateId(stream.lastId, BigInt(client.server.clock.now()));
  else if (trim.seqGiven) id = trim.id;
  else if (stream.lastId.ms === trim.id.ms) {
    // ms-* after ms-18446744073709551615: 7.0's streamAppendItem fails with ERANGE, not EDOM.
    if (stream.lastId.seq === UINT64_MAX) return client.reply.error(ERR_STREAM_SEQ_EXHAUSTED);
    id = nextId(stream.lastId);
  } else id = trim.id;
  if (id === null || compareIds(id, stream.lastId) <= 0) {
    // A stream created by this XADD stays (Redis created it before checking the ID).
    return client.reply.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  }
  stream.append(id, args.slice(fieldsAt), nodeLimits(client));
  client.reply.bulk(formatId(id));
  client.db.touched(key);
  notify(client, NOTIFY_STREAM, 'xadd', key);
  client.server.dirty++;
  const propagated = [...args];
  if (trim.strategy !== 'none') {
    if (applyTrim(stream, trim) > 0) notify(client, NOTIFY_STREAM, 'xtrim', key);
    rewriteApproxTrim(stream, trim, propagated);
  }
  if (trim.id === null || !trim.seqGiven) propagated[trim.idAt] = formatId(id);
  client.server.propagation.rewrite(client.dbIndex, propagated);
  client.server.blocking.signal(client.dbIndex, key);
}

/** streamNextID: the clock's ms with sequence 0, or the last ID's successor when the clock is behind. */
function generateId(last: StreamId, now: bigint): StreamId | null {
  if (now > last.ms) return { ms: now, seq: 0n };
  return nextId(last);
}

function xlen(client: CommandContext, args: string[]): void {
  const stream = lookupTyped(client, args[1], isStream);
  if (stream === WRONGTYPE) return;
  client.reply.integer(stream === undefined ? 0 : stream.length);
}

function xrange(client: CommandContext, args: string[], reverse: boolean): void {
  const start = intervalId(client, reverse ? args[3] : args[2], 0n);
  if (start === null) return;
  let startId: StreamId | null = start.id;
  if (start.exclude && (startId = nextId(start.id)) === null) {
    return client.reply.error('ERR invalid start ID for the interval');
  }
  const end = intervalId(client, reverse ? args[2] : args[3], (1n << 64n) - 1n);
  if (end === null) return;
  let endId: StreamId | null = end.id;
  if (end.exclude && (endId = previousId(end.id)) === null) {
    return client.reply.error('ERR invalid end ID for the interval');
  }
  let count = -1;
  for (let j = 4; j < args.length; j++) {
    if (args[j].toLowerCase() === 'count' && j + 1 < args.length) {
      const parsed = intArg(client, args[j + 1]);
      if (parsed === null) return;
      count = Math.max(0, parsed);
      j++;
    } else {
      return client.reply.error(ERR_SYNTAX);
    }
  }
  const stream = lookupTyped(client, args[1], isStream);
  if (stream === WRONGTYPE) return;
  if (stream === undefined) return client.reply.arrayHeader(0);
  if (count === 0) return client.reply.nullArray();
  replyEntries(client, stream.range(startId, endId, count === -1 ? 0 : count, reverse));
}

function xdel(client: CommandContext, args: string[]): void {
  const key = args[1];
  const stream = lookupTyped(client, key, isStream, true);
  if (stream === WRONGTYPE) return;
  if (stream === undefined) return client.reply.integer(0);
  const ids: StreamId[] = [];
  for (let j = 2; j < args.length; j++) {
    const id = strictId(client, args[j]);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  for (const id of ids) if (stream.delete(id)) deleted++;
  if (deleted > 0) {
    client.db.touched(key);
    notify(client, NOTIFY_STREAM, 'xdel', key);
    client.server.dirty += deleted;
  }
  client.reply.integer(deleted);
}

function xtrim(client: CommandContext, args: string[]): void {
  const trim = parseTrimArgs(client, args, false);
  if (trim === null) return;
  const key = args[1];
  const stream = lookupTyped(client, key, isStream, true);
  if (stream === WRONGTYPE) return;
  if (stream === undefined) return client.reply.integer(0);
  const propagated = [...args];
  const removed = applyTrim(stream, trim);
  if (removed > 0) {
    client.db.touched(key);
    notify(client, NOTIFY_STREAM, 'xtrim', key);
    rewriteApproxTrim(stream, trim, propagated);
    client.server.propagation.rewrite(client.dbIndex, propagated);
    client.server.dirty += removed;
  }
  client.reply.integer(removed);
}

function xsetid(client: CommandContext, args: string[]): void {
  const id = strictId(client, args[2]);
  if (id === null) return;
  let entriesAdded = -1n;
  let maxDeleted: StreamId = MIN_ID;
  for (let i = 3; i < args.length; ) {
    const option = args[i].toLowerCase();
    const moreArgs = args.length - 1 - i;
    if (option === 'entriesadded' && moreArgs > 0) {
      const parsed = parseInt64(args[i + 1]);
      if (parsed === null) return client.reply.error('ERR value is not an integer or out of range');
      if (BigInt(parsed) < 0n) return client.reply.error('ERR entries_added must be positive');
      entriesAdded = BigInt(parsed);
      i += 2;
    } else if (option === 'maxdeletedid' && moreArgs > 0) {
      const parsed = strictId(client, args[i + 1]);
      if (parsed === null) return;
      if (compareIds(id, parsed) < 0) {
        return client.reply.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      }
      maxDeleted = parsed;
      i += 2;
    } else {
      return client.reply.error(ERR_SYNTAX);
    }
  }
  const key = args[1];
  const stream = lookupTyped(client, key, isStream, true);
  if (stream === WRONGTYPE) return;
  if (stream === undefined) return client.reply.error('ERR no such key');
  if (stream.length > 0) {
    const top = stream.edgeId(false) as StreamId;
    if (compareIds(id, top) < 0) return client.reply.error('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1n && BigInt(stream.length) > entriesAdded) {
      return client.reply.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  stream.lastId = id;
  if (entriesAdded !== -1n) stream.entriesAdded = entriesAdded;
  if (compareIds(maxDeleted, MIN_ID) !== 0) stream.maxDeletedId = maxDeleted;
  client.db.touched(key);
  notify(client, NOTIFY_STREAM, 'xsetid', key);
  client.server.dirty++;
  client.reply.ok();
}

const READ = ['@read', '@stream'];
const WRITE = ['@write', '@stream'];

export const streamsCommands: CommandSpec[] = [
  command('xadd', -5, ['write', 'denyoom', 'fast'], xadd, [1, 1, 1], { categories: [...WRITE, '@fast'] }),
  command('xlen', 2, ['readonly', 'fast'], xlen, [1, 1, 1], { categories: [...READ, '@fast'] }),
  command('xrange', -4, ['readonly'], (c, a) => xrange(c, a, false), [1, 1, 1], { categories: [...READ, '@slow'] }),
  command('xrevrange', -4, ['readonly'], (c, a) => xrange(c, a, true), [1, 1, 1], { categories: [...READ, '@slow'] }),
  command('xdel', -3, ['write', 'fast'], xdel, [1, 1, 1], { categories: [...WRITE, '@fast'] }),
  command('xtrim', -4, ['write'], xtrim, [1, 1, 1], { categories: [...WRITE, '@slow'] }),
  command('xsetid', -3, ['write', 'denyoom', 'fast'], xsetid, [1, 1, 1], { categories: [...WRITE, '@fast'] }),
];
