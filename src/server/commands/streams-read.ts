// XREAD [COUNT n] [BLOCK ms] STREAMS key... id... as Redis 7.0's xreadCommand: served at once
// when any stream has entries past its ID, otherwise (with BLOCK) parked in the server's
// BlockedKeys with '$' already resolved to the stream's last ID; XADD signals the key and each
// waiter whose ID the stream's last ID passed gets that one stream, in blocking order. Without
// BLOCK, or when blocking is not allowed (MULTI, our master's link), the answer is a null array.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isStream, type Value } from '../keyspace/values';
import { compareIds, MIN_ID, nextId, type Stream, type StreamId } from '../keyspace/stream';
import { intArg, lookupRead } from './util';
import { ERR_SYNTAX, ERR_WRONGTYPE } from '../errors';
import { strictId } from './stream-ids';
import { replyEntries } from './streams';
import { parseInt64 } from '../resp/numbers';

const ERR_TIMEOUT_NOT_INTEGER = 'ERR timeout is not an integer or out of range';
const ERR_TIMEOUT_NEGATIVE = 'ERR timeout is negative';

/** A BLOCK argument in milliseconds: the deadline (0 forever), or null after replying. */
function blockDeadline(client: CommandContext, text: string): number | null {
  const ms = parseInt64(text);
  if (ms === null || typeof ms === 'bigint') {
    client.reply.error(ms === null ? ERR_TIMEOUT_NOT_INTEGER : ms < 0n ? ERR_TIMEOUT_NEGATIVE : ERR_TIMEOUT_NOT_INTEGER);
    return null;
  }
  if (ms < 0) {
    client.reply.error(ERR_TIMEOUT_NEGATIVE);
    return null;
  }
  return ms === 0 ? 0 : client.server.clock.now() + ms;
}

/** The largest live ID, which decides whether a reader is served (streamLastValidID). */
function hasEntriesAfter(stream: Stream, id: StreamId): boolean {
  if (stream.length === 0) return false;
  return compareIds(stream.edgeId(false) as StreamId, id) > 0;
}

function replyStream(client: CommandContext, key: string, stream: Stream, after: StreamId, count: number): void {
  if (client.reply.resp === 2) client.reply.arrayHeader(2);
  client.reply.bulk(key);
  const start = nextId(after);
  replyEntries(client, start === null ? [] : stream.range(start, { ms: (1n << 64n) - 1n, seq: (1n << 64n) - 1n }, count));
}

function xread(client: CommandContext, args: string[]): void {
  let deadline = -1;
  let count = 0;
  let streamsAt = 0;
  for (let i = 1; i < args.length; i++) {
    const moreArgs = args.length - i - 1;
    const option = args[i].toLowerCase();
    if (option === 'block' && moreArgs > 0) {
      i++;
      const parsed = blockDeadline(client, args[i]);
      if (parsed === null) return;
      deadline = parsed;
    } else if (option === 'count' && moreArgs > 0) {
      i++;
      const parsed = intArg(client, args[i]);
      if (parsed === null) return;
      count = Math.max(0, parsed);
    } else if (option === 'streams' && moreArgs > 0) {
      streamsAt = i + 1;
      if ((args.length - streamsAt) % 2 !== 0) {
        // 7.0 names the command in capitals, whatever the client sent.
        return client.reply.error(`ERR Unbalanced ${args[0].toUpperCase()} list of streams: for each stream key an ID or '$' must be specified.`);
      }
      break;
    } else if (option === 'group' && moreArgs >= 2) {
      return client.reply.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
    } else if (option === 'noack') {
      return client.reply.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
    } else {
      return client.reply.error(ERR_SYNTAX);
    }
  }
  if (streamsAt === 0) return client.reply.error(ERR_SYNTAX);
  const streamCount = (args.length - streamsAt) / 2;
  const keys = args.slice(streamsAt, streamsAt + streamCount);
  const ids: StreamId[] = [];
  for (let i = 0; i < streamCount; i++) {
    const value: Value | undefined = lookupRead(client, keys[i]);
    if (value !== undefined && !isStream(value)) return client.reply.error(ERR_WRONGTYPE);
    const text = args[streamsAt + streamCount + i];
    if (text === '$') {
      ids.push(value === undefined ? MIN_ID : value.lastId);
    } else if (text === '>') {
      return client.reply.error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
    } else {
      const id = strictId(client, text);
      if (id === null) return;
      ids.push(id);
    }
  }
  const ready: number[] = [];
  for (let i = 0; i < streamCount; i++) {
    const value = lookupRead(client, keys[i]);
    if (value !== undefined && isStream(value) && hasEntriesAfter(value, ids[i])) ready.push(i);
  }
  if (ready.length > 0) {
    if (client.reply.resp === 2) client.reply.arrayHeader(ready.length);
    else client.reply.mapHeader(ready.length);
    for (const i of ready) replyStream(client, keys[i], client.db.get(keys[i]) as Stream, ids[i], count);
    return;
  }
  if (deadline === -1 || client.executingMulti || client.isMasterLink) return client.reply.nullArray();
  const after = new Map<string, StreamId>();
  keys.forEach((key, i) => {
    if (!after.has(key)) after.set(key, ids[i]);
  });
  client.server.blocking.block(
    client,
    keys,
    deadline,
    (key) => {
      const value = client.db.get(key);
      const id = after.get(key) as StreamId;
      // 7.0 compares the stream's last ID (not its last live one) with the waiter's.
      if (value === undefined || !isStream(value) || compareIds(value.lastId, id) <= 0) return 'pass';
      if (client.reply.resp === 2) client.reply.arrayHeader(1);
      else client.reply.mapHeader(1);
      replyStream(client, key, value, id, count);
      return true;
    },
    () => client.reply.nullArray(),
  );
}

export const streamReadCommands: CommandSpec[] = [
  command('xread', -4, ['readonly'], xread, [0, 0, 0], { categories: ['@read', '@stream', '@slow', '@blocking'] }),
];
