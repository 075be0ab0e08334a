// Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and PUBSUB.
// Confirmations are pushes ('>' in RESP3, arrays in RESP2) carrying the client's total count
// of channels plus patterns, as Redis 7.0 sends them.
//
// The node's 'pubsub' flag means "allowed in RESP2 subscriber context", which Redis grants only
// to the (un)subscribe commands, PING, QUIT and RESET: PUBLISH and PUBSUB do not carry it here.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { globMatch } from '../glob';
import { replyHelp, replySubcommandSyntaxError } from '../command-docs';

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

function subscriptionCount(client: CommandContext): number {
  return client.channels.size + client.patterns.size;
}

/** One confirmation push: kind, channel or pattern (null for "nothing to unsubscribe"), count. */
function confirm(client: CommandContext, kind: string, name: string | null): void {
  // A push: Redis sends it even under CLIENT REPLY OFF/SKIP.
  if (client.isMasterLink) return;
  const resp3 = client.reply.resp === 3;
  const bulk = (text: string) => '$' + text.length + '\r\n' + text + '\r\n';
  const nameText = name === null ? (resp3 ? '_\r\n' : '$-1\r\n') : bulk(name);
  client.reply.push((resp3 ? '>3\r\n' : '*3\r\n') + bulk(kind) + nameText + ':' + subscriptionCount(client) + '\r\n');
}

function subscribe(client: CommandContext, args: string[]): void {
  for (let i = 1; i < args.length; i++) {
    client.server.pubsub.subscribe(client, args[i]);
    confirm(client, 'subscribe', args[i]);
  }
}

function unsubscribe(client: CommandContext, args: string[]): void {
  const pubsub = client.server.pubsub;
  if (args.length === 1) {
    const channels = [...client.channels];
    for (const channel of channels) {
      pubsub.unsubscribe(client, channel);
      confirm(client, 'unsubscribe', channel);
    }
    if (channels.length === 0) confirm(client, 'unsubscribe', null);
    return;
  }
  for (let i = 1; i < args.length; i++) {
    pubsub.unsubscribe(client, args[i]);
    confirm(client, 'unsubscribe', args[i]);
  }
}

function psubscribe(client: CommandContext, args: string[]): void {
  for (let i = 1; i < args.length; i++) {
    client.server.pubsub.psubscribe(client, args[i]);
    confirm(client, 'psubscribe', args[i]);
  }
}

function punsubscribe(client: CommandContext, args: string[]): void {
  const pubsub = client.server.pubsub;
  if (args.length === 1) {
    const patterns = [...client.patterns];
    for (const pattern of patterns) {
      pubsub.punsubscribe(client, pattern);
      confirm(client, 'punsubscribe', pattern);
    }
    if (patterns.length === 0) confirm(client, 'punsubscribe', null);
    return;
  }
  for (let i = 1; i < args.length; i++) {
    pubsub.punsubscribe(client, args[i]);
    confirm(client, 'punsubscribe', args[i]);
  }
}

function publish(client: CommandContext, args: string[]): void {
  const server = client.server;
  const receivers = server.pubsub.publish(args[1], args[2], client);
  // Redis forces PUBLISH into the replication stream so replicas' subscribers get it too,
  // although it changes no data.
  server.propagation.also(client.dbIndex, ['PUBLISH', args[1], args[2]]);
  client.reply.integer(receivers);
}

function pubsubChannels(client: CommandContext, args: string[]): void {
  if (args.length > 3) return replySubcommandSyntaxError(client, args);
  const pattern = args.length === 3 ? args[2] : null;
  const matching: string[] = [];
  for (const channel of client.server.pubsub.channels.keys()) {
    if (pattern === null || globMatch(pattern, channel)) matching.push(channel);
  }
  client.reply.bulkArray(matching);
}

function pubsubNumsub(client: CommandContext, args: string[]): void {
  const reply = client.reply;
  reply.arrayHeader((args.length - 2) * 2);
  for (let i = 2; i < args.length; i++) {
    reply.bulk(args[i]);
    reply.integer(client.server.pubsub.channels.get(args[i])?.size ?? 0);
  }
}

/** Sharded pub/sub is a cluster feature: outside a cluster there are never shard channels. */
function pubsubShardChannels(client: CommandContext, args: string[]): void {
  if (args.length > 3) return replySubcommandSyntaxError(client, args);
  client.reply.arrayHeader(0);
}

function pubsubShardNumsub(client: CommandContext, args: string[]): void {
  const reply = client.reply;
  reply.arrayHeader((args.length - 2) * 2);
  for (let i = 2; i < args.length; i++) {
    reply.bulk(args[i]);
    reply.integer(0);
  }
}

const SUBSCRIBER_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;

export const pubsubCommands: CommandSpec[] = [
  command('subscribe', -2, SUBSCRIBER_FLAGS, subscribe),
  command('unsubscribe', -1, SUBSCRIBER_FLAGS, unsubscribe),
  command('psubscribe', -2, SUBSCRIBER_FLAGS, psubscribe),
  command('punsubscribe', -1, SUBSCRIBER_FLAGS, punsubscribe),
  command('publish', 3, ['loading', 'stale', 'fast'], publish),
  command('pubsub', -2, [], () => {}, undefined, {
    subcommands: {
      channels: command('pubsub|channels', -2, ['loading', 'stale'], pubsubChannels),
      numsub: command('pubsub|numsub', -2, ['loading', 'stale'], pubsubNumsub),
      numpat: command('pubsub|numpat', 2, ['loading', 'stale'], (client) => client.reply.integer(client.server.pubsub.patterns.size)),
      shardchannels: command('pubsub|shardchannels', -2, ['loading', 'stale'], pubsubShardChannels),
      shardnumsub: command('pubsub|shardnumsub', -2, ['loading', 'stale'], pubsubShardNumsub),
      help: command('pubsub|help', 2, ['loading', 'stale'], (client, args) => replyHelp(client, args, PUBSUB_HELP)),
    },
  }),
];
