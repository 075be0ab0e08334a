// SLOWLOG and MONITOR (what the node records of the commands it runs: diagnostics/).

import type { CommandContext } from '../context';
import { replyHelp, replySubcommandSyntaxError } from '../command-docs';
import { command, type CommandSpec } from './table';
import { rangeLongArg } from './collection-args';

const ERR_SLOWLOG_COUNT = 'ERR count should be greater than or equal to -1';
const ERR_MONITOR_DENY_BLOCKING = "ERR MONITOR isn't allowed for DENY BLOCKING client";
const LONG_MAX = 9223372036854775807n;

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

function slowlogGet(client: CommandContext, args: string[]): void {
  if (args.length > 3) return replySubcommandSyntaxError(client, args);
  const slowlog = client.server.slowlog;
  let count = 10;
  if (args.length === 3) {
    const parsed = rangeLongArg(client, args[2], -1n, LONG_MAX, ERR_SLOWLOG_COUNT);
    if (parsed === null) return;
    count = parsed === -1 ? slowlog.length : parsed;
  }
  const entries = slowlog.newest(count);
  const reply = client.reply;
  reply.arrayHeader(entries.length);
  for (const entry of entries) {
    reply.arrayHeader(6);
    reply.integer(entry.id);
    reply.integer(entry.time);
    reply.integer(entry.durationUsec);
    reply.bulkArray(entry.args);
    reply.bulk(entry.peer);
    reply.bulk(entry.clientName);
  }
}

/** MONITOR: from now on the connection receives a line per command run (its own commands included). */
function monitor(client: CommandContext): void {
  // Inside MULTI (and so from EXEC) a client expects one reply per command.
  if (client.multi !== null || client.executingMulti) return client.reply.error(ERR_MONITOR_DENY_BLOCKING);
  const monitors = client.server.monitors;
  // A replica or a client already monitoring: ignored, without a reply, as Redis does.
  if (client.isReplica || monitors.has(client)) return;
  monitors.add(client);
  client.reply.ok();
}

const ADMIN = ['admin', 'loading', 'stale'] as const;

export const diagnosticsCommands: CommandSpec[] = [
  command('slowlog', -2, [], () => {}, undefined, {
    subcommands: {
      get: command('slowlog|get', -2, ADMIN, slowlogGet),
      len: command('slowlog|len', 2, ADMIN, (client) => client.reply.integer(client.server.slowlog.length)),
      reset: command('slowlog|reset', 2, ADMIN, (client) => {
        client.server.slowlog.reset();
        client.reply.ok();
      }),
      help: command('slowlog|help', 2, ['loading', 'stale'], (client, args) => replyHelp(client, args, SLOWLOG_HELP)),
    },
  }),
  command('monitor', 1, ['admin', 'noscript', 'loading', 'stale'], monitor),
];
