// XREAD [COUNT n] [BLOCK ms] STREAMS key... id... as Redis 7.0's xreadCommand: served at once
// when any stream has entries past its ID, otherwise (with BLOCK) parked in the server's
// BlockedKeys with '$' already resolved to the stream's last ID; XADD signals the key and each
// waiter whose ID the stream's last ID passed gets that one stream, in blocking order. Without
// BLOCK, or when blocking is not allowed (MULTI, our master's link), the answer is a null array.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isStream, type Value } from '../keyspace/values';
import { compareIds, MAX_ID, MIN_ID, nextId, type Stream, type StreamId } from '../keyspace/stream';
import type { Consumer, ConsumerGroup } from '../keyspace/stream-groups';
import { createConsumer, serveGroup, serveHistory } from './stream-groups';
import { intArg, lookupRead } from './util';
import { ERR_SYNTAX, ERR_WRONGTYPE } from '../errors';
import { strictId } from './stream-ids';
import { replyEntries } from './streams';
import { parseInt64 } from '../resp/numbers';

const ERR_DOLLAR_IN_GROUP =
  'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.';
const ERR_TIMEOUT_NOT_INTEGER = 'ERR timeout is not an integer or out of range';
const ERR_TIMEOUT_NEGATIVE = 'ERR timeout is negative';
const ERR_UNBLOCKED_STREAM_GONE = 'UNBLOCKED the stream key no longer exists';

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
  const xreadgroup = args[0].length === 10;
  let groupName: string | null = null;
  let consumerName = '';
  let noack = false;
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
        // 7.0's text, XREADGROUP included.
        return client.reply.error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      }
      break;
    } else if (option === 'group' && moreArgs >= 2) {
      if (!xreadgroup) return client.reply.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      groupName = args[i + 1];
      consumerName = args[i + 2];
      i += 2;
    } else if (option === 'noack') {
      if (!xreadgroup) return client.reply.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      noack = true;
    } else {
      return client.reply.error(ERR_SYNTAX);
    }
  }
  if (streamsAt === 0) return client.reply.error(ERR_SYNTAX);
  if (xreadgroup && groupName === null) return client.reply.error('ERR Missing GROUP option for XREADGROUP');
  const streamCount = (args.length - streamsAt) / 2;
  const keys = args.slice(streamsAt, streamsAt + streamCount);
  const ids: StreamId[] = [];
  for (let i = 0; i < streamCount; i++) {
    const value: Value | undefined = lookupRead(client, keys[i]);
    if (value !== undefined && !isStream(value)) return client.reply.error(ERR_WRONGTYPE);
    if (groupName !== null && (value === undefined || !value.groups.has(groupName))) {
      return client.reply.error(`NOGROUP No such key '${keys[i]}' or consumer group '${groupName}' in XREADGROUP with GROUP option`);
    }
    const text = args[streamsAt + streamCount + i];
    if (text === '$') {
      if (xreadgroup) return client.reply.error(ERR_DOLLAR_IN_GROUP);
      ids.push(value === undefined ? MIN_ID : value.lastId);
    } else if (text === '>') {
      if (!xreadgroup) return client.reply.error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids.push(MAX_ID);
    } else {
      const id = strictId(client, text);
      if (id === null) return;
      ids.push(id);
    }
  }
  if (deadline !== -1 && client.isScript) return client.reply.error(`ERR ${args[0]} command is not allowed with BLOCK option from scripts`);
  if (groupName !== null) return readGroup(client, keys, ids, groupName, consumerName, count, noack, deadline);
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

/** XREADGROUP once its arguments are parsed: served now when it can be, otherwise blocked on '>' keys. */
function readGroup(
  client: CommandContext,
  keys: string[],
  ids: StreamId[],
  groupName: string,
  consumerName: string,
  count: number,
  noack: boolean,
  deadline: number,
): void {
  // XREADGROUP itself never reaches replicas: what it changed goes as XCLAIM / XGROUP commands.
  client.server.propagation.prevent();
  const serving: Array<{ index: number; history: boolean; consumer: Consumer }> = [];
  for (let i = 0; i < keys.length; i++) {
    const stream = lookupRead(client, keys[i]) as Stream;
    const group = stream.groups.get(groupName) as ConsumerGroup;
    let serve = false;
    let history = false;
    if (compareIds(ids[i], MAX_ID) !== 0) {
      serve = true;
      history = true;
    } else if (stream.length > 0 && compareIds(stream.edgeId(false) as StreamId, group.lastId) > 0) {
      serve = true;
    }
    if (!serve) continue;
    // 7.0 creates the consumer only when it is served (a blocked reader has none yet).
    let consumer = group.consumers.get(consumerName);
    if (consumer === undefined) {
      consumer = createConsumer(client, group, consumerName, keys[i]) as Consumer;
      if (noack) client.server.propagation.rewrite(client.dbIndex, ['XGROUP', 'CREATECONSUMER', keys[i], groupName, consumerName]);
    }
    consumer.seenTime = client.server.clock.now();
    serving.push({ index: i, history, consumer });
  }
  if (serving.length > 0) {
    if (client.reply.resp === 2) client.reply.arrayHeader(serving.length);
    else client.reply.mapHeader(serving.length);
    for (const { index, history, consumer } of serving) {
      const key = keys[index];
      const stream = client.db.get(key) as Stream;
      const group = stream.groups.get(groupName) as ConsumerGroup;
      if (client.reply.resp === 2) client.reply.arrayHeader(2);
      client.reply.bulk(key);
      if (history) serveHistory(client, stream, consumer, ids[index], count);
      else serveGroup(client, key, stream, group, consumer, count, noack, (args) => client.server.propagation.rewrite(client.dbIndex, args));
      client.server.dirty++;
      client.db.touched(key);
    }
    return;
  }
  if (deadline === -1 || client.executingMulti || client.isMasterLink) return client.reply.nullArray();
  client.server.blocking.block(
    client,
    keys,
    deadline,
    (key) => {
      const value = client.db.get(key);
      // The stream this reader's group lived in was deleted or replaced (DEL, SET, MULTI DEL +
      // SADD): 7.0 unblocks the reader with an error rather than wait for a group that cannot return.
      if (value === undefined || !isStream(value)) {
        client.reply.error(ERR_UNBLOCKED_STREAM_GONE);
        return true;
      }
      const group = value.groups.get(groupName);
      if (group === undefined) {
        client.reply.error('NOGROUP the consumer group this client was blocked on no longer exists');
        return true;
      }
      if (compareIds(value.lastId, group.lastId) <= 0) return 'pass';
      const propagation = client.server.propagation;
      propagation.begin();
      let consumer = group.consumers.get(consumerName);
      if (consumer === undefined) {
        consumer = createConsumer(client, group, consumerName, key) as Consumer;
        // Without XCLAIMs to carry it, a NOACK reader's consumer reaches replicas this way.
        if (noack) propagation.also(client.dbIndex, ['XGROUP', 'CREATECONSUMER', key, groupName, consumerName]);
      }
      consumer.seenTime = client.server.clock.now();
      if (client.reply.resp === 2) {
        client.reply.arrayHeader(1);
        client.reply.arrayHeader(2);
      } else {
        client.reply.mapHeader(1);
      }
      client.reply.bulk(key);
      serveGroup(client, key, value, group, consumer, count, noack, (args) => propagation.also(client.dbIndex, args));
      propagation.end();
      client.server.dirty++;
      return true;
    },
    () => client.reply.nullArray(),
  );
}

export const streamReadCommands: CommandSpec[] = [
  command('xread', -4, ['readonly'], xread, [0, 0, 0], { categories: ['@read', '@stream', '@slow', '@blocking'] }),
  command('xreadgroup', -7, ['write'], xread, [0, 0, 0], { categories: ['@write', '@stream', '@slow', '@blocking'] }),
];
