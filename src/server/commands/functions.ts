// FUNCTION (LOAD, DELETE, FLUSH, LIST, STATS, KILL, DUMP, RESTORE, HELP), FCALL and FCALL_RO.
// The libraries live in ../scripting/functions.ts; these handlers parse, answer and mark the
// dataset dirty so that FUNCTION LOAD/DELETE/FLUSH/RESTORE propagate as the write commands they are.

import type { CommandContext } from '../context';
import type { Scripting } from '../scripting';
import { createFunctionsPayload, parseFunctionsPayload } from '../rdb/functions-payload';
import { globMatch } from '../glob';
import { flagNames } from '../scripting/shebang';
import { command, type CommandSpec } from './table';
import { replySubcommandSyntaxError } from '../command-docs';

const FUNCTION_HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
  'HELP',
  '    Prints this help.',
];

function load(scripting: Scripting, client: CommandContext, args: string[]): void {
  let replace = false;
  let i = 2;
  for (; i < args.length - 1; i++) {
    if (args[i].toLowerCase() === 'replace') replace = true;
    else return client.reply.error(`ERR Unknown option given: ${args[i]}`);
  }
  if (i >= args.length) return client.reply.error('ERR Function code is missing');
  const loaded = scripting.functions.load(args[i], replace);
  if ('error' in loaded) return client.reply.error(loaded.error);
  client.server.dirty++;
  client.reply.bulk(loaded.name);
}

function deleteLibrary(scripting: Scripting, client: CommandContext, args: string[]): void {
  if (!scripting.functions.delete(args[2])) return client.reply.error('ERR Library not found');
  client.server.dirty++;
  client.reply.ok();
}

function flush(scripting: Scripting, client: CommandContext, args: string[]): void {
  if (args.length > 3) return replySubcommandSyntaxError(client, args);
  if (args.length === 3 && !['sync', 'async'].includes(args[2].toLowerCase())) return client.reply.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
  scripting.functions.flush();
  client.server.dirty++;
  client.reply.ok();
}

function list(scripting: Scripting, client: CommandContext, args: string[]): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < args.length; i++) {
    const arg = args[i].toLowerCase();
    if (!withCode && arg === 'withcode') {
      withCode = true;
      continue;
    }
    if (pattern === null && arg === 'libraryname') {
      if (i >= args.length - 1) return client.reply.error('ERR library name argument was not given');
      pattern = args[++i];
      continue;
    }
    return client.reply.error(`ERR Unknown argument ${args[i]}`);
  }
  const reply = client.reply;
  const libraries = [...scripting.functions.libraries.values()].filter((library) => pattern === null || globMatch(pattern, library.name, false));
  reply.arrayHeader(libraries.length);
  for (const library of libraries) {
    reply.mapHeader(withCode ? 4 : 3);
    reply.bulk('library_name');
    reply.bulk(library.name);
    reply.bulk('engine');
    reply.bulk(library.engine);
    reply.bulk('functions');
    reply.arrayHeader(library.functions.size);
    for (const fn of library.functions.values()) {
      reply.mapHeader(3);
      reply.bulk('name');
      reply.bulk(fn.name);
      reply.bulk('description');
      reply.bulkOrNull(fn.description);
      reply.bulk('flags');
      const names = flagNames(fn.flags);
      reply.setHeader(names.length);
      for (const name of names) reply.simple(name);
    }
    if (withCode) {
      reply.bulk('library_code');
      reply.bulk(library.code);
    }
  }
}

function stats(scripting: Scripting, client: CommandContext): void {
  const reply = client.reply;
  reply.mapHeader(2);
  reply.bulk('running_script');
  const running = scripting.runningScript();
  if (running === null) {
    reply.nullBulk();
  } else {
    reply.mapHeader(3);
    reply.bulk('name');
    reply.bulk(running.name);
    reply.bulk('command');
    reply.bulkArray(running.args);
    reply.bulk('duration_ms');
    reply.integer(running.durationMs);
  }
  reply.bulk('engines');
  reply.mapHeader(1);
  reply.bulk('LUA');
  reply.mapHeader(2);
  reply.bulk('libraries_count');
  reply.integer(scripting.functions.libraries.size);
  reply.bulk('functions_count');
  reply.integer(scripting.functions.functions.size);
}

function dump(scripting: Scripting, client: CommandContext): void {
  const codes = [...scripting.functions.libraries.values()].map((library) => library.code);
  client.reply.bulk(createFunctionsPayload(codes, client.server.config.getBool('rdbcompression')).toString('latin1'));
}

function restore(scripting: Scripting, client: CommandContext, args: string[]): void {
  let policy = 'append';
  if (args.length > 4) return replySubcommandSyntaxError(client, args);
  if (args.length > 3) {
    policy = args[3].toLowerCase();
    if (!['flush', 'append', 'replace'].includes(policy)) {
      return client.reply.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
    }
  }
  const parsed = parseFunctionsPayload(Buffer.from(args[2], 'latin1'));
  if ('error' in parsed) return client.reply.error(parsed.error);
  const functions = scripting.functions;
  const error = functions.restore(parsed.codes, policy as 'flush' | 'append' | 'replace');
  if (error !== null) return client.reply.error(error);
  client.server.dirty++;
  client.reply.ok();
}

const SCRIPTING = ['@slow', '@scripting'];

export function functionCommands(scripting: Scripting): CommandSpec[] {
  const sub = (name: string, arity: number, flags: CommandSpec['flags'], handler: CommandSpec['handler']) =>
    command(`function|${name}`, arity, flags, handler, undefined, { categories: [...(flags.includes('write') ? ['@write'] : []), ...SCRIPTING] });
  return [
    command('fcall', -3, ['noscript', 'stale'], (client, args) => scripting.functions.call(client, args, false), undefined, { categories: SCRIPTING }),
    command('fcall_ro', -3, ['noscript', 'stale', 'readonly'], (client, args) => scripting.functions.call(client, args, true), undefined, { categories: SCRIPTING }),
    command('function', -2, [], () => {}, undefined, {
      subcommands: {
        load: sub('load', -3, ['noscript', 'write', 'denyoom'], (client, args) => load(scripting, client, args)),
        delete: sub('delete', 3, ['noscript', 'write'], (client, args) => deleteLibrary(scripting, client, args)),
        flush: sub('flush', -2, ['noscript', 'write'], (client, args) => flush(scripting, client, args)),
        list: sub('list', -2, ['noscript'], (client, args) => list(scripting, client, args)),
        stats: sub('stats', 2, ['noscript', 'allowbusy'], (client) => stats(scripting, client)),
        kill: sub('kill', 2, ['noscript', 'allowbusy'], (client) => scripting.kill(client, 'function')),
        dump: sub('dump', 2, ['noscript'], (client) => dump(scripting, client)),
        restore: sub('restore', -3, ['noscript', 'write', 'denyoom'], (client, args) => restore(scripting, client, args)),
        help: sub('help', 2, ['loading', 'stale'], (client) => {
          client.reply.arrayHeader(FUNCTION_HELP.length);
          for (const line of FUNCTION_HELP) client.reply.simple(line);
        }),
      },
    }),
  ];
}
