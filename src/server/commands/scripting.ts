// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: the handlers parse and answer; the script cache
// and the Lua runs are in ../scripting.

import type { CommandContext } from '../context';
import type { Scripting } from '../scripting';
import { command, type CommandSpec } from './table';

const ERR_FLUSH_OPTION = 'ERR SCRIPT FLUSH only support SYNC|ASYNC option';

const SCRIPT_HELP = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'HELP',
  '    Prints this help.',
];

function scriptFlush(scripting: Scripting, client: CommandContext, args: string[]): void {
  if (args.length === 3 && !['sync', 'async'].includes(args[2].toLowerCase())) return client.reply.error(ERR_FLUSH_OPTION);
  if (args.length > 3) return client.reply.error(ERR_FLUSH_OPTION);
  scripting.evalScripts.flush();
  client.reply.ok();
}

function scriptExists(scripting: Scripting, client: CommandContext, args: string[]): void {
  client.reply.arrayHeader(args.length - 2);
  for (let i = 2; i < args.length; i++) client.reply.integer(scripting.evalScripts.has(args[i]) ? 1 : 0);
}

function scriptLoad(scripting: Scripting, client: CommandContext, args: string[]): void {
  const created = scripting.evalScripts.create(args[2]);
  if ('error' in created) return client.reply.error(created.error);
  client.reply.bulk(created.sha);
}

const SCRIPTING = ['@scripting'];

export function scriptingCommands(scripting: Scripting): CommandSpec[] {
  const evalHandler = (bySha: boolean, readOnly: boolean) => (client: CommandContext, args: string[]) => scripting.evalScripts.eval(client, args, { bySha, readOnly });
  const sub = (name: string, arity: number, flags: CommandSpec['flags'], handler: CommandSpec['handler']) => command(`script|${name}`, arity, flags, handler, undefined, { categories: ['@slow', ...SCRIPTING] });
  return [
    command('eval', -3, ['noscript', 'stale'], evalHandler(false, false), undefined, { categories: ['@slow', ...SCRIPTING] }),
    command('evalsha', -3, ['noscript', 'stale'], evalHandler(true, false), undefined, { categories: ['@slow', ...SCRIPTING] }),
    command('eval_ro', -3, ['noscript', 'stale', 'readonly'], evalHandler(false, true), undefined, { categories: ['@slow', ...SCRIPTING] }),
    command('evalsha_ro', -3, ['noscript', 'stale', 'readonly'], evalHandler(true, true), undefined, { categories: ['@slow', ...SCRIPTING] }),
    command('script', -2, [], () => {}, undefined, {
      subcommands: {
        exists: sub('exists', -3, ['noscript'], (client, args) => scriptExists(scripting, client, args)),
        flush: sub('flush', -2, ['noscript'], (client, args) => scriptFlush(scripting, client, args)),
        kill: sub('kill', 2, ['noscript', 'allowbusy'], (client) => scripting.kill(client, 'eval')),
        load: sub('load', 3, ['noscript', 'stale'], (client, args) => scriptLoad(scripting, client, args)),
        help: sub('help', 2, ['loading', 'stale'], (client) => {
          client.reply.arrayHeader(SCRIPT_HELP.length);
          for (const line of SCRIPT_HELP) client.reply.simple(line);
        }),
      },
    }),
  ];
}
