// Runs one command for a client, checking it in the order Redis 7.0's processCommand does:
// lookup and arity, authentication, memory, persistence errors, read-only replica, pub/sub
// context, stale data, loading, then MULTI queueing, then the call itself with propagation.

import type { CommandContext, ReplicationControl, ServerContext } from './context';
import type { CommandTable, CompiledCommand } from './commands/table';
import type { PausableClient } from './pause';
import type { Acl } from './acl/acl';
import { call } from './commands/call';
import {
  ERR_NOAUTH,
  ERR_READONLY,
  ERR_PUBSUB_CONTEXT,
  ERR_LOADING,
  errUnknownCommand,
  errUnknownSubcommand,
  errWrongArity,
  ERR_OOM,
} from './errors';
import { refusedForMemory } from './memory/oom-gate';

/**
 * A client as the dispatcher reads it: a handler's context, plus the name shown by CLIENT LIST and
 * what the checks before a command consult (the table, persistence errors, the replicas' state).
 */
export interface DispatchedClient extends CommandContext, PausableClient {
  multi: CommandContext['multi'];
  lastCommand: string;
  readonly server: ServerContext & {
    readonly commands: CommandTable;
    persistenceWriteError(): string | null;
    /** -BUSY while a script runs past busy-reply-threshold, else null. */
    busyScriptError(): string | null;
    readonly acl: Acl;
    readonly replication: ReplicationControl & { linkUp(): boolean; enoughGoodReplicas(): boolean };
  };
}

/** Commands Redis 7.0 flags ALLOW_BUSY outside scripting's own KILL/STATS subcommands. */
const BUSY_ALLOWED = new Set(['auth', 'hello', 'multi', 'discard', 'watch', 'unwatch', 'quit', 'reset', 'replconf', 'shutdown']);

/** Commands that run immediately even inside MULTI. */
const MULTI_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

const ERR_MASTERDOWN =
  "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
const ERR_NOREPLICAS = 'NOREPLICAS Not enough good replicas to write.';
const ERR_NOT_IN_MULTI = 'ERR Command not allowed inside a transaction';

/** Resolves a command and, for containers like CONFIG, its subcommand. Replies with the error when not found. */
function resolve(client: DispatchedClient, args: string[], name: string): CompiledCommand | null {
  const cmd = client.server.commands.get(name);
  if (!cmd) {
    client.reply.error(errUnknownCommand(args[0], args.slice(1)));
    return null;
  }
  if (cmd.subcommands && args.length >= 2) {
    const sub = cmd.subcommands[args[1].toLowerCase()] as CompiledCommand | undefined;
    if (!sub) {
      client.reply.error(errUnknownSubcommand(args[1], name));
      return null;
    }
    if ((sub.arity > 0 && args.length !== sub.arity) || args.length < -sub.arity) {
      // A known command refused for its arity counts in its rejected_calls, as in Redis 7.0.
      sub.rejectedCalls++;
      client.reply.error(errWrongArity(`${name}|${args[1].toLowerCase()}`));
      return null;
    }
    return sub;
  }
  if ((cmd.arity > 0 && args.length !== cmd.arity) || args.length < -cmd.arity) {
    cmd.rejectedCalls++;
    client.reply.error(errWrongArity(name));
    return null;
  }
  return cmd;
}

/** What dispatch did with a command: ran it (or refused it), or held it for CLIENT PAUSE. */
export type DispatchOutcome = 'done' | 'held';

/** Rejects a command: inside MULTI the transaction is then aborted at EXEC (EXECABORT). */
function reject(client: DispatchedClient, cmd: CompiledCommand | null, error: string): DispatchOutcome {
  // A refused EXEC ends the transaction with EXECABORT naming why, as Redis's rejectCommand does.
  if (cmd?.name === 'exec') return rejectExec(client, cmd, error);
  if (client.multi) client.multiError = true;
  if (cmd) cmd.rejectedCalls++;
  client.server.stats.rejectedCalls++;
  client.reply.error(error);
  return 'done';
}

function rejectExec(client: DispatchedClient, cmd: CompiledCommand, error: string): DispatchOutcome {
  client.multi = null;
  client.multiError = false;
  client.server.unwatchAll(client);
  cmd.rejectedCalls++;
  client.server.stats.rejectedCalls++;
  client.reply.error(`EXECABORT Transaction discarded because of: ${error}`);
  return 'done';
}

export function dispatch(client: DispatchedClient, args: string[]): DispatchOutcome {
  if (client.replyMode !== 'skip') return dispatchCommand(client, args);
  // CLIENT REPLY SKIP: this command runs with its reply muted, then replies come back on.
  client.reply.muted = true;
  client.replyMode = 'on';
  let outcome: DispatchOutcome = 'done';
  try {
    outcome = dispatchCommand(client, args);
  } finally {
    if (client.replyMode === 'on') client.reply.muted = false;
    // A held command has not run yet: it still owes its skipped reply.
    if (outcome === 'held') client.replyMode = 'skip';
  }
  return outcome;
}

function dispatchCommand(client: DispatchedClient, args: string[]): DispatchOutcome {
  const server = client.server;
  const lowerName = args[0].toLowerCase();
  client.lastCommand = lowerName;

  if (lowerName === 'quit') {
    // QUIT is answered before anything else, authenticated or not.
    client.reply.ok();
    client.closeAfterReply = true;
    return 'done';
  }

  const cmd = resolve(client, args, lowerName);
  if (!cmd) {
    if (client.multi) client.multiError = true;
    server.stats.rejectedCalls++;
    return 'done';
  }

  if (!client.authenticated && !cmd.allowNoAuth) return reject(client, cmd, ERR_NOAUTH);

  // Right after authentication, as in Redis's processCommand: before ACL, OOM, replica and pause checks.
  if (client.multi && cmd.flags.includes('nomulti')) return reject(client, cmd, ERR_NOT_IN_MULTI);

  // The master link (and the AOF replay) has no user: it may run anything, as in Redis.
  if (!client.isMasterLink) {
    const denied = server.acl.check(client, cmd, args, client.multi ? 'multi' : 'toplevel');
    if (denied !== null) {
      return reject(client, cmd, denied);
    }
  }
  if (refusedForMemory(client, cmd, lowerName)) return reject(client, cmd, ERR_OOM);

  const isWrite = cmd.isWrite || (lowerName === 'exec' && client.multi !== null && queuedHasWrite(client));
  const replication = server.replication;

  // Before every command that got this far, queued in MULTI too, as Redis's processCommand does.
  if (server.tracking.clientCount > 0) server.tracking.limit(server.config.getInt('tracking-table-max-keys'));

  if (isWrite && !client.isMasterLink) {
    const misconf = server.persistenceWriteError();
    if (misconf !== null) return reject(client, cmd, misconf);
  }

  if (isWrite && !client.isMasterLink && !replication.isReplica() && !replication.enoughGoodReplicas()) {
    return reject(client, cmd, ERR_NOREPLICAS);
  }

  if (isWrite && !client.isMasterLink && replication.isReplica() && server.config.getBool('replica-read-only')) {
    return reject(client, cmd, ERR_READONLY);
  }

  const fullName = cmd.name.includes('|') || !cmd.subcommands ? cmd.name : lowerName;
  client.lastCommand = fullName;

  if (client.inPubSub && client.reply.resp === 2 && !cmd.allowInPubSub) {
    return reject(client, cmd, ERR_PUBSUB_CONTEXT(fullName));
  }

  // EXEC is as stale as the least stale-safe command it would run (Redis's cmd_inv_flags).
  const denyStale = !cmd.allowStale || (lowerName === 'exec' && client.multi !== null && queuedLacksStale(client));
  if (denyStale && replication.isReplica() && !replication.linkUp() && !server.config.getBool('replica-serve-stale-data')) {
    return reject(client, cmd, ERR_MASTERDOWN);
  }

  if (server.loading && !cmd.allowLoading) return reject(client, cmd, ERR_LOADING);

  // Only a few commands run while a script is busy; the rest get -BUSY (Redis's CMD_ALLOW_BUSY).
  if (!cmd.flags.includes('allowbusy') && !BUSY_ALLOWED.has(lowerName)) {
    const busy = server.busyScriptError();
    if (busy !== null) return reject(client, cmd, busy);
  }

  // Last, as in Redis's processCommand: a command refused above (NOREPLICAS, READONLY, LOADING...)
  // is refused at once even while writes are paused; only one that would run waits.
  if (server.pause.shouldHold(client, args)) return 'held';

  if (client.multi && !MULTI_CONTROL.has(lowerName)) {
    client.multi.push({ args });
    client.reply.simple('QUEUED');
    return 'done';
  }

  call(client, cmd, args);
  // Keys this command (or EXEC as a whole) made ready serve their waiters now, as in 7.0's processCommand.
  server.blocking.serveReady();
  return 'done';
}

function queuedLacksStale(client: DispatchedClient): boolean {
  for (const queued of client.multi ?? []) {
    const cmd = client.server.commands.get(queued.args[0].toLowerCase());
    if (cmd && !cmd.allowStale) return true;
  }
  return false;
}

function queuedHasWrite(client: DispatchedClient): boolean {
  for (const queued of client.multi ?? []) {
    const cmd = client.server.commands.get(queued.args[0].toLowerCase());
    if (cmd?.isWrite) return true;
  }
  return false;
}
