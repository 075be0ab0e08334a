// processCommand's maxmemory step (Redis 7.0): every command first lets eviction run when
// maxmemory is set; if memory could not be freed, denyoom commands are refused with OOM. Inside
// MULTI every command but EXEC, DISCARD, QUIT and RESET is refused too, since queueing itself
// takes memory without bound; EXEC is refused when a queued command is denyoom.

import type { CompiledCommand } from '../commands/table';
import type { ServerMemory } from './server-memory';

const MULTI_EXEMPT = new Set(['exec', 'discard', 'quit', 'reset']);

export interface GatedClient {
  readonly isMasterLink: boolean;
  readonly multi: ReadonlyArray<{ args: string[] }> | null;
  readonly server: {
    readonly memory: ServerMemory;
    readonly commands: { get(name: string): CompiledCommand | undefined };
  };
}

function isDenyoom(client: GatedClient, cmd: CompiledCommand, lowerName: string): boolean {
  if (cmd.flags.includes('denyoom')) return true;
  if (lowerName !== 'exec' || !client.multi) return false;
  return client.multi.some((queued) => client.server.commands.get(queued.args[0].toLowerCase())?.flags.includes('denyoom') ?? false);
}

/** True when the command must be refused with OOM; evicts first, as Redis does for every command. */
export function refusedForMemory(client: GatedClient, cmd: CompiledCommand, lowerName: string): boolean {
  const server = client.server;
  if (server.memory.maxmemory === 0) return false;
  const outOfMemory = server.memory.beforeCommand() === 'fail';
  // The master's stream is applied whatever the replica's memory (replica-ignore-maxmemory aside).
  if (!outOfMemory || client.isMasterLink) return false;
  return isDenyoom(client, cmd, lowerName) || (client.multi !== null && !MULTI_EXEMPT.has(lowerName));
}
