// SLOWLOG, LATENCY and MONITOR (what the node records of the commands it runs: diagnostics/).

import type { CommandContext } from '../context';
import { allCommandsWithSubcommands, lookupCommandByFullName, replyHelp, replySubcommandSyntaxError } from '../command-docs';
import { histogramOf } from '../diagnostics/latency-histogram';
import { command, type CommandSpec, type CommandTable, type CompiledCommand } from './table';
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

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

function latencyLatest(client: CommandContext): void {
  const reply = client.reply;
  const latest = client.server.latency.latest();
  reply.arrayHeader(latest.length);
  for (const { event, time, latency, max } of latest) {
    reply.arrayHeader(4);
    reply.bulk(event);
    reply.integer(time);
    reply.integer(latency);
    reply.integer(max);
  }
}

function latencyHistory(client: CommandContext, args: string[]): void {
  const samples = client.server.latency.history(args[2]);
  client.reply.arrayHeader(samples.length);
  for (const { time, latency } of samples) {
    client.reply.arrayHeader(2);
    client.reply.integer(time);
    client.reply.integer(latency);
  }
}

function latencyReset(client: CommandContext, args: string[]): void {
  const latency = client.server.latency;
  if (args.length === 2) return client.reply.integer(latency.reset());
  let resets = 0;
  for (let i = 2; i < args.length; i++) resets += latency.reset(args[i]);
  client.reply.integer(resets);
}

function latencyGraph(client: CommandContext, args: string[]): void {
  const graph = client.server.latency.graph(args[2], client.server.clock.now());
  if (graph === null) return client.reply.error(`ERR No samples available for event '${args[2]}'`);
  client.reply.verbatim(graph, 'txt');
}

/** LATENCY HISTOGRAM [command ...]: each command (a container stands for its subcommands) with calls and µs buckets. */
function latencyHistogram(table: CommandTable, client: CommandContext, args: string[]): void {
  let commands: CompiledCommand[];
  if (args.length === 2) {
    commands = allCommandsWithSubcommands(table);
  } else {
    commands = [];
    for (const name of args.slice(2)) {
      const cmd = lookupCommandByFullName(table, name.toLowerCase());
      if (!cmd) continue;
      commands.push(cmd, ...(cmd.subcommands ? (Object.values(cmd.subcommands) as CompiledCommand[]) : []));
    }
  }
  const withData = commands.flatMap((cmd) => {
    const histogram = histogramOf(cmd);
    return histogram ? [{ name: cmd.name, histogram }] : [];
  });
  const reply = client.reply;
  reply.mapHeader(withData.length);
  for (const { name, histogram } of withData) {
    reply.bulk(name);
    reply.mapHeader(2);
    reply.bulk('calls');
    reply.integer(histogram.total);
    reply.bulk('histogram_usec');
    const buckets = histogram.cumulativeBuckets();
    reply.mapHeader(buckets.length);
    for (const [micros, count] of buckets) {
      reply.integer(micros);
      reply.integer(count);
    }
  }
}

function latencyDoctor(client: CommandContext): void {
  const server = client.server;
  const report = server.latency.report(server.config.getInt('latency-monitor-threshold'), server.config.getInt('slowlog-log-slower-than'), server.clock.now());
  client.reply.verbatim(report, 'txt');
}

const ADMIN = ['admin', 'loading', 'stale'] as const;
const ADMIN_NOSCRIPT = ['admin', 'noscript', 'loading', 'stale'] as const;

export const diagnosticsCommands = (table: CommandTable): CommandSpec[] => [
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
  command('monitor', 1, ADMIN_NOSCRIPT, monitor),
  command('latency', -2, [], () => {}, undefined, {
    subcommands: {
      latest: command('latency|latest', 2, ADMIN_NOSCRIPT, latencyLatest),
      history: command('latency|history', 3, ADMIN_NOSCRIPT, latencyHistory),
      reset: command('latency|reset', -2, ADMIN_NOSCRIPT, latencyReset),
      graph: command('latency|graph', 3, ADMIN_NOSCRIPT, latencyGraph),
      doctor: command('latency|doctor', 2, ADMIN_NOSCRIPT, latencyDoctor),
      histogram: command('latency|histogram', -2, ADMIN_NOSCRIPT, (client, args) => latencyHistogram(table, client, args)),
      help: command('latency|help', 2, ['loading', 'stale'], (client, args) => replyHelp(client, args, LATENCY_HELP)),
    },
  }),
];
