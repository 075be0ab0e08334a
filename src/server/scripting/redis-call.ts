// redis.call and redis.pcall: a command from a script, checked as Redis 7.0's scriptCall checks it
// (existence and arity, noscript, writes from read-only scripts or on a read-only replica, disk
// errors, min-replicas, stale data), then run through the same call() as a client's command, on
// the script's own client, so stats, keyspace events and propagation behave as for any command.

import type { CommandContext } from '../context';
import type { CommandTable, CompiledCommand } from '../commands/table';
import { call } from '../commands/call';
import { ERR_OOM, ERR_READONLY } from '../errors';
import { formatG } from '../resp/numbers';
import type { ScriptClient } from './script-client';
import type { ScriptFlags } from './shebang';

export const ERR_NO_ARGS = 'Please specify at least one argument for this redis lib call';
export const ERR_BAD_ARG_TYPE = 'Lua redis lib command arguments must be strings or integers';
const ERR_UNKNOWN_COMMAND = 'Unknown Redis command called from script';
const ERR_WRONG_ARITY = 'Wrong number of args calling Redis command from script';
const ERR_NOT_FROM_SCRIPT = 'This Redis command is not allowed from script';
const ERR_WRITE_FROM_READONLY = 'Write commands are not allowed from read-only scripts.';
const ERR_STALE = 'Can not execute the command on a stale replica';
const ERR_NOREPLICAS = '-NOREPLICAS Not enough good replicas to write.';

/** What a script run knows while it executes; the engine owns it. */
export interface ScriptRun {
  readonly caller: CommandContext;
  /** The keys the script declared (KEYS / the keys argument). */
  readonly keys: readonly string[];
  readonly mode: 'eval' | 'function';
  /** The sha for EVAL, the function's name for FCALL: errors and logs name it. */
  readonly name: string;
  readonly flags: ScriptFlags;
  /** EVAL_RO / FCALL_RO, or a no-writes script. */
  readonly readOnly: boolean;
  /** A write command ran (SCRIPT KILL then refuses: the dataset changed). */
  wroteDirty: boolean;
  resp: 2 | 3;
  dbIndex: number;
  /** redis.set_repl(): REPL_NONE keeps the script's effects off replicas and the AOF. */
  propagate: boolean;
}

/** The checks and state redis.call needs from the node. */
export interface ScriptCallHost {
  readonly commands: CommandTable;
  readonly dirty: number;
  readonly context: { readonly disableDenyScripts: boolean };
  persistenceWriteError(): string | null;
  readonly replication: { isReplica(): boolean; linkUp(): boolean; enoughGoodReplicas(): boolean };
  readonly config: { getBool(name: string): boolean };
  readonly propagation: { readonly pendingCount: number; truncatePending(count: number): void };
  /** maxmemory was exceeded and could not be freed before the script's command (pre_command_oom_state). */
  outOfMemory(): boolean;
  readonly acl: { checkForScript(client: CommandContext, cmd: CompiledCommand, args: string[], log: boolean): 'command' | 'key' | 'channel' | null };
}

/** scriptVerifyACL's messages, per kind of denial. */
const ACL_DENIALS = {
  command: "The user executing the script can't run this command or subcommand",
  key: "The user executing the script can't access at least one of the keys mentioned in the command arguments",
  channel: "The user executing the script can't publish to the channel mentioned in the command",
} as const;

/** The command an argv names (a container's subcommand included), or null when the node has none. */
export function lookup(commands: CommandTable, args: string[]): CompiledCommand | null {
  const cmd = commands.get(args[0].toLowerCase());
  if (!cmd) return null;
  if (cmd.subcommands && args.length >= 2) return (cmd.subcommands[args[1].toLowerCase()] as CompiledCommand | undefined) ?? null;
  return cmd;
}

/**
 * Runs argv for the script. Returns the RESP reply the command wrote, or `{ refused }` with the
 * text of a check that failed (in luaPushError's form: "-CODE msg" or a bare "msg").
 */
export function callFromScript(host: ScriptCallHost, client: ScriptClient, run: ScriptRun, args: string[]): string | { refused: string } {
  const cmd = lookup(host.commands, args);
  if (!cmd) return { refused: ERR_UNKNOWN_COMMAND };
  if ((cmd.arity > 0 && args.length !== cmd.arity) || args.length < -cmd.arity) return { refused: ERR_WRONG_ARITY };
  if (cmd.flags.includes('noscript') && !host.context.disableDenyScripts) return { refused: ERR_NOT_FROM_SCRIPT };
  const denied = host.acl.checkForScript(run.caller, cmd, args, true);
  if (denied !== null) return { refused: ACL_DENIALS[denied] };
  const replication = host.replication;
  if (cmd.isWrite) {
    if (run.readOnly) return { refused: ERR_WRITE_FROM_READONLY };
    if (!run.wroteDirty) {
      if (replication.isReplica() && host.config.getBool('replica-read-only') && !run.caller.isMasterLink) return { refused: '-' + ERR_READONLY };
      const diskError = host.persistenceWriteError();
      if (diskError !== null) return { refused: '-' + diskError };
      if (!replication.isReplica() && !replication.enoughGoodReplicas()) return { refused: ERR_NOREPLICAS };
    }
  }
  // scriptVerifyOOM: a script that has not written yet may not start writing past maxmemory.
  if (cmd.denyOom && !run.flags.allowOom && !run.flags.noWrites && !run.wroteDirty && !run.caller.isMasterLink && host.outOfMemory()) {
    return { refused: '-' + ERR_OOM };
  }
  if (replication.isReplica() && !replication.linkUp() && !host.config.getBool('replica-serve-stale-data') && !cmd.allowStale) {
    return { refused: ERR_STALE };
  }
  client.dbIndex = run.dbIndex;
  client.reply.resp = run.resp;
  client.user = run.caller.user;
  client.scriptCaller = run.caller;
  client.scriptKeys = run.keys;
  const pendingBefore = host.propagation.pendingCount;
  call(client, cmd, args);
  if (!run.propagate) host.propagation.truncatePending(pendingBefore);
  if (cmd.isWrite) run.wroteDirty = true;
  run.dbIndex = client.dbIndex;
  return client.takeReply();
}

/**
 * A float argument of redis.call as Redis 7.0 turns it into the command's string: "%.17g" (so
 * 0.1 + 0.2 is 0.30000000000000004). NaN prints as glibc prints 0/0's: -nan.
 */
export function formatLuaNumber(value: number): string {
  if (Number.isNaN(value)) return '-nan';
  if (!Number.isFinite(value)) return value < 0 ? '-inf' : 'inf';
  return formatG(value, 17);
}

/** luaPushErrorBuff: "-CODE msg" keeps its code, a bare message gets ERR; trailing CR/LF go. */
export function errorTableText(text: string): string {
  let code = 'ERR';
  let message = text;
  if (text.startsWith('-')) {
    const space = text.indexOf(' ');
    if (space === -1) message = text.slice(1);
    else {
      code = text.slice(1, space);
      message = text.slice(space + 1);
    }
  }
  return `${code} ${message.replace(/[\r\n]+$/, '').replace(/^[\r\n]+/, '')}`;
}
