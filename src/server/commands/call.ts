// Runs a command that passed every check: the dispatcher calls it for one command, EXEC for each
// queued one, as Redis's call() serves both.

import type { CommandContext } from '../context';
import type { CompiledCommand } from './table';
import { recordCommand } from '../diagnostics/command-log';
import { commandKeys } from '../command-docs';

const SCRIPT_READONLY_COMMANDS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/** Per client, the error replies already counted against a command's failed_calls. */
const attributedErrors = new WeakMap<CommandContext, number>();

/**
 * Runs the handler, counts it for INFO commandstats, then propagates it to replicas and the AOF
 * when it changed the dataset (server.dirty moved).
 */
export function call(client: CommandContext, cmd: CompiledCommand, args: string[]): void {
  const server = client.server;
  const dirtyBefore = server.dirty;
  const errorsBefore = client.reply.errors;
  const dbBefore = client.dbIndex;
  const started = performance.now();
  server.propagation.begin();
  if (cmd.touchesArbitraryKeys) server.propagation.touchesArbitraryKeys();
  // A script's reads are tracked for the client that ran the script (Redis's script_caller).
  const tracked = client.scriptCaller ?? client;
  server.tracking.beginCommand(tracked);
  const outermost = server.commandTimeMs === null;
  if (outermost) server.commandTimeMs = server.clock.now();
  if (cmd.isWrite) {
    const db = client.db;
    // Copy-on-write for open snapshots: any argument may be a key the handler changes in place.
    if (db.hasSnapshots) for (let i = 1; i < args.length; i++) db.beforeWrite(args[i]);
  }
  try {
    cmd.handler(client, args);
  } finally {
    if (outermost) server.commandTimeMs = null;
  }
  cmd.calls++;
  const durationUsec = Math.round((performance.now() - started) * 1000);
  cmd.usec += durationUsec;
  server.stats.commandsProcessed++;
  // An error belongs to the innermost command that wrote it: EXEC fails only for its own errors
  // (EXECABORT), not for those of the commands it ran, as Redis 7.0 attributes them.
  if (client.reply.errors > Math.max(errorsBefore, attributedErrors.get(client) ?? 0)) cmd.failedCalls++;
  attributedErrors.set(client, client.reply.errors);
  if (cmd.isWrite && server.dirty !== dirtyBefore) server.propagation.addDefault(dbBefore, args);
  server.propagation.end();
  // Keys read by a read-only command are remembered for a tracking client (shard channels are not
  // keys). Inside a script, Redis 7.0 remembers the script's declared keys for its caller instead;
  // the read-only script commands themselves remember nothing.
  const readKeys = !cmd.isReadonly || SCRIPT_READONLY_COMMANDS.has(cmd.name) ? null : client.scriptCaller ? () => client.scriptKeys ?? [] : () => commandKeys(cmd, args);
  server.tracking.endCommand(tracked, readKeys, tracked.multi !== null || cmd.name.startsWith('client'));
  recordCommand(client, cmd, args, durationUsec);
}
