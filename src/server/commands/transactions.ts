// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
// Queued commands are checked for arity and existence when queued; any rejection makes EXEC
// answer EXECABORT, and a changed watched key makes it answer a null array, as in Redis.

import type { CommandContext } from '../context';
import { command, type CommandSpec, type CommandTable, type CompiledCommand } from './table';
import {
  ERR_DISCARD_WITHOUT_MULTI,
  ERR_EXEC_ABORT,
  ERR_EXEC_WITHOUT_MULTI,
  ERR_MULTI_NESTED,
  ERR_WATCH_IN_MULTI,
} from '../errors';
import { call } from './call';

const ERR_EXEC_READONLY = 'ERR Transaction contains write commands but instance is now a read-only replica. EXEC aborted.';

function multi(client: CommandContext): void {
  if (client.multi) return client.reply.error(ERR_MULTI_NESTED);
  client.multi = [];
  client.multiError = false;
  client.reply.ok();
}

function discard(client: CommandContext): void {
  if (!client.multi) return client.reply.error(ERR_DISCARD_WITHOUT_MULTI);
  client.multi = null;
  client.multiError = false;
  client.server.unwatchAll(client);
  client.reply.ok();
}

function exec(table: CommandTable, client: CommandContext): void {
  const server = client.server;
  const queued = client.multi;
  if (!queued) return client.reply.error(ERR_EXEC_WITHOUT_MULTI);
  client.multi = null;
  if (client.multiError) {
    client.multiError = false;
    server.unwatchAll(client);
    return client.reply.error(ERR_EXEC_ABORT);
  }
  if (client.watchDirty || watchedKeyExpired(client)) {
    server.unwatchAll(client);
    return client.reply.nullArray();
  }
  server.unwatchAll(client);
  // A replica that became read-only after queueing refuses the whole transaction.
  const resolved: Array<{ cmd: CompiledCommand; args: string[] }> = [];
  for (const { args } of queued) {
    const name = args[0].toLowerCase();
    let cmd = table.get(name) as CompiledCommand;
    if (cmd.subcommands && args.length >= 2) cmd = cmd.subcommands[args[1].toLowerCase()] as CompiledCommand;
    resolved.push({ cmd, args });
  }
  if (!client.isMasterLink && server.replication.isReplica() && server.config.getBool('replica-read-only') && resolved.some((r) => r.cmd.isWrite)) {
    return client.reply.error(ERR_EXEC_READONLY);
  }
  client.reply.arrayHeader(resolved.length);
  client.executingMulti = true;
  // Errors of the queued commands count against those commands, not against EXEC (Redis 7.0).
  const errorsBefore = client.reply.errors;
  try {
    for (const { cmd, args } of resolved) {
      // Rules may have changed since the command was queued: Redis checks again before running it.
      const denied = client.isMasterLink ? null : server.acl.recheckQueued(client, cmd, args);
      if (denied !== null) client.reply.error(denied);
      else call(client, cmd, args);
    }
  } finally {
    client.executingMulti = false;
    client.reply.errors = errorsBefore;
  }
}

/** Redis 7.0 fails EXEC when a watched key expired after WATCH (it existed then, is gone now). */
function watchedKeyExpired(client: CommandContext): boolean {
  for (const id of client.watched) {
    // A key already expired when watched fails nothing by staying expired (Redis's isWatchedKeyExpired).
    if (client.watchedStale?.has(id)) continue;
    const separator = id.indexOf('\0');
    const db = client.server.dbs[Number(id.slice(0, separator))];
    if (db.isExpired(id.slice(separator + 1))) return true;
  }
  return false;
}

function watch(client: CommandContext, args: string[]): void {
  if (client.multi) return client.reply.error(ERR_WATCH_IN_MULTI);
  for (let i = 1; i < args.length; i++) client.server.watch(client, args[i]);
  client.reply.ok();
}

function unwatch(client: CommandContext): void {
  client.server.unwatchAll(client);
  client.reply.ok();
}

/** EXEC runs its queued commands from the table it is registered in. */
export function transactionCommands(table: CommandTable): CommandSpec[] {
  return [
    command('multi', 1, ['noscript', 'loading', 'stale', 'fast'], multi),
    command('exec', 1, ['noscript', 'loading', 'stale'], (client) => exec(table, client)),
    command('discard', 1, ['noscript', 'loading', 'stale', 'fast'], discard),
    command('watch', -2, ['noscript', 'loading', 'stale', 'fast'], watch, [1, -1, 1]),
    command('unwatch', 1, ['noscript', 'loading', 'stale', 'fast'], unwatch),
  ];
}
