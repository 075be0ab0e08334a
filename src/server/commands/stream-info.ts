// XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP as Redis 7.0 answers
// them. radix-tree-nodes is the node count of Redis's rax over the nodes' 128-bit master IDs,
// computed from the key set as a compressed radix tree (chains of single children are one node).

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isStream } from '../keyspace/values';
import { formatId, MAX_ID, MIN_ID, type Stream, type StreamId } from '../keyspace/stream';
import { sortedGroups, sortPending, type ConsumerGroup } from '../keyspace/stream-groups';
import { parseInt64 } from '../resp/numbers';
import { lookupRead } from './util';
import { ERR_WRONGTYPE } from '../errors';
import { replyEntries, replyEntry } from './streams';
import { idBytes } from '../rdb/stream-writer';

function raxNodes(keys: Buffer[], depth: number): number {
  if (keys.length === 0) return 1;
  if (keys.length === 1 && keys[0].length === depth) return 1;
  const byFirst = new Map<number, Buffer[]>();
  for (const key of keys) {
    const c = key[depth];
    let group = byFirst.get(c);
    if (!group) byFirst.set(c, (group = []));
    group.push(key);
  }
  if (byFirst.size === 1) {
    // A compressed node over the common prefix, then whatever follows it.
    let end = depth + 1;
    const first = keys[0];
    while (end < first.length && keys.every((key) => key[end] === first[end])) end++;
    return 1 + raxNodes(keys, end);
  }
  let total = 1;
  for (const group of byFirst.values()) total += raxNodes(group, depth + 1);
  return total;
}

function groupLag(stream: Stream, group: ConsumerGroup): bigint | null {
  if (stream.entriesAdded === 0n) return 0n;
  if (group.entriesRead !== -1n && !stream.rangeHasTombstones(group.lastId)) return stream.entriesAdded - group.entriesRead;
  const estimate = stream.estimateDistance(group.lastId);
  return estimate === -1n ? null : stream.entriesAdded - estimate;
}

/** last-delivered-id, entries-read and lag: the fields XINFO GROUPS and XINFO STREAM FULL share. */
function replyGroupProgress(client: CommandContext, stream: Stream, group: ConsumerGroup): void {
  client.reply.bulk('last-delivered-id');
  replyId(client, group.lastId);
  client.reply.bulk('entries-read');
  if (group.entriesRead !== -1n) client.reply.integer(group.entriesRead);
  else client.reply.nullBulk();
  client.reply.bulk('lag');
  const lag = groupLag(stream, group);
  if (lag === null) client.reply.nullBulk();
  else client.reply.integer(lag);
}

function replyId(client: CommandContext, id: StreamId): void {
  client.reply.bulk(formatId(id));
}

function syntaxError(client: CommandContext, args: string[]): void {
  client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${args[1]}'. Try XINFO HELP.`);
}

function streamInfo(client: CommandContext, stream: Stream, args: string[]): void {
  const options = args.length - 3;
  let full = false;
  let count = 10;
  if (options !== 0) {
    if (options !== 1 && options !== 3) return syntaxError(client, args);
    if (args[3].toLowerCase() !== 'full') return syntaxError(client, args);
    if (options === 3) {
      if (args[4].toLowerCase() !== 'count') return syntaxError(client, args);
      const parsed = parseInt64(args[5]);
      if (parsed === null) return client.reply.error('ERR value is not an integer or out of range');
      count = parsed < 0 ? 10 : Number(parsed);
    }
    full = true;
  }
  const nodes = [...stream.storedNodes()];
  client.reply.mapHeader(full ? 9 : 10);
  client.reply.bulk('length');
  client.reply.integer(stream.length);
  client.reply.bulk('radix-tree-keys');
  client.reply.integer(nodes.length);
  client.reply.bulk('radix-tree-nodes');
  client.reply.integer(raxNodes(nodes.map(({ node }) => idBytes(node.master)), 0));
  client.reply.bulk('last-generated-id');
  replyId(client, stream.lastId);
  client.reply.bulk('max-deleted-entry-id');
  replyId(client, stream.maxDeletedId);
  client.reply.bulk('entries-added');
  client.reply.integer(stream.entriesAdded);
  client.reply.bulk('recorded-first-entry-id');
  replyId(client, stream.edgeId(true) ?? MIN_ID);
  if (full) return fullInfo(client, stream, count);
  client.reply.bulk('groups');
  client.reply.integer(stream.groups.size);
  const first = stream.range(MIN_ID, MAX_ID, 1);
  const last = stream.range(MIN_ID, MAX_ID, 1, true);
  client.reply.bulk('first-entry');
  if (first.length > 0) replyEntry(client, first[0]);
  else client.reply.nullBulk();
  client.reply.bulk('last-entry');
  if (last.length > 0) replyEntry(client, last[0]);
  else client.reply.nullBulk();
}

/** The FULL form's entries and groups, with PELs and consumers (7.0's fields: no active-time). */
function fullInfo(client: CommandContext, stream: Stream, count: number): void {
  client.reply.bulk('entries');
  replyEntries(client, stream.range(MIN_ID, MAX_ID, count));
  client.reply.bulk('groups');
  const groups = sortedGroups(stream.groups);
  client.reply.arrayHeader(groups.length);
  const limited = <T>(items: T[]) => (count === 0 ? items : items.slice(0, count));
  for (const group of groups) {
    client.reply.mapHeader(7);
    client.reply.bulk('name');
    client.reply.bulk(group.name);
    replyGroupProgress(client, stream, group);
    client.reply.bulk('pel-count');
    client.reply.integer(group.pending.size);
    client.reply.bulk('pending');
    const pending = limited(group.sortedPending());
    client.reply.arrayHeader(pending.length);
    for (const entry of pending) {
      client.reply.arrayHeader(4);
      replyId(client, entry.id);
      client.reply.bulk(entry.consumer.name);
      client.reply.integer(entry.deliveryTime);
      client.reply.integer(entry.deliveryCount);
    }
    client.reply.bulk('consumers');
    const consumers = group.sortedConsumers();
    client.reply.arrayHeader(consumers.length);
    for (const consumer of consumers) {
      client.reply.mapHeader(4);
      client.reply.bulk('name');
      client.reply.bulk(consumer.name);
      client.reply.bulk('seen-time');
      client.reply.integer(consumer.seenTime);
      client.reply.bulk('pel-count');
      client.reply.integer(consumer.pending.size);
      client.reply.bulk('pending');
      const owned = limited(sortPending(consumer.pending));
      client.reply.arrayHeader(owned.length);
      for (const entry of owned) {
        client.reply.arrayHeader(3);
        replyId(client, entry.id);
        client.reply.integer(entry.deliveryTime);
        client.reply.integer(entry.deliveryCount);
      }
    }
  }
}

function xinfo(client: CommandContext, args: string[]): void {
  const sub = args[1].toLowerCase();
  const key = args[2];
  const value = lookupRead(client, key);
  if (value === undefined) return client.reply.error('ERR no such key');
  if (!isStream(value)) return client.reply.error(ERR_WRONGTYPE);
  if (sub === 'consumers' && args.length === 4) {
    const group = value.groups.get(args[3]);
    if (group === undefined) return client.reply.error(`NOGROUP No such consumer group '${args[3]}' for key name '${key}'`);
    const now = client.server.clock.now();
    const consumers = group.sortedConsumers();
    client.reply.arrayHeader(consumers.length);
    for (const consumer of consumers) {
      client.reply.mapHeader(3);
      client.reply.bulk('name');
      client.reply.bulk(consumer.name);
      client.reply.bulk('pending');
      client.reply.integer(consumer.pending.size);
      client.reply.bulk('idle');
      client.reply.integer(Math.max(0, now - consumer.seenTime));
    }
  } else if (sub === 'groups' && args.length === 3) {
    const groups = sortedGroups(value.groups);
    client.reply.arrayHeader(groups.length);
    for (const group of groups) {
      client.reply.mapHeader(6);
      client.reply.bulk('name');
      client.reply.bulk(group.name);
      client.reply.bulk('consumers');
      client.reply.integer(group.consumers.size);
      client.reply.bulk('pending');
      client.reply.integer(group.pending.size);
      replyGroupProgress(client, value, group);
    }
  } else if (sub === 'stream') {
    streamInfo(client, value, args);
  } else {
    client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${args[1]}'. Try XINFO HELP.`);
  }
}

const HELP_LINES = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

function help(client: CommandContext, args: string[]): void {
  const lines = [`${args[0].toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...HELP_LINES];
  client.reply.arrayHeader(lines.length);
  for (const line of lines) client.reply.simple(line);
}

const READ = { categories: ['@read', '@stream', '@slow'] };

export const streamInfoCommands: CommandSpec[] = [
  command('xinfo', -2, [], (client, args) => client.reply.error(`ERR unknown subcommand '${args[1]}'. Try XINFO HELP.`), undefined, {
    categories: ['@slow'],
    subcommands: {
      stream: command('xinfo|stream', -3, ['readonly'], xinfo, [2, 2, 1], READ),
      groups: command('xinfo|groups', 3, ['readonly'], xinfo, [2, 2, 1], READ),
      consumers: command('xinfo|consumers', 4, ['readonly'], xinfo, [2, 2, 1], READ),
      help: command('xinfo|help', 2, ['loading', 'stale'], help, undefined, { categories: ['@stream', '@slow'] }),
    },
  }),
];
