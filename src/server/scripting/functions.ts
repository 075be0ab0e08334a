// FUNCTION's libraries (functions.c, function_lua.c): `#!lua name=<lib>` code run once at FUNCTION
// LOAD in its own Lua state, where it may only call redis.register_function (and log); the
// registered callbacks are kept in the Lua registry and run by FCALL / FCALL_RO with (keys, args).

import type { CommandContext } from '../context';
import { splitConfigArgs } from '../../formats/redis-conf';
import { LUA_OK, LUA_REGISTRYINDEX, LUA_TFUNCTION, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, type LuaVm } from './lua-runtime';
import { LuaEngine } from './engine';
import type { EngineHost } from './host';
import { parseNumKeys, refuseBeforeRun, type RunPreconditions } from './eval-scripts';
import { COMPAT_FLAGS, flagFromName, type ScriptFlags } from './shebang';

/** FUNCTION LOAD may run this long before it is stopped (Redis's load timeout). */
const LOAD_TIMEOUT_MS = 500;
const LIBRARY_NAME = /^[A-Za-z0-9_]+$/;
const ERR_INVALID_NAME = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

export interface RegisteredFunction {
  name: string;
  description: string | null;
  flags: ScriptFlags;
  /** luaL_ref in the registry. */
  ref: number;
  library: Library;
}

export interface Library {
  name: string;
  engine: 'LUA';
  code: string;
  functions: Map<string, RegisteredFunction>;
}

/** lua_isstring: a string, or a number (which converts). */
function isStringLike(type: number): boolean {
  return type === LUA_TSTRING || type === LUA_TNUMBER;
}

/** A table key as text without converting it in place (lua_tolstring on a key would break lua_next). */
function keyText(vm: LuaVm, L: number): string | null {
  vm.raw._lua_pushvalue(L, -1);
  const text = vm.toString(L, -1);
  vm.raw._lua_settop(L, -2);
  return text;
}

/** What FUNCTION LOAD was given: "#!lua name=x" then the code. */
function parseMetadata(code: string): { name: string; engine: string; body: string } | { error: string } {
  if (!code.startsWith('#!')) return { error: 'ERR Missing library metadata' };
  const end = code.indexOf('\n');
  if (end === -1) return { error: 'ERR Invalid library metadata' };
  const parts = splitConfigArgs(code.slice(0, end));
  if (parts === null || parts.length === 0) return { error: 'ERR Invalid library metadata' };
  const engine = parts[0].slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.startsWith('name=')) {
      if (name !== null) return { error: 'ERR Invalid metadata value, name argument was given multiple times' };
      name = part.slice(5);
    } else {
      return { error: `ERR Invalid metadata value given: ${part}` };
    }
  }
  if (name === null) return { error: 'ERR Library name was not given' };
  if (!LIBRARY_NAME.test(name)) return { error: `ERR ${ERR_INVALID_NAME}` };
  if (engine.toLowerCase() !== 'lua') return { error: `ERR Engine '${engine}' not found` };
  return { name, engine, body: code.slice(end) };
}

export class FunctionLibraries {
  private created: LuaEngine | null = null;
  readonly libraries = new Map<string, Library>();
  /** By lowercased name: FCALL finds functions case-insensitively, as Redis's dict does. */
  readonly functions = new Map<string, RegisteredFunction>();
  /** The library FUNCTION LOAD is running, which redis.register_function adds to. */
  private loading: Library | null = null;
  private loadStartedAt = 0;

  constructor(
    private readonly host: EngineHost,
    private readonly node: RunPreconditions,
  ) {}

  get engine(): LuaEngine {
    if (!this.created) {
      this.created = new LuaEngine(this.host, { register_function: (L) => this.registerFunction(L) });
      this.loadHook = this.created.vm.hookPointer((L) => this.onLoadHook(L));
    }
    return this.created;
  }

  get engineIfCreated(): LuaEngine | null {
    return this.created;
  }

  private loadHook = 0;

  /** Every library's code, for an RDB file or a full sync. */
  codes(): string[] {
    return [...this.libraries.values()].map((library) => library.code);
  }

  /** Bytes of library code, for INFO's used_memory_scripts / FUNCTION STATS. */
  get codeBytes(): number {
    let total = 0;
    for (const library of this.libraries.values()) total += library.code.length;
    return total;
  }

  /**
   * FUNCTION LOAD [REPLACE] and every library of an RDB or a FUNCTION RESTORE: compiles and runs
   * the code, which registers its functions. Returns the library name, or the error text.
   */
  load(code: string, replace: boolean): { name: string } | { error: string } {
    const metadata = parseMetadata(code);
    if ('error' in metadata) return metadata;
    const existing = this.libraries.get(metadata.name);
    if (existing && !replace) return { error: `ERR Library '${metadata.name}' already exists` };
    const engine = this.engine;
    const vm = engine.vm;
    const raw = vm.raw;
    const L = vm.L;
    const library: Library = { name: metadata.name, engine: 'LUA', code, functions: new Map() };
    if (vm.load(L, metadata.body, '@user_function') !== LUA_OK) {
      const message = vm.toString(L, -1) ?? '';
      raw._lua_settop(L, 0);
      return { error: `ERR Error compiling function: ${message}` };
    }
    const error = this.runLoad(library);
    if (error !== null) {
      this.discard(library);
      return { error };
    }
    if (library.functions.size === 0) return { error: 'ERR No functions registered' };
    for (const fn of library.functions.values()) {
      const owner = this.functions.get(fn.name.toLowerCase());
      if (owner && owner.library.name !== library.name) {
        this.discard(library);
        return { error: `ERR Function ${fn.name} already exists` };
      }
    }
    if (existing) this.remove(existing);
    this.libraries.set(library.name, library);
    for (const fn of library.functions.values()) this.functions.set(fn.name.toLowerCase(), fn);
    return { name: library.name };
  }

  /** Runs the compiled chunk at the top of the stack with the load-time API in place of the full one. */
  private runLoad(library: Library): string | null {
    const vm = this.engine.vm;
    const raw = vm.raw;
    const L = vm.L;
    raw._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.engine.internals.load_mode));
    raw._lua_pushboolean(L, 1);
    raw._lua_pcallk(L, 1, 0, 0, 0, 0);
    this.loading = library;
    this.loadStartedAt = performance.now();
    vm.setCountHook(L, this.loadHook, 100_000);
    const status = raw._lua_pcallk(L, 0, 0, 0, 0, 0);
    vm.setCountHook(L, null, 0);
    this.loading = null;
    let error: string | null = null;
    if (status !== LUA_OK) {
      let message = '';
      if (raw._lua_type(L, -1) === LUA_TTABLE) {
        vm.pushString(L, 'err');
        raw._lua_rawget(L, -2);
        message = vm.toString(L, -1) ?? '';
      } else {
        message = 'ERR ' + (vm.toString(L, -1) ?? '');
      }
      error = `ERR Error registering functions: ${message}`;
    }
    raw._lua_settop(L, 0);
    raw._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.engine.internals.load_mode));
    raw._lua_pushboolean(L, 0);
    raw._lua_pcallk(L, 1, 0, 0, 0, 0);
    raw._lua_settop(L, 0);
    return error;
  }

  private onLoadHook(L: number): void {
    if (performance.now() - this.loadStartedAt <= LOAD_TIMEOUT_MS) return;
    this.engine.raise(L, 'FUNCTION LOAD timeout');
  }

  /** redis.register_function(name, callback) or redis.register_function{function_name=, callback=, flags=, description=}. */
  private registerFunction(L: number): number {
    const engine = this.engine;
    const vm = engine.vm;
    const raw = vm.raw;
    const library = this.loading;
    if (!library) return engine.raise(L, 'redis.register_function can only be called on FUNCTION LOAD command');
    const argc = raw._lua_gettop(L);
    if (argc < 1 || argc > 2) return engine.raise(L, 'wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let description: string | null = null;
    let flags: ScriptFlags = { ...COMPAT_FLAGS, compatMode: false };
    if (argc === 2) {
      if (!isStringLike(raw._lua_type(L, 1))) return engine.raise(L, 'first argument to redis.register_function must be a string');
      if (raw._lua_type(L, 2) !== LUA_TFUNCTION) return engine.raise(L, 'second argument to redis.register_function must be a function');
      name = vm.toString(L, 1);
    } else {
      if (raw._lua_type(L, 1) !== LUA_TTABLE) {
        return engine.raise(L, 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      }
      const read = (field: string) => {
        vm.pushString(L, field);
        return raw._lua_rawget(L, 1);
      };
      const keys = this.tableKeys(L);
      for (const key of keys) {
        if (key === null) return engine.raise(L, 'named argument key given to redis.register_function is not a string');
        const lower = key.toLowerCase();
        if (!['function_name', 'description', 'callback', 'flags'].includes(lower)) return engine.raise(L, 'unknown argument given to redis.register_function');
      }
      for (const key of keys as string[]) {
        const lower = key.toLowerCase();
        const type = read(key);
        if (lower === 'function_name') {
          if (!isStringLike(type)) return engine.raise(L, 'function_name argument given to redis.register_function must be a string');
          name = vm.toString(L, -1);
        } else if (lower === 'description') {
          if (!isStringLike(type)) return engine.raise(L, 'description argument given to redis.register_function must be a string');
          description = vm.toString(L, -1);
        } else if (lower === 'callback') {
          if (type !== LUA_TFUNCTION) return engine.raise(L, 'callback argument given to redis.register_function must be a function');
          raw._lua_settop(L, -2);
          continue;
        } else {
          if (type !== LUA_TTABLE) return engine.raise(L, 'flags argument to redis.register_function must be a table representing function flags');
          const parsed = this.readFlags(L);
          if (parsed === null) return engine.raise(L, 'unknown flag given');
          flags = parsed;
        }
        raw._lua_settop(L, -2);
      }
      if (name === null) return engine.raise(L, 'redis.register_function must get a function name argument');
      if (keys.every((key) => key?.toLowerCase() !== 'callback')) return engine.raise(L, 'redis.register_function must get a callback argument');
      // Leave the callback on top for luaL_ref.
      const callbackKey = (keys as string[]).find((key) => key.toLowerCase() === 'callback') as string;
      raw._lua_settop(L, 1);
      read(callbackKey);
    }
    if (name === null || !LIBRARY_NAME.test(name)) return engine.raise(L, ERR_INVALID_NAME);
    if ([...library.functions.keys()].some((other) => other.toLowerCase() === (name as string).toLowerCase())) return engine.raise(L, 'Function already exists in the library');
    const ref = raw._luaL_ref(L, LUA_REGISTRYINDEX);
    library.functions.set(name, { name, description, flags, ref, library });
    return 0;
  }

  /** The string keys of the table at index 1 (null for a key that is not a string). */
  private tableKeys(L: number): Array<string | null> {
    const vm = this.engine.vm;
    const raw = vm.raw;
    const keys: Array<string | null> = [];
    raw._lua_pushnil(L);
    while (raw._lua_next(L, 1) !== 0) {
      raw._lua_settop(L, -2);
      keys.push(isStringLike(raw._lua_type(L, -1)) ? keyText(vm, L) : null);
    }
    return keys;
  }

  /** The flags table at the top: each value a known flag name. */
  private readFlags(L: number): ScriptFlags | null {
    const vm = this.engine.vm;
    const raw = vm.raw;
    const flags: ScriptFlags = { ...COMPAT_FLAGS, compatMode: false };
    const top = raw._lua_gettop(L);
    raw._lua_pushnil(L);
    while (raw._lua_next(L, top) !== 0) {
      const name = raw._lua_type(L, -1) === LUA_TSTRING ? vm.toString(L, -1) : null;
      const key = name === null ? null : flagFromName(name);
      if (key === null || key === 'compatMode') {
        raw._lua_settop(L, top);
        return null;
      }
      flags[key] = true;
      raw._lua_settop(L, -2);
    }
    return flags;
  }

  private discard(library: Library): void {
    const raw = this.engine.vm.raw;
    for (const fn of library.functions.values()) raw._luaL_unref(this.engine.vm.L, LUA_REGISTRYINDEX, fn.ref);
    library.functions.clear();
  }

  private remove(library: Library): void {
    for (const fn of library.functions.values()) this.functions.delete(fn.name.toLowerCase());
    this.discard(library);
    this.libraries.delete(library.name);
  }

  /** FUNCTION DELETE: false when there is no such library. */
  delete(name: string): boolean {
    const library = this.libraries.get(name);
    if (!library) return false;
    this.remove(library);
    return true;
  }

  /** FUNCTION FLUSH, and FUNCTION RESTORE FLUSH: a fresh Lua state without libraries. */
  flush(): void {
    this.libraries.clear();
    this.functions.clear();
    this.created?.vm.close();
    this.created = null;
  }

  /**
   * FUNCTION RESTORE and the functions of an RDB: APPEND refuses a library that exists (before
   * loading anything), REPLACE replaces it, FLUSH starts from none. Returns the error or null.
   */
  restore(codes: readonly string[], policy: 'flush' | 'append' | 'replace'): string | null {
    if (policy === 'flush') this.flush();
    if (policy === 'append') {
      for (const code of codes) {
        const metadata = parseMetadata(code);
        if (!('error' in metadata) && this.libraries.has(metadata.name)) return `ERR Library ${metadata.name} already exists`;
      }
    }
    for (const code of codes) {
      const loaded = this.load(code, policy !== 'append');
      if ('error' in loaded) return loaded.error;
    }
    return null;
  }

  /** FCALL / FCALL_RO. */
  call(caller: CommandContext, args: string[], readOnlyCommand: boolean): void {
    const reply = caller.reply;
    const fn = this.functions.get(args[1].toLowerCase());
    if (!fn) return reply.error('ERR Function not found');
    const numkeys = parseNumKeys(args, 'ERR Bad number of keys provided');
    if (typeof numkeys === 'string') return reply.error(numkeys);
    const refusal = refuseBeforeRun(fn.flags, readOnlyCommand, caller, this.node);
    if (refusal !== null) return reply.error(refusal);
    const keys = args.slice(3, 3 + numkeys);
    const argv = args.slice(3 + numkeys);
    this.engine.run({
      caller,
      mode: 'function',
      name: fn.name,
      args,
      flags: fn.flags,
      readOnly: readOnlyCommand || fn.flags.noWrites,
      fn: { ref: fn.ref },
      keys,
      argv,
      argumentsAsGlobals: false,
    });
  }
}
