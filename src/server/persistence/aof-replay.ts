// Replays the commands of one AOF file into the dataset at start, as Redis's loadSingleAppendOnlyFile:
// commands run on a fake client without the checks of a normal call (no LOADING, no read-only),
// MULTI blocks are queued until their EXEC, and a tail that ends mid-command (or an unfinished
// MULTI) is cut off when aof-load-truncated allows it. Anything else stops the start: a node that
// started with a partial dataset would, as a master, wipe its replicas.

import { ftruncateSync, fsyncSync, openSync, closeSync, readFileSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Server } from '../server';
import { Client } from '../client';
import type { CompiledCommand } from '../commands/table';
import { readAofCommands } from './aof-reader';

export class AofLoadError extends Error {}

/** Clients connecting meanwhile get -LOADING; this bounds how long they wait for that answer. */
const YIELD_EVERY_MS = 50;

const LOG_REVERT_MULTI = (name: string) => `Revert incomplete MULTI/EXEC transaction in AOF file ${name}`;
const LOG_SHORT_READ = (name: string) => `!!! Warning: short read while loading the AOF file ${name}!!!`;
const LOG_TRUNCATING = (name: string, offset: number) => `!!! Truncating the AOF ${name} at offset ${offset} !!!`;
const LOG_LOADED_ANYWAY = (name: string) => `AOF ${name} loaded anyway because aof-load-truncated is enabled`;
const ERR_UNEXPECTED_EOF = (name: string) =>
  `Unexpected end of file reading the append only file ${name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`;
const ERR_TRUNCATED_NOT_LAST = 'Fatal error: the truncated file is not the last file';
const ERR_BAD_FORMAT = (name: string) => `Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`;
const ERR_UNKNOWN_COMMAND = (command: string, name: string) => `Unknown command '${command}' reading the append only file ${name}`;

/** Where the problem is, for the operator: the full path and the byte offset. */
function where(path: string, offset: number, detail?: string): string {
  return ` (file ${path}, byte offset ${offset}${detail ? `: ${detail}` : ''})`;
}

function resolveCommand(server: Server, args: string[]): CompiledCommand | null {
  const cmd = server.commands.get(args[0].toLowerCase()) as CompiledCommand | undefined;
  if (!cmd) return null;
  if (cmd.subcommands && args.length >= 2) return (cmd.subcommands[args[1].toLowerCase()] as CompiledCommand | undefined) ?? null;
  return cmd;
}

function arityMatches(cmd: CompiledCommand, argc: number): boolean {
  return cmd.arity > 0 ? argc === cmd.arity : argc >= -cmd.arity;
}

/** Loads the commands of `path` (shown as `name` in Redis's log lines). Throws AofLoadError. */
export async function replayAofFile(server: Server, path: string, name: string, isLastFile: boolean): Promise<void> {
  const data = readFileSync(path);
  const client = new Client(server, null, server.allocateClientId());
  client.authenticated = true;
  client.isMasterLink = true;
  client.reply.muted = true;
  let validUpTo = 0;
  let validBeforeMulti = 0;
  let sliceStart = performance.now();
  server.propagation.suppressed = true;
  let outcome;
  try {
    outcome = await readAofCommands(data, (args, end) => {
      const cmd = resolveCommand(server, args);
      if (!cmd) throw new AofLoadError(ERR_UNKNOWN_COMMAND(args[0], name) + where(path, validUpTo));
      if (!arityMatches(cmd, args.length)) throw new AofLoadError(ERR_BAD_FORMAT(name) + where(path, validUpTo, `wrong number of arguments for '${args[0]}'`));
      const lowerName = args[0].toLowerCase();
      if (lowerName === 'multi') validBeforeMulti = validUpTo;
      if (client.multi && lowerName !== 'exec') {
        client.multi.push({ args });
      } else {
        // Like Redis, the command's own code runs directly: no stats, no LOADING or read-only checks.
        server.propagation.begin();
        try {
          cmd.handler(client, args);
        } finally {
          server.propagation.end();
        }
      }
      client.reply.take();
      validUpTo = end;
      if (performance.now() - sliceStart >= YIELD_EVERY_MS) {
        return yieldToEventLoop().then(() => {
          sliceStart = performance.now();
        });
      }
    });
  } finally {
    server.propagation.suppressed = false;
  }

  if (outcome.kind === 'format') throw new AofLoadError(ERR_BAD_FORMAT(name) + where(path, outcome.offset, outcome.reason));
  let cutAt: number | null = null;
  if (outcome.kind === 'truncated') {
    cutAt = outcome.validUpTo;
  } else if (client.multi) {
    // A MULTI without its EXEC never happened: Redis handles it as a short read.
    server.logger.warning(LOG_REVERT_MULTI(name));
    client.multi = null;
    cutAt = validBeforeMulti;
  }
  if (cutAt === null) return;
  if (!server.config.getBool('aof-load-truncated')) throw new AofLoadError(ERR_UNEXPECTED_EOF(name) + where(path, cutAt, 'the last complete command ends there'));
  server.logger.warning(LOG_SHORT_READ(name));
  // Only the last file can have been cut by a crash; an earlier one is damaged and stays as it is.
  if (!isLastFile) throw new AofLoadError(ERR_TRUNCATED_NOT_LAST + where(path, cutAt));
  server.logger.warning(LOG_TRUNCATING(name, cutAt));
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, cutAt);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  server.logger.warning(LOG_LOADED_ANYWAY(name));
}
