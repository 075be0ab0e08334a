// Persistence commands: SAVE, BGSAVE, BGREWRITEAOF.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { ERR_SYNTAX } from '../errors';

const ERR_BGSAVE_IN_PROGRESS = 'ERR Background save already in progress';
const ERR_AOF_REWRITE_IN_PROGRESS = 'ERR Background append only file rewriting already in progress';
/** Redis replies a bare "-ERR" when SAVE fails; the reason goes to the log. */
const ERR_SAVE_FAILED = 'ERR';

function save(client: CommandContext): void {
  const persistence = client.server.persistence;
  if (persistence.bgsaveInProgress) return client.reply.error(ERR_BGSAVE_IN_PROGRESS);
  try {
    persistence.saveNow();
  } catch {
    return client.reply.error(ERR_SAVE_FAILED);
  }
  client.reply.ok();
}

function bgsave(client: CommandContext, args: string[]): void {
  const persistence = client.server.persistence;
  const schedule = args.length === 2 && args[1].toLowerCase() === 'schedule';
  if (args.length > 2 || (args.length === 2 && !schedule)) return client.reply.error(ERR_SYNTAX);
  if (persistence.bgsaveInProgress) {
    if (schedule) return client.reply.simple('Background saving scheduled');
    return client.reply.error(ERR_BGSAVE_IN_PROGRESS);
  }
  persistence.startBgsave();
  client.reply.simple('Background saving started');
}

function bgrewriteaof(client: CommandContext): void {
  const aof = client.server.persistence.aof;
  if (aof.rewriteInProgress) return client.reply.error(ERR_AOF_REWRITE_IN_PROGRESS);
  // With appendonly no this still writes a fresh base and manifest, as Redis 7.0 does.
  aof.startRewrite();
  client.reply.simple('Background append only file rewriting started');
}

export const persistenceCommands: CommandSpec[] = [
  command('save', 1, ['admin', 'noscript', 'nomulti'], save),
  command('bgsave', -1, ['admin', 'noscript'], bgsave),
  command('bgrewriteaof', 1, ['admin', 'noscript'], bgrewriteaof),
];
