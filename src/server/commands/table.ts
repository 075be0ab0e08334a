// The command table: name -> handler, arity and flags. The dispatcher reads only this table;
// each command group registers its entries from its own module.

import type { CommandContext } from '../context';

/**
 * write: modifies data (propagated to replicas and the AOF, refused on read-only replicas)
 * readonly: only reads data
 * admin: server administration
 * stale: allowed on a replica whose master link is down, with replica-serve-stale-data no
 * noscript: not allowed from scripts
 * loading: allowed while the dataset is loading
 * noauth: allowed before AUTH
 * pubsub: allowed in RESP2 subscriber context
 * denyoom: refused when over maxmemory
 * fast: O(1) or O(log N) (COMMAND INFO metadata)
 * allowbusy: allowed while a script is busy (SCRIPT KILL, FUNCTION KILL/STATS, AUTH...)
 */
export type CommandFlag = 'write' | 'readonly' | 'admin' | 'stale' | 'noscript' | 'loading' | 'noauth' | 'pubsub' | 'denyoom' | 'fast' | 'nomulti' | 'allowbusy';

export type Handler = (client: CommandContext, args: string[]) => void;

export interface CommandSpec {
  name: string;
  /** Exact argument count including the name when positive; the minimum when negative. */
  arity: number;
  flags: readonly CommandFlag[];
  handler: Handler;
  /** First key position, last key position (negative counts from the end) and step, as COMMAND INFO shows. */
  keys?: [first: number, last: number, step: number];
  /** ACL categories shown by COMMAND INFO, e.g. ['@string', '@fast']. */
  categories?: readonly string[];
  /** Subcommands (CONFIG GET, CLIENT LIST...): looked up by the dispatcher, arity checked per subcommand. */
  subcommands?: Record<string, CommandSpec>;
}

export interface CompiledCommand extends CommandSpec {
  isWrite: boolean;
  isReadonly: boolean;
  allowStale: boolean;
  allowLoading: boolean;
  allowNoAuth: boolean;
  allowInPubSub: boolean;
  denyOom: boolean;
  /** SCAN, RANDOMKEY (Redis's TOUCHES_ARBITRARY_KEYS): what they expire is not propagated as a transaction. */
  touchesArbitraryKeys: boolean;
  /** Number of times called, for INFO commandstats. */
  calls: number;
  usec: number;
  failedCalls: number;
  rejectedCalls: number;
}

const TOUCHES_ARBITRARY_KEYS = new Set(['scan', 'randomkey']);

export function compileCommand(spec: CommandSpec): CompiledCommand {
  const has = (flag: CommandFlag) => spec.flags.includes(flag);
  const compiled: CompiledCommand = {
    ...spec,
    isWrite: has('write'),
    isReadonly: has('readonly'),
    allowStale: has('stale'),
    allowLoading: has('loading'),
    allowNoAuth: has('noauth'),
    allowInPubSub: has('pubsub'),
    denyOom: has('denyoom'),
    touchesArbitraryKeys: TOUCHES_ARBITRARY_KEYS.has(spec.name),
    calls: 0,
    usec: 0,
    failedCalls: 0,
    rejectedCalls: 0,
  };
  if (spec.subcommands) {
    const subs: Record<string, CompiledCommand> = {};
    for (const [name, sub] of Object.entries(spec.subcommands)) subs[name] = compileCommand(sub);
    compiled.subcommands = subs;
  }
  return compiled;
}

export class CommandTable {
  private readonly commands = new Map<string, CompiledCommand>();

  register(specs: readonly CommandSpec[]): void {
    for (const spec of specs) {
      if (this.commands.has(spec.name)) throw new Error(`command ${spec.name} registered twice`);
      this.commands.set(spec.name, compileCommand(spec));
    }
  }

  /** Lookup by lowercase name. */
  get(name: string): CompiledCommand | undefined {
    return this.commands.get(name);
  }

  /** rename-command: the command answers to `to` (nothing when empty) and no longer to `from`; a command the node lacks is ignored. */
  rename(from: string, to: string): void {
    const cmd = this.commands.get(from);
    if (!cmd) return;
    this.commands.delete(from);
    if (to !== '') this.commands.set(to, cmd);
  }

  all(): IterableIterator<CompiledCommand> {
    return this.commands.values();
  }

  get size(): number {
    return this.commands.size;
  }
}

/** Shorthand for building specs in the group modules. */
export function command(
  name: string,
  arity: number,
  flags: readonly CommandFlag[],
  handler: Handler,
  keys?: [number, number, number],
  extra: Partial<CommandSpec> = {},
): CommandSpec {
  return { name, arity, flags, handler, keys, ...extra };
}
