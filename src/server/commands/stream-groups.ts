// Consumer group commands of Redis 7.0: XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER,
// DELCONSUMER), XACK and XPENDING, and the group side of XREADGROUP (serving '>' and history,
// PEL bookkeeping, and its propagation as XCLAIM ... FORCE JUSTID LASTID per delivered entry and
// XGROUP SETID ... ENTRIESREAD for NOACK reads, as streamPropagateXCLAIM/-GroupID do).

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isStream } from '../keyspace/values';
import { compareIds, formatId, MAX_ID, Stream, type StreamId } from '../keyspace/stream';
import { ConsumerGroup, pelKey, sortPending, type Consumer, type PendingEntry } from '../keyspace/stream-groups';
import { lookupRead, lookupTyped, notify, WRONGTYPE, intArg } from './util';
import { NOTIFY_STREAM } from '../keyspace-events';
import { ERR_SYNTAX, ERR_WRONGTYPE } from '../errors';
import { intervalId, parseStreamId, strictId } from './stream-ids';
import { nextId, previousId } from '../keyspace/stream';
import { replyEntry } from './streams';
import { parseInt64 } from '../resp/numbers';

const ERR_KEY_REQUIRED =
  'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.';

function subcommandSyntaxError(client: CommandContext, sub: string): void {
  client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try XGROUP HELP.`);
}

export function createConsumer(client: CommandContext, group: ConsumerGroup, name: string, key: string): Consumer | null {
  const consumer = group.createConsumer(name, client.server.clock.now());
  if (consumer === null) return null;
  client.server.dirty++;
  notify(client, NOTIFY_STREAM, 'xgroup-createconsumer', key);
  return consumer;
}

function xgroup(client: CommandContext, args: string[]): void {
  const sub = args[1].toLowerCase();
  let mkstream = false;
  let entriesRead = -1n;
  let stream: Stream | undefined;
  let group: ConsumerGroup | undefined;
  const key = args[2];
  const name = args[3];
  if (args.length >= 4) {
    for (let i = 5; i < args.length; ) {
      const option = args[i].toLowerCase();
      if (sub === 'create' && option === 'mkstream') {
        mkstream = true;
        i++;
      } else if ((sub === 'create' || sub === 'setid') && option === 'entriesread' && i + 1 < args.length) {
        const parsed = parseInt64(args[i + 1]);
        if (parsed === null) return client.reply.error('ERR value is not an integer or out of range');
        if (BigInt(parsed) < 0n && BigInt(parsed) !== -1n) return client.reply.error('ERR value for ENTRIESREAD must be positive or -1');
        entriesRead = BigInt(parsed);
        i += 2;
      } else {
        return subcommandSyntaxError(client, args[1]);
      }
    }
    const value = client.db.get(key);
    if (value !== undefined) {
      if (!isStream(value)) return client.reply.error(ERR_WRONGTYPE);
      stream = value;
    }
    if (!mkstream) {
      if (stream === undefined) return client.reply.error(ERR_KEY_REQUIRED);
      group = stream.groups.get(name);
      if (group === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
        return client.reply.error(`NOGROUP No such consumer group '${name}' for key name '${key}'`);
      }
    }
  }
  if (sub === 'create' && args.length >= 5 && args.length <= 8) {
    let id: StreamId;
    if (args[4] === '$') id = stream?.lastId ?? { ms: 0n, seq: 0n };
    else {
      const parsed = strictId(client, args[4]);
      if (parsed === null) return;
      id = parsed;
    }
    if (stream === undefined) {
      stream = new Stream();
      client.db.set(key, stream);
    }
    if (stream.groups.has(name)) return client.reply.error('BUSYGROUP Consumer Group name already exists');
    stream.groups.set(name, new ConsumerGroup(name, id, entriesRead));
    client.db.touched(key);
    client.reply.ok();
    client.server.dirty++;
    notify(client, NOTIFY_STREAM, 'xgroup-create', key);
  } else if (sub === 'setid' && (args.length === 5 || args.length === 7)) {
    const target = group as ConsumerGroup;
    let id: StreamId;
    if (args[4] === '$') id = (stream as Stream).lastId;
    else {
      const parsed = parseStreamId(client, args[4], 0n, false);
      if (parsed === null) return;
      id = parsed.id;
    }
    target.lastId = id;
    target.entriesRead = entriesRead;
    client.db.touched(key);
    client.reply.ok();
    client.server.dirty++;
    notify(client, NOTIFY_STREAM, 'xgroup-setid', key);
  } else if (sub === 'destroy' && args.length === 4) {
    if (group === undefined) return client.reply.integer(0);
    (stream as Stream).groups.delete(name);
    client.db.touched(key);
    client.reply.integer(1);
    client.server.dirty++;
    notify(client, NOTIFY_STREAM, 'xgroup-destroy', key);
    // Readers blocked on the group learn it is gone.
    client.server.blocking.signal(client.dbIndex, key);
  } else if (sub === 'createconsumer' && args.length === 5) {
    const created = createConsumer(client, group as ConsumerGroup, args[4], key);
    if (created) client.db.touched(key);
    client.reply.integer(created ? 1 : 0);
  } else if (sub === 'delconsumer' && args.length === 5) {
    const consumer = (group as ConsumerGroup).consumers.get(args[4]);
    let pending = 0;
    if (consumer) {
      pending = (group as ConsumerGroup).deleteConsumer(consumer);
      client.db.touched(key);
      client.server.dirty++;
      notify(client, NOTIFY_STREAM, 'xgroup-delconsumer', key);
    }
    client.reply.integer(pending);
  } else {
    subcommandSyntaxError(client, args[1]);
  }
}

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

function xgroupHelp(client: CommandContext, args: string[]): void {
  const lines = [`${args[0].toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...XGROUP_HELP];
  client.reply.arrayHeader(lines.length);
  for (const line of lines) client.reply.simple(line);
}

function xack(client: CommandContext, args: string[]): void {
  const stream = lookupTyped(client, args[1], isStream);
  if (stream === WRONGTYPE) return;
  const group = stream?.groups.get(args[2]);
  if (group === undefined) return client.reply.integer(0);
  const ids: StreamId[] = [];
  for (let j = 3; j < args.length; j++) {
    const id = strictId(client, args[j]);
    if (id === null) return;
    ids.push(id);
  }
  let acknowledged = 0;
  for (const id of ids) {
    const key = pelKey(id);
    const pending = group.pending.get(key);
    if (pending === undefined) continue;
    group.pending.delete(key);
    pending.consumer.pending.delete(key);
    acknowledged++;
    client.server.dirty++;
  }
  if (acknowledged > 0) client.db.touched(args[1]);
  client.reply.integer(acknowledged);
}

/** The stream and group XPENDING/XCLAIM/XAUTOCLAIM work on; replies WRONGTYPE or NOGROUP otherwise. */
function lookupGroup(client: CommandContext, key: string, groupName: string): { stream: Stream; group: ConsumerGroup } | null {
  const value = lookupRead(client, key);
  if (value !== undefined && !isStream(value)) {
    client.reply.error(ERR_WRONGTYPE);
    return null;
  }
  const group = value?.groups.get(groupName);
  if (value === undefined || group === undefined) {
    client.reply.error(`NOGROUP No such key '${key}' or consumer group '${groupName}'`);
    return null;
  }
  return { stream: value, group };
}

function xpending(client: CommandContext, args: string[]): void {
  const [, key, groupName] = args;
  const justInfo = args.length === 3;
  if (args.length !== 3 && (args.length < 6 || args.length > 9)) return client.reply.error(ERR_SYNTAX);
  let count = 0;
  let minIdle = 0;
  let start: StreamId = { ms: 0n, seq: 0n };
  let end: StreamId = MAX_ID;
  let consumerName: string | null = null;
  if (args.length >= 6) {
    let at = 3;
    if (args[3].toLowerCase() === 'idle') {
      const idle = intArg(client, args[4]);
      if (idle === null) return;
      minIdle = idle;
      if (args.length < 8) return client.reply.error(ERR_SYNTAX);
      at += 2;
    }
    const parsedCount = intArg(client, args[at + 2]);
    if (parsedCount === null) return;
    count = Math.max(0, parsedCount);
    const startArg = intervalId(client, args[at], 0n);
    if (startArg === null) return;
    const startId = startArg.exclude ? nextId(startArg.id) : startArg.id;
    if (startId === null) return client.reply.error('ERR invalid start ID for the interval');
    const endArg = intervalId(client, args[at + 1], (1n << 64n) - 1n);
    if (endArg === null) return;
    const endId = endArg.exclude ? previousId(endArg.id) : endArg.id;
    if (endId === null) return client.reply.error('ERR invalid end ID for the interval');
    start = startId;
    end = endId;
    if (at + 3 < args.length) consumerName = args[at + 3];
  }
  const found = lookupGroup(client, key, groupName);
  if (found === null) return;
  const { group } = found;
  const now = client.server.clock.now();
  if (justInfo) {
    client.reply.arrayHeader(4);
    client.reply.integer(group.pending.size);
    if (group.pending.size === 0) {
      client.reply.nullBulk();
      client.reply.nullBulk();
      client.reply.nullArray();
      return;
    }
    const sorted = group.sortedPending();
    client.reply.bulk(formatId(sorted[0].id));
    client.reply.bulk(formatId(sorted[sorted.length - 1].id));
    const owners = group.sortedConsumers().filter((consumer) => consumer.pending.size > 0);
    client.reply.arrayHeader(owners.length);
    for (const consumer of owners) {
      client.reply.arrayHeader(2);
      client.reply.bulk(consumer.name);
      client.reply.bulk(String(consumer.pending.size));
    }
    return;
  }
  let pel = group.pending;
  if (consumerName !== null) {
    const consumer = group.consumers.get(consumerName);
    if (consumer === undefined) return client.reply.arrayHeader(0);
    pel = consumer.pending;
  }
  const out: PendingEntry[] = [];
  for (const entry of sortPending(pel)) {
    if (count === 0 || out.length >= count) break;
    if (compareIds(entry.id, start) < 0) continue;
    if (compareIds(entry.id, end) > 0) break;
    if (minIdle && now - entry.deliveryTime < minIdle) continue;
    out.push(entry);
  }
  client.reply.arrayHeader(out.length);
  for (const entry of out) {
    client.reply.arrayHeader(4);
    client.reply.bulk(formatId(entry.id));
    client.reply.bulk(entry.consumer.name);
    client.reply.integer(Math.max(0, now - entry.deliveryTime));
    client.reply.integer(entry.deliveryCount);
  }
}

/**
 * streamReplyWithRange for a group: new entries after the group's last ID ('>'), each added to
 * the PELs (unless NOACK) and propagated. Returns the number of entries replied.
 */
export function serveGroup(
  client: CommandContext,
  key: string,
  stream: Stream,
  group: ConsumerGroup,
  consumer: Consumer,
  count: number,
  noack: boolean,
  propagate: (args: string[]) => void,
): number {
  const start = nextId(group.lastId);
  const entries = start === null ? [] : stream.range(start, MAX_ID, count);
  const now = client.server.clock.now();
  client.reply.arrayHeader(entries.length);
  let propagateLastId = false;
  for (const entry of entries) {
    if (compareIds(entry.id, group.lastId) > 0) {
      if (group.entriesRead !== -1n && !stream.rangeHasTombstones(entry.id)) group.entriesRead++;
      else if (stream.entriesAdded !== 0n) group.entriesRead = stream.estimateDistance(entry.id);
      group.lastId = entry.id;
      if (noack) propagateLastId = true;
    }
    replyEntry(client, entry);
    if (noack) continue;
    const pelId = pelKey(entry.id);
    let pending = group.pending.get(pelId);
    if (pending === undefined) {
      pending = { id: entry.id, consumer, deliveryTime: now, deliveryCount: 1 };
      group.pending.set(pelId, pending);
    } else {
      pending.consumer.pending.delete(pelId);
      pending.consumer = consumer;
      pending.deliveryTime = now;
      pending.deliveryCount = 1;
    }
    consumer.pending.set(pelId, pending);
    propagate([
      'XCLAIM', key, group.name, consumer.name, '0', formatId(entry.id), 'TIME', String(now), 'RETRYCOUNT', '1',
      'FORCE', 'JUSTID', 'LASTID', formatId(group.lastId),
    ]);
  }
  if (propagateLastId) {
    propagate(['XGROUP', 'SETID', key, group.name, formatId(group.lastId), 'ENTRIESREAD', String(group.entriesRead)]);
  }
  return entries.length;
}

/** XREADGROUP with an explicit ID: the consumer's own PEL from that ID (deleted entries as nil). */
export function serveHistory(client: CommandContext, stream: Stream, consumer: Consumer, after: StreamId, count: number): void {
  const start = nextId(after);
  const now = client.server.clock.now();
  const out: PendingEntry[] = [];
  if (start !== null) {
    for (const entry of sortPending(consumer.pending)) {
      if (count !== 0 && out.length >= count) break;
      if (compareIds(entry.id, start) >= 0) out.push(entry);
    }
  }
  client.reply.arrayHeader(out.length);
  for (const pending of out) {
    const entry = stream.get(pending.id);
    if (entry === undefined) {
      client.reply.arrayHeader(2);
      client.reply.bulk(formatId(pending.id));
      client.reply.nullArray();
    } else {
      replyEntry(client, entry);
      pending.deliveryTime = now;
      pending.deliveryCount++;
    }
  }
}

function xclaimPropagation(key: string, group: ConsumerGroup, groupName: string, idText: string, pending: PendingEntry): string[] {
  return [
    'XCLAIM', key, groupName, pending.consumer.name, '0', idText, 'TIME', String(pending.deliveryTime), 'RETRYCOUNT',
    String(pending.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', formatId(group.lastId),
  ];
}

/** XCLAIM key group consumer min-idle-time id... [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]. */
function xclaim(client: CommandContext, args: string[]): void {
  const [, key, groupName, consumerName] = args;
  const found = lookupGroup(client, key, groupName);
  if (found === null) return;
  const { stream, group } = found;
  const minIdleArg = parseInt64(args[4]);
  if (minIdleArg === null) return client.reply.error('ERR Invalid min-idle-time argument for XCLAIM');
  const minIdle = Math.max(0, Number(minIdleArg));
  const ids: StreamId[] = [];
  let j = 5;
  for (; j < args.length; j++) {
    const id = parseStreamId(null, args[j], 0n, true);
    if (id === null) break;
    ids.push(id.id);
  }
  const lastIdArg = j - 1;
  const now = client.server.clock.now();
  let lastId: StreamId = { ms: 0n, seq: 0n };
  let deliveryTime = -1;
  let retryCount = -1;
  let force = false;
  let justId = false;
  const integerOption = (text: string, name: string): number | null => {
    const parsed = parseInt64(text);
    if (parsed === null) {
      client.reply.error(`ERR Invalid ${name} option argument for XCLAIM`);
      return null;
    }
    return Number(parsed);
  };
  for (; j < args.length; j++) {
    const moreArgs = args.length - 1 - j;
    const option = args[j].toLowerCase();
    if (option === 'force') force = true;
    else if (option === 'justid') justId = true;
    else if (option === 'idle' && moreArgs > 0) {
      const idle = integerOption(args[++j], 'IDLE');
      if (idle === null) return;
      deliveryTime = now - idle;
    } else if (option === 'time' && moreArgs > 0) {
      const time = integerOption(args[++j], 'TIME');
      if (time === null) return;
      deliveryTime = time;
    } else if (option === 'retrycount' && moreArgs > 0) {
      const count = integerOption(args[++j], 'RETRYCOUNT');
      if (count === null) return;
      retryCount = count;
    } else if (option === 'lastid' && moreArgs > 0) {
      const id = strictId(client, args[++j]);
      if (id === null) return;
      lastId = id;
    } else {
      return client.reply.error(`ERR Unrecognized XCLAIM option '${args[j]}'`);
    }
  }
  const propagation = client.server.propagation;
  // XCLAIM goes to replicas as the idempotent form of each claim, never as sent.
  propagation.prevent();
  let propagateLastId = false;
  if (compareIds(lastId, group.lastId) > 0) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  let consumer = group.consumers.get(consumerName);
  if (consumer === undefined) consumer = createConsumer(client, group, consumerName, key) as Consumer;
  consumer.seenTime = now;
  const replies: Array<() => void> = [];
  for (let k = 5; k <= lastIdArg; k++) {
    const id = ids[k - 5];
    const pelId = pelKey(id);
    let pending = group.pending.get(pelId);
    const entry = stream.get(id);
    if (entry === undefined) {
      if (pending !== undefined) {
        propagation.rewrite(client.dbIndex, xclaimPropagation(key, group, groupName, args[k], pending));
        propagateLastId = false;
        client.server.dirty++;
        group.pending.delete(pelId);
        pending.consumer.pending.delete(pelId);
      }
      continue;
    }
    let fresh = false;
    if (force && pending === undefined) {
      pending = { id, consumer, deliveryTime: now, deliveryCount: 1 };
      group.pending.set(pelId, pending);
      fresh = true;
    }
    if (pending === undefined) continue;
    if (!fresh && minIdle && now - pending.deliveryTime < minIdle) continue;
    if (!fresh && pending.consumer !== consumer) pending.consumer.pending.delete(pelId);
    pending.deliveryTime = deliveryTime;
    if (retryCount >= 0) pending.deliveryCount = retryCount;
    else if (!justId) pending.deliveryCount++;
    pending.consumer = consumer;
    consumer.pending.set(pelId, pending);
    replies.push(justId ? () => client.reply.bulk(formatId(id)) : () => replyEntry(client, entry));
    propagation.rewrite(client.dbIndex, xclaimPropagation(key, group, groupName, args[k], pending));
    propagateLastId = false;
    client.server.dirty++;
  }
  if (propagateLastId) {
    propagation.rewrite(client.dbIndex, ['XGROUP', 'SETID', key, groupName, formatId(group.lastId), 'ENTRIESREAD', String(group.entriesRead)]);
    client.server.dirty++;
  }
  client.db.touched(key);
  client.reply.arrayHeader(replies.length);
  for (const reply of replies) reply();
}

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]: XCLAIM over a PEL scan. */
function xautoclaim(client: CommandContext, args: string[]): void {
  const [, key, groupName, consumerName] = args;
  const minIdleArg = parseInt64(args[4]);
  if (minIdleArg === null) return client.reply.error('ERR Invalid min-idle-time argument for XAUTOCLAIM');
  const minIdle = Math.max(0, Number(minIdleArg));
  const startArg = intervalId(client, args[5], 0n);
  if (startArg === null) return;
  const start = startArg.exclude ? nextId(startArg.id) : startArg.id;
  if (start === null) return client.reply.error('ERR invalid start ID for the interval');
  let count = 100;
  let justId = false;
  for (let j = 6; j < args.length; j++) {
    const option = args[j].toLowerCase();
    if (option === 'count' && j + 1 < args.length) {
      const parsed = parseInt64(args[j + 1]);
      const maxCount = BigInt(Math.floor(Number((1n << 63n) - 1n) / 16));
      if (parsed === null || BigInt(parsed) < 1n || BigInt(parsed) > maxCount) return client.reply.error('ERR COUNT must be > 0');
      count = Number(parsed);
      j++;
    } else if (option === 'justid') {
      justId = true;
    } else {
      return client.reply.error(ERR_SYNTAX);
    }
  }
  const found = lookupGroup(client, key, groupName);
  if (found === null) return;
  const { stream, group } = found;
  const propagation = client.server.propagation;
  propagation.prevent();
  const now = client.server.clock.now();
  let consumer = group.consumers.get(consumerName);
  if (consumer === undefined) consumer = createConsumer(client, group, consumerName, key) as Consumer;
  consumer.seenTime = now;
  const scan = group.sortedPending().filter((entry) => compareIds(entry.id, start) >= 0);
  let attempts = count * 10;
  let at = 0;
  const claimed: Array<() => void> = [];
  const deleted: StreamId[] = [];
  // The loop stops the way Redis's does (attempts, then count, then the end of the PEL), which
  // decides the cursor: the entry after the last one examined.
  while (attempts-- > 0 && count > 0 && at < scan.length) {
    const pending = scan[at++];
    const pelId = pelKey(pending.id);
    const entry = stream.get(pending.id);
    if (entry === undefined) {
      propagation.rewrite(client.dbIndex, xclaimPropagation(key, group, groupName, formatId(pending.id), pending));
      client.server.dirty++;
      group.pending.delete(pelId);
      pending.consumer.pending.delete(pelId);
      deleted.push(pending.id);
      count--;
      continue;
    }
    if (minIdle && now - pending.deliveryTime < minIdle) continue;
    if (pending.consumer !== consumer) pending.consumer.pending.delete(pelId);
    pending.deliveryTime = now;
    if (!justId) pending.deliveryCount++;
    pending.consumer = consumer;
    consumer.pending.set(pelId, pending);
    claimed.push(justId ? () => client.reply.bulk(formatId(entry.id)) : () => replyEntry(client, entry));
    count--;
    propagation.rewrite(client.dbIndex, xclaimPropagation(key, group, groupName, formatId(pending.id), pending));
    client.server.dirty++;
  }
  client.db.touched(key);
  client.reply.arrayHeader(3);
  client.reply.bulk(at < scan.length ? formatId(scan[at].id) : '0-0');
  client.reply.arrayHeader(claimed.length);
  for (const reply of claimed) reply();
  client.reply.arrayHeader(deleted.length);
  for (const id of deleted) client.reply.bulk(formatId(id));
}

export const streamGroupCommands: CommandSpec[] = [
  command('xgroup', -2, [], (client) => client.reply.error(ERR_SYNTAX), undefined, {
    categories: ['@slow'],
    subcommands: {
      create: command('xgroup|create', -5, ['write', 'denyoom'], xgroup, [2, 2, 1], { categories: ['@write', '@stream', '@slow'] }),
      setid: command('xgroup|setid', -5, ['write'], xgroup, [2, 2, 1], { categories: ['@write', '@stream', '@slow'] }),
      destroy: command('xgroup|destroy', 4, ['write'], xgroup, [2, 2, 1], { categories: ['@write', '@stream', '@slow'] }),
      createconsumer: command('xgroup|createconsumer', 5, ['write', 'denyoom'], xgroup, [2, 2, 1], { categories: ['@write', '@stream', '@slow'] }),
      delconsumer: command('xgroup|delconsumer', 5, ['write'], xgroup, [2, 2, 1], { categories: ['@write', '@stream', '@slow'] }),
      help: command('xgroup|help', 2, ['loading', 'stale'], xgroupHelp, undefined, { categories: ['@stream', '@slow'] }),
    },
  }),
  command('xclaim', -6, ['write', 'fast'], xclaim, [1, 1, 1], { categories: ['@write', '@stream', '@fast'] }),
  command('xautoclaim', -6, ['write', 'fast'], xautoclaim, [1, 1, 1], { categories: ['@write', '@stream', '@fast'] }),
  command('xack', -4, ['write', 'fast'], xack, [1, 1, 1], { categories: ['@write', '@stream', '@fast'] }),
  command('xpending', -3, ['readonly'], xpending, [1, 1, 1], { categories: ['@read', '@stream', '@slow'] }),
];
