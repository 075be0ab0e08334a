// What runs when a blocked client is served or unblocked from outside (a key became ready, its
// group vanished, CLIENT UNBLOCK ... ERROR): Redis runs that as the tail of the client's own
// command, so what it owes the client itself (a tracking invalidation) follows the reply, and an
// error reply counts as a failed call of the command that blocked (7.0's updateStatsOnUnblock).

import type { CommandContext } from './context';
import type { ClientTracking } from './tracking';
import type { CompiledCommand } from './commands/table';

export interface BlockedServingHost {
  readonly tracking: ClientTracking<CommandContext>;
  readonly commands: { get(name: string): CompiledCommand | undefined };
}

export function runAsBlockedCommand<T>(host: BlockedServingHost, client: CommandContext & { lastCommand: string }, serve: () => T): T {
  const errorsBefore = client.reply.errors;
  host.tracking.beginCommand(client);
  try {
    return serve();
  } finally {
    host.tracking.endCommand(client, null, true);
    if (client.reply.errors > errorsBefore) {
      const cmd = host.commands.get(client.lastCommand);
      if (cmd) cmd.failedCalls++;
    }
  }
}
