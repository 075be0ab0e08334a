// Server commands: INFO, CONFIG (GET, SET, RESETSTAT, REWRITE, HELP), TIME, LASTSAVE, COMMAND,
// SHUTDOWN, ROLE and MEMORY, with Redis 7.0's replies and error texts (DEBUG is in debug.ts).

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandContext, ServerContext } from '../context';
import type { ServerStats } from '../stats';
import type { ReplyBuffer } from '../resp/reply';
import { command, type CommandSpec, type CommandTable, type CompiledCommand } from './table';
import { ERR_NO_CONFIG_FILE, ERR_NOT_INTEGER, ERR_SYNTAX } from '../errors';
import { ConfigValueError, findDirective, parseDirectiveValue, type Directive } from '../config';
import { globMatch } from '../glob';
import { parseInt64 } from '../resp/numbers';
import {
  allCommandsWithSubcommands,
  commandGetKeys,
  commandMatchesFilter,
  lookupCommandByFullName,
  replyHelp,
  writeCommandDocs,
  writeCommandInfo,
  type CommandListFilter,
} from '../command-docs';
import { resetLatency } from '../diagnostics/latency-histogram';
import { ConfigRewriteError, effectiveDir, formatOutputBufferLimits, outputBufferLimits, rewriteConfigFile } from '../persistence/config-rewrite';
import { isHash, isList, isSet, isStream, isZSet, type Value } from '../keyspace/values';
import { debug } from './debug';

const ERR_NO_SHUTDOWN = 'ERR No shutdown in progress.';
const ERR_SHUTDOWN_FAILED = 'ERR Errors trying to SHUTDOWN. Check logs.';
const errUnknownConfigOption = (name: string) => `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
const errConfigSetFailed = (name: string, reason: string) => `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
const errRewriting = (reason: string) => `ERR Rewriting config file: ${reason}`;

// --- INFO, TIME, LASTSAVE, ROLE --------------------------------------------------------------

function info(client: CommandContext, args: string[]): void {
  client.reply.verbatim(client.server.info(args.slice(1)));
}

function time(client: CommandContext): void {
  const now = client.server.clock.now();
  client.reply.arrayHeader(2);
  client.reply.bulk(String(Math.floor(now / 1000)));
  client.reply.bulk(String((now % 1000) * 1000));
}

/** ROLE: delegated to `server.replication.roleReply` when present, else a master with no replicas. */
function writeRole(server: ServerContext, reply: ReplyBuffer): void {
  const replication = server.replication;
  if (typeof replication.roleReply === 'function') return replication.roleReply(reply);
  reply.arrayHeader(3);
  reply.bulk('master');
  reply.integer(replication.offset);
  reply.arrayHeader(0);
}

// --- CONFIG ------------------------------------------------------------------------------------

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

/** Directives Redis 7.0 refuses at run time although the node's table lets them change. */
const IMMUTABLE_IN_REDIS = new Set(['rdbchecksum', 'pidfile', 'enable-protected-configs', 'enable-debug-command', 'enable-module-command']);
/** Directives that need enable-protected-configs (they decide where files are written). */
const PROTECTED = new Set(['dir', 'dbfilename']);

/** A directive's value as CONFIG GET shows it. */
function displayValue(server: ServerContext, name: string): string {
  if (name === 'dir') return effectiveDir(server.config);
  const value = server.config.get(name);
  if (name === 'client-output-buffer-limit') return formatOutputBufferLimits(value);
  const directive = findDirective(name);
  return directive?.kind === 'custom' && directive.display ? directive.display(value) : value;
}

function configGet(client: CommandContext, args: string[]): void {
  const server = client.server;
  // Keyed by lower-cased name: an exact name keeps the spelling it was asked with, as in Redis.
  const matches = new Map<string, { shown: string; directive: string }>();
  for (let i = 2; i < args.length; i++) {
    const pattern = args[i];
    if (!/[[*?]/.test(pattern)) {
      const directive = findDirective(pattern);
      if (directive && !matches.has(pattern.toLowerCase())) matches.set(pattern.toLowerCase(), { shown: pattern, directive: directive.name });
      continue;
    }
    for (const [name] of server.config.entries()) {
      if (matches.has(name) || !globMatch(pattern, name, true)) continue;
      matches.set(name, { shown: name, directive: (findDirective(name) as Directive).name });
    }
  }
  const reply = client.reply;
  reply.mapHeader(matches.size);
  for (const { shown, directive } of matches.values()) {
    reply.bulk(shown);
    reply.bulk(displayValue(server, directive));
  }
}

/** Returns the reason a protected directive may not be set from this connection, or null. */
function protectedReason(client: CommandContext): string | null {
  const setting = client.server.config.get('enable-protected-configs');
  if (setting === 'yes') return null;
  if (setting === 'local' && client.isLocal) return null;
  return "can't set protected config";
}

/** Extra checks Redis's setters make beyond the value's type. */
function validateSpecial(server: ServerContext, directive: Directive, value: string): string {
  if (directive.name === 'client-output-buffer-limit') {
    // A partial setting changes only the classes it names, as in Redis.
    const merged = outputBufferLimits(server.config.get('client-output-buffer-limit') + ' ' + value);
    return Object.entries(merged)
      .map(([cls, limits]) => `${cls} ${limits.join(' ')}`)
      .join(' ');
  }
  if (directive.name === 'dir') {
    // Relative to the current dir, as Redis's chdir() would take it.
    const path = resolve(effectiveDir(server.config), value);
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      isDirectory = false;
    }
    if (!isDirectory) throw new ConfigValueError('No such file or directory');
    return path;
  }
  return value;
}

/**
 * CONFIG SET name value [name value ...]: all names are checked first (unknown, immutable,
 * protected, duplicate), then every value is parsed, and only then is anything applied, so a
 * failing pair leaves the configuration untouched.
 */
function configSet(client: CommandContext, args: string[]): void {
  const server = client.server;
  if (args.length % 2 !== 0) return client.reply.error(ERR_SYNTAX);
  const pairs: Array<{ typed: string; directive: Directive; value: string }> = [];
  const seenNames = new Set<string>();
  let firstError: string | null = null;
  for (let i = 2; i < args.length; i += 2) {
    const typed = args[i];
    const directive = findDirective(typed);
    if (!directive) {
      firstError ??= errUnknownConfigOption(typed);
      continue;
    }
    if (firstError) continue;
    if (directive.mutable === false || IMMUTABLE_IN_REDIS.has(directive.name)) {
      firstError = errConfigSetFailed(typed, "can't set immutable config");
      continue;
    }
    if (PROTECTED.has(directive.name)) {
      const reason = protectedReason(client);
      if (reason) {
        firstError = errConfigSetFailed(typed, reason);
        continue;
      }
    }
    // An alias and its directive count as different names here, exactly as in Redis.
    if (seenNames.has(typed.toLowerCase())) {
      firstError = errConfigSetFailed(typed, 'duplicate parameter');
      continue;
    }
    seenNames.add(typed.toLowerCase());
    pairs.push({ typed, directive, value: args[i + 1] });
  }
  if (firstError) return client.reply.error(firstError);

  const parsed: Array<[string, string]> = [];
  for (const { typed, directive, value } of pairs) {
    // Errors name the directive as registered: the alias when an alias was used.
    const shownName = (directive.aliases ?? []).includes(typed.toLowerCase()) ? typed.toLowerCase() : directive.name;
    try {
      const normalized = parseDirectiveValue(directive, [value]);
      parsed.push([directive.name, validateSpecial(server, directive, normalized)]);
    } catch (error) {
      if (error instanceof ConfigValueError) return client.reply.error(errConfigSetFailed(shownName, error.message));
      throw error;
    }
  }
  const values = new Map(parsed);
  const change = {
    port: Number(values.get('port') ?? server.config.get('port')),
    bind: values.get('bind') ?? server.config.get('bind'),
    tlsPort: Number(values.get('tls-port') ?? server.config.get('tls-port')),
  };
  const rebinds = change.port !== server.config.getInt('port') || change.bind !== server.config.get('bind') || change.tlsPort !== server.config.getInt('tls-port');
  // Inside EXEC the reply cannot wait: the listeners follow in the background there.
  if (!rebinds || client.executingMulti) {
    for (const [name, value] of parsed) server.config.setValidated(name, value);
    if (rebinds) void server.changeListeners(change);
    return client.reply.ok();
  }
  // Binding is asynchronous: the client waits, and nothing is stored unless every address bound.
  client.blocked = true;
  void server.changeListeners(change).then((failure) => {
    if (client.closed) return;
    if (failure) client.reply.error(errConfigSetFailed(failure.directive, failure.reason));
    else {
      for (const [name, value] of parsed) server.config.setValidated(name, value);
      client.reply.ok();
    }
    client.unblock();
  });
}

/** CONFIG RESETSTAT: zeroes INFO stats and per-command counters; uptime keeps counting. */
function resetStats(serverStats: ServerStats, table: CommandTable): void {
  const stats = serverStats as unknown as Record<string, unknown>;
  for (const key of Object.keys(stats)) {
    if (key !== 'startedAt' && typeof stats[key] === 'number') stats[key] = 0;
  }
  serverStats.errorsByCode.clear();
  for (const cmd of allCommandsWithSubcommands(table)) {
    cmd.calls = 0;
    cmd.usec = 0;
    cmd.failedCalls = 0;
    cmd.rejectedCalls = 0;
    resetLatency(cmd);
  }
}

function configRewrite(client: CommandContext): void {
  const server = client.server;
  if (!server.configFile) return client.reply.error(ERR_NO_CONFIG_FILE);
  try {
    rewriteConfigFile(server.configFile, server.config, server.acl.configRewriteLines());
  } catch (error) {
    if (!(error instanceof ConfigRewriteError)) throw error;
    server.logger.warning(`CONFIG REWRITE failed: ${error.message}`);
    return client.reply.error(errRewriting(error.message));
  }
  server.logger.warning('CONFIG REWRITE executed with success.');
  client.reply.ok();
}

// --- COMMAND -----------------------------------------------------------------------------------

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

function commandAll(table: CommandTable, client: CommandContext): void {
  const commands = [...table.all()];
  client.reply.arrayHeader(commands.length);
  for (const cmd of commands) writeCommandInfo(client.reply, cmd);
}

function commandInfo(table: CommandTable, client: CommandContext, args: string[]): void {
  if (args.length === 2) return commandAll(table, client);
  const reply = client.reply;
  reply.arrayHeader(args.length - 2);
  for (let i = 2; i < args.length; i++) {
    const cmd = lookupCommandByFullName(table, args[i]);
    if (cmd) writeCommandInfo(reply, cmd);
    else reply.nullBulk();
  }
}

function commandDocs(table: CommandTable, client: CommandContext, args: string[]): void {
  const found: CompiledCommand[] = [];
  if (args.length === 2) found.push(...table.all());
  for (let i = 2; i < args.length; i++) {
    const cmd = lookupCommandByFullName(table, args[i]);
    if (cmd) found.push(cmd);
  }
  client.reply.mapHeader(found.length);
  for (const cmd of found) {
    client.reply.bulk(cmd.name);
    writeCommandDocs(client.reply, cmd);
  }
}

function commandList(table: CommandTable, client: CommandContext, args: string[]): void {
  let filter: CommandListFilter = null;
  for (let i = 2; i < args.length; i += 3) {
    const kind = args[i + 1]?.toLowerCase();
    if (args[i].toLowerCase() !== 'filterby' || args.length - 1 - i !== 2 || (kind !== 'module' && kind !== 'aclcat' && kind !== 'pattern')) {
      return client.reply.error(ERR_SYNTAX);
    }
    filter = { kind, arg: args[i + 2] };
  }
  const names = allCommandsWithSubcommands(table)
    .filter((cmd) => commandMatchesFilter(cmd, filter))
    .map((cmd) => cmd.name);
  client.reply.bulkArray(names);
}

// --- SHUTDOWN ----------------------------------------------------------------------------------

function shutdown(client: CommandContext, args: string[]): void {
  let saveFlag = false;
  let nosaveFlag = false;
  let otherFlag = false;
  let abort = false;
  for (let i = 1; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === 'nosave') nosaveFlag = true;
    else if (option === 'save') saveFlag = true;
    else if (option === 'now' || option === 'force') otherFlag = true;
    else if (option === 'abort') abort = true;
    else return client.reply.error(ERR_SYNTAX);
  }
  if ((abort && (saveFlag || nosaveFlag || otherFlag)) || (saveFlag && nosaveFlag)) return client.reply.error(ERR_SYNTAX);
  const save = saveFlag ? true : nosaveFlag ? false : null;
  // The node never waits for replicas before exiting, so there is never a shutdown to abort.
  if (abort) return client.reply.error(ERR_NO_SHUTDOWN);
  const server = client.server;
  // On success the connection just closes, with no reply, as Redis exits.
  server.shutdown({ save }).catch((error: unknown) => {
    server.logger.warning(`Errors trying to shut down the server: ${(error as Error).message}`);
    if (!client.closed) {
      client.reply.error(ERR_SHUTDOWN_FAILED);
      client.flush();
    }
  });
}

// --- MEMORY -------------------------------------------------------------------------------------

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

/** Per-object and per-element overheads close to what Redis reports for small values. */
const OBJECT_OVERHEAD = 56;
const ELEMENT_OVERHEAD = 16;

/** An estimate of a key's footprint: Redis also samples nested values rather than measuring. */
function estimateMemory(key: string, value: Value, samples: number): number {
  let elements: Iterable<string> = [];
  let count = 0;
  if (typeof value === 'string') return OBJECT_OVERHEAD + key.length + value.length;
  if (isHash(value)) {
    count = value.size;
    elements = (function* () {
      for (const [field, v] of value) yield field + v;
    })();
  } else if (isSet(value)) {
    count = value.size;
    elements = value;
  } else if (isList(value)) {
    count = value.length;
    elements = value;
  } else if (isZSet(value)) {
    // Members are not sampled: a sorted set is costed by its size (member, 8-byte score, links).
    return OBJECT_OVERHEAD + key.length + value.size * (ELEMENT_OVERHEAD + 24);
  } else if (isStream(value)) {
    count = value.length;
    elements = (function* () {
      for (const entry of value.liveEntries()) yield entry.fields.join('');
    })();
  }
  let sampledBytes = 0;
  let sampled = 0;
  for (const element of elements) {
    if (samples !== 0 && sampled >= samples) break;
    sampledBytes += element.length + ELEMENT_OVERHEAD;
    sampled++;
  }
  const perElement = sampled === 0 ? 0 : sampledBytes / sampled;
  return Math.round(OBJECT_OVERHEAD + key.length + perElement * count);
}

function memoryUsage(client: CommandContext, args: string[]): void {
  let samples = 5;
  for (let i = 3; i < args.length; i += 2) {
    if (args[i].toLowerCase() !== 'samples' || i + 1 >= args.length) return client.reply.error(ERR_SYNTAX);
    const parsed = parseInt64(args[i + 1]);
    if (parsed === null) return client.reply.error(ERR_NOT_INTEGER);
    if (parsed < 0) return client.reply.error(ERR_SYNTAX);
    samples = Number(parsed);
  }
  const value = client.db.get(args[2]);
  if (value === undefined) return client.reply.nullBulk();
  client.reply.integer(estimateMemory(args[2], value, samples));
}

// --- table -------------------------------------------------------------------------------------

const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;

/** CONFIG RESETSTAT and COMMAND read the table they are registered in. */
export function serverCommands(table: CommandTable): CommandSpec[] {
  return [
    command('info', -1, ['loading', 'stale'], info),
    command('time', 1, ['loading', 'stale', 'fast'], time),
    command('lastsave', 1, ['loading', 'stale', 'fast'], (client) => client.reply.integer(client.server.lastSaveTime)),
    command('role', 1, ['noscript', 'loading', 'stale', 'fast'], (client) => writeRole(client.server, client.reply)),
    command('config', -2, [], () => {}, undefined, {
      subcommands: {
        get: command('config|get', -3, ADMIN, configGet),
        set: command('config|set', -4, ADMIN, configSet),
        resetstat: command('config|resetstat', 2, ADMIN, (client) => {
          resetStats(client.server.stats, table);
          client.reply.ok();
        }),
        rewrite: command('config|rewrite', 2, ADMIN, configRewrite),
        help: command('config|help', 2, ['loading', 'stale'], (client, args) => replyHelp(client, args, CONFIG_HELP)),
      },
    }),
    command('command', -1, ['loading', 'stale'], (client) => commandAll(table, client), undefined, {
      subcommands: {
        count: command('command|count', 2, ['loading', 'stale'], (client) => client.reply.integer(table.size)),
        list: command('command|list', -2, ['loading', 'stale'], (client, args) => commandList(table, client, args)),
        info: command('command|info', -2, ['loading', 'stale'], (client, args) => commandInfo(table, client, args)),
        docs: command('command|docs', -2, ['loading', 'stale'], (client, args) => commandDocs(table, client, args)),
        getkeys: command('command|getkeys', -4, ['loading', 'stale'], (client, args) => commandGetKeys(table, client, args.slice(2))),
        getkeysandflags: command('command|getkeysandflags', -4, ['loading', 'stale'], (client, args) => commandGetKeys(table, client, args.slice(2), true)),
        help: command('command|help', 2, ['loading', 'stale'], (client, args) => replyHelp(client, args, COMMAND_HELP)),
      },
    }),
    command('shutdown', -1, [...ADMIN, 'nomulti'], shutdown),
    command('debug', -2, ADMIN, debug),
    command('memory', -2, [], () => {}, undefined, {
      subcommands: {
        usage: command('memory|usage', -3, ['readonly'], memoryUsage, [2, 2, 1]),
        purge: command('memory|purge', 2, [], (client) => client.reply.ok()),
        help: command('memory|help', 2, ['loading', 'stale'], (client, args) => replyHelp(client, args, MEMORY_HELP)),
      },
    }),
  ];
}
