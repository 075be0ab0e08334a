// EVAL's side of scripting (eval.c): the script cache (sha1 -> compiled body, kept in the Lua
// registry as f_<sha>), EVAL/EVALSHA and their _RO forms, and the checks a flagged script gets
// before it runs (scriptPrepareForRun).

import type { CommandContext } from '../context';
import { LUA_OK, LUA_REGISTRYINDEX } from './lua-runtime';
import { LuaEngine } from './engine';
import { sha1Hex, type EngineHost } from './host';
import { parseEvalShebang, type ScriptFlags } from './shebang';
import { parseSafeInt } from '../resp/numbers';
import { ERR_OOM } from '../errors';

export const ERR_NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';
const ERR_NUMKEYS_TOO_BIG = "ERR Number of keys can't be greater than number of args";
const ERR_NUMKEYS_NEGATIVE = "ERR Number of keys can't be negative";
const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';

interface CachedScript {
  body: string;
  flags: ScriptFlags;
}

/** What a flagged script is checked against before it runs; the node provides it. */
export interface RunPreconditions {
  isReplica(): boolean;
  linkUp(): boolean;
  serveStaleData(): boolean;
  replicaReadOnly(): boolean;
  persistenceWriteError(): string | null;
  enoughGoodReplicas(): boolean;
  outOfMemory(): boolean;
}

/**
 * scriptPrepareForRun: a script that declared flags is refused up front where a compat-mode
 * script would be refused only at its first write. Returns the error, or null to run.
 */
export function refuseBeforeRun(flags: ScriptFlags, readOnlyCommand: boolean, caller: CommandContext, node: RunPreconditions): string | null {
  if (flags.compatMode) return null;
  if (node.isReplica() && !node.linkUp() && !node.serveStaleData() && !flags.allowStale) {
    return "MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.";
  }
  if (!flags.noWrites) {
    if (node.isReplica() && node.replicaReadOnly() && !caller.isMasterLink) return 'READONLY Can not run script with write flag on readonly replica';
    const diskError = node.persistenceWriteError();
    if (diskError !== null && !caller.isMasterLink) {
      return diskError.startsWith('MISCONF Errors writing to the AOF')
        ? `MISCONF Redis is configured to persist data to AOF, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts. AOF error: ${diskError.slice(diskError.indexOf(': ') + 2)}`
        : "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.";
    }
    if (readOnlyCommand) return 'ERR Can not execute a script with write flag using *_ro command.';
    if (!node.isReplica() && !node.enoughGoodReplicas()) return 'NOREPLICAS Not enough good replicas to write.';
  }
  // A flagged script that may write is a denyoom command for Redis's processCommand (its flags come
  // from the shebang), so past maxmemory it gets the command's OOM error. no-writes implies allow-oom.
  if (!caller.isMasterLink && !flags.allowOom && !flags.noWrites && node.outOfMemory()) return ERR_OOM;
  return null;
}

/** The numkeys argument of EVAL and FCALL, checked as Redis does; a string is the error. */
export function parseNumKeys(args: string[], notInteger = ERR_NOT_INTEGER): number | string {
  const numkeys = parseSafeInt(args[2]);
  if (numkeys === null) return notInteger;
  if (numkeys > args.length - 3) return ERR_NUMKEYS_TOO_BIG;
  if (numkeys < 0) return ERR_NUMKEYS_NEGATIVE;
  return numkeys;
}

export class EvalScripts {
  private created: LuaEngine | null = null;
  private scripts = new Map<string, CachedScript>();
  /** Bytes of cached bodies and their shas, for INFO's used_memory_scripts_eval. */
  private bodyBytes = 0;

  constructor(
    private readonly host: EngineHost,
    private readonly node: RunPreconditions,
  ) {}

  /** The Lua state, made on first use (the runtime has loaded by then: the node awaits it at start). */
  get engine(): LuaEngine {
    return (this.created ??= new LuaEngine(this.host));
  }

  get engineIfCreated(): LuaEngine | null {
    return this.created;
  }

  get size(): number {
    return this.scripts.size;
  }

  get cacheBytes(): number {
    return this.bodyBytes;
  }

  has(sha: string): boolean {
    return this.scripts.has(sha.toLowerCase());
  }

  /** SCRIPT LOAD and EVAL's first sight of a body: compiles it into the cache. Returns the sha or the error. */
  create(body: string): { sha: string } | { error: string } {
    const sha = sha1Hex(body);
    if (this.scripts.has(sha)) return { sha };
    const shebang = parseEvalShebang(body);
    if (!shebang.ok) return { error: shebang.error };
    const vm = this.engine.vm;
    const L = vm.L;
    // The shebang line is dropped but its newline kept, so line numbers stay the user's.
    if (vm.load(L, body.slice(shebang.shebangLength), '@user_script') !== LUA_OK) {
      const message = vm.toString(L, -1) ?? '';
      vm.raw._lua_settop(L, 0);
      return { error: `ERR Error compiling script (new function): ${message}` };
    }
    vm.raw._lua_setfield(L, LUA_REGISTRYINDEX, vm.cname('f_' + sha));
    this.scripts.set(sha, { body, flags: shebang.flags });
    this.bodyBytes += body.length + 40;
    return { sha };
  }

  /** SCRIPT FLUSH: a fresh Lua state, as Redis's scriptingReset. */
  flush(): void {
    this.created?.vm.close();
    this.created = null;
    this.scripts = new Map();
    this.bodyBytes = 0;
  }

  /** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO. */
  eval(caller: CommandContext, args: string[], options: { bySha: boolean; readOnly: boolean }): void {
    const reply = caller.reply;
    const numkeys = parseNumKeys(args);
    if (typeof numkeys === 'string') return reply.error(numkeys);
    let sha: string;
    if (options.bySha) {
      sha = args[1].toLowerCase();
      if (sha.length !== 40 || !this.scripts.has(sha)) return reply.error(ERR_NOSCRIPT);
    } else {
      const created = this.create(args[1]);
      if ('error' in created) return reply.error(created.error);
      sha = created.sha;
    }
    const script = this.scripts.get(sha) as CachedScript;
    const refusal = refuseBeforeRun(script.flags, options.readOnly, caller, this.node);
    if (refusal !== null) return reply.error(refusal);
    const functionName = 'f_' + sha;
    this.engine.run({
      caller,
      mode: 'eval',
      name: sha,
      args,
      flags: script.flags,
      readOnly: options.readOnly || script.flags.noWrites,
      fn: { field: functionName },
      keys: args.slice(3, 3 + numkeys),
      argv: args.slice(3 + numkeys),
      argumentsAsGlobals: true,
    });
  }
}
