// One Lua state with Redis's `redis` library, and the running of one script in it.
//
// A script runs in a coroutine with a count hook (every 100,000 instructions, as Redis). Past
// busy-reply-threshold the hook yields: the caller is parked (blocked), the event loop turns, other
// clients get -BUSY (dispatch.ts asks `busyError()`), SCRIPT KILL / FUNCTION KILL may stop the
// script, and the script resumes on the next turn. This is Redis's processEventsWhileBlocked done
// the only way a single-threaded JS host can: by returning to the loop between slices.

import type { CommandContext } from '../context';
import type { ReplyBuffer } from '../resp/reply';
import { LUA_OK, LUA_REGISTRYINDEX, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, LUA_YIELD, LuaVm } from './lua-runtime';
import { LUA_PRELUDE } from './lua-prelude';
import { luaToReply } from './lua-to-reply';
import { pushGlobals } from './reply-to-lua';
import type { ScriptRun } from './redis-call';
import { RedisLibrary } from './redis-library';
import { mathRandomFunctions } from './redis-random';
import type { EngineHost } from './host';
import { REDIS_COMPAT_VERSION as REDIS_VERSION } from '../version';

const HOOK_EVERY_INSTRUCTIONS = 100_000;
/** Once busy, how long a slice runs before the event loop gets a turn. */
const BUSY_SLICE_MS = 20;

export const ERR_BUSY_EVAL = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const ERR_BUSY_FUNCTION = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
const ERR_KILLED = 'ERR Script killed by user with SCRIPT KILL...';


/** A running script, as the engine drives it. */
interface ActiveRun extends ScriptRun {
  /** The clock when the script started: key expiry is judged at this instant throughout. */
  timeSnapshot: number;
  thread: number;
  startedAt: number;
  sliceStartedAt: number;
  busy: boolean;
  killed: boolean;
  yieldedByHook: boolean;
  /** Arguments for the first resume (the function and its parameters pushed on the thread). */
  pendingArgs: number;
  args: string[];
  onDone: () => void;
}

export interface RunRequest {
  caller: CommandContext;
  mode: 'eval' | 'function';
  name: string;
  /** The caller's command (FUNCTION STATS shows it). */
  args: string[];
  flags: ScriptRun['flags'];
  readOnly: boolean;
  /** The compiled function: a registry field (EVAL's f_<sha>) or a registry reference (a library's callback). */
  fn: { field: string } | { ref: number };
  keys: string[];
  argv: string[];
  /** EVAL sets KEYS and ARGV as globals; a function receives them as its two arguments. */
  argumentsAsGlobals: boolean;
}

export class LuaEngine {
  readonly vm: LuaVm;
  private readonly library: RedisLibrary;
  private current: ActiveRun | null = null;
  /** Registry references to the prelude's internals. */
  readonly internals = { run: 0, load_mode: 0, collectgarbage: 0 };
  /** Registry slots for a function's keys and args tables, refilled by each FCALL. */
  private readonly argumentRefs = { keys: 0, argv: 0 };
  private readonly preparePointer: number;
  private readonly hookPointer: number;
  private readonly resultsSlot: number;
  /** Clients whose input waits for the busy script (our master's link). */
  private readonly deferred = new Set<{ processInput(): void }>();
  /** `extraRedisFunctions`: natives a mode adds to `redis` (FUNCTION's register_function). */
  constructor(
    private readonly host: EngineHost,
    extraRedisFunctions: Record<string, (L: number) => number> = {},
  ) {
    this.vm = new LuaVm();
    this.library = new RedisLibrary(this.vm, host, () => this.current);
    this.hookPointer = this.vm.hookPointer((L) => this.onHook(L));
    this.resultsSlot = this.vm.raw._malloc(4);
    this.preparePointer = this.vm.cfunction((L) => this.prepare(L));
    this.vm.onJsError = (error) => {
      host.onInternalError(error);
    };
    this.installNatives(extraRedisFunctions);
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** The script is past busy-reply-threshold: other clients are being answered -BUSY. */
  get busy(): boolean {
    return this.current?.busy ?? false;
  }

  get runningMode(): 'eval' | 'function' | null {
    return this.current?.mode ?? null;
  }

  get runningName(): string | null {
    return this.current?.name ?? null;
  }

  get timeSnapshot(): number | null {
    return this.current?.timeSnapshot ?? null;
  }

  get runningSince(): number | null {
    return this.current?.startedAt ?? null;
  }

  get wroteDirty(): boolean {
    return this.current?.wroteDirty ?? false;
  }

  get runningFromMaster(): boolean {
    return this.current?.caller.isMasterLink ?? false;
  }

  /** Bytes the Lua heap holds, for INFO's used_memory_vm_*. */
  memoryBytes(): number {
    const raw = this.vm.raw;
    const L = this.vm.L;
    if (this.current) return this.lastMemoryBytes;
    raw._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.internals.collectgarbage));
    this.vm.pushString(L, 'count');
    const kilobytes = raw._lua_pcallk(L, 1, 1, 0, 0, 0) === LUA_OK ? raw._lua_tonumberx(L, -1, 0) : 0;
    raw._lua_settop(L, 0);
    this.lastMemoryBytes = Math.round(kilobytes * 1024);
    return this.lastMemoryBytes;
  }

  private lastMemoryBytes = 0;

  describeRun(): { name: string; args: string[]; durationMs: number; mode: 'eval' | 'function' } | null {
    const run = this.current;
    if (!run) return null;
    return { name: run.name, args: run.args, durationMs: Math.floor(performance.now() - run.startedAt), mode: run.mode };
  }

  /** SCRIPT KILL / FUNCTION KILL: the parked script ends at its next slice with Redis's error. */
  kill(): void {
    if (this.current) this.current.killed = true;
  }

  deferUntilIdle(client: { processInput(): void }): void {
    this.deferred.add(client);
  }

  // --- the redis library -------------------------------------------------------------------

  private installNatives(extra: Record<string, (L: number) => number>): void {
    const vm = this.vm;
    const raw = vm.raw;
    const L = vm.L;
    const functions: Record<string, (L: number) => number> = { ...this.library.functions(), ...extra };
    raw._lua_createtable(L, 0, 2);
    raw._lua_createtable(L, 0, Object.keys(functions).length + 12);
    for (const [name, fn] of Object.entries(functions)) {
      vm.pushCFunction(L, vm.cfunction(fn));
      raw._lua_setfield(L, -2, vm.cname(name));
    }
    const numbers: Record<string, number> = {
      LOG_DEBUG: 0, LOG_VERBOSE: 1, LOG_NOTICE: 2, LOG_WARNING: 3,
      REPL_NONE: 0, REPL_AOF: 1, REPL_SLAVE: 2, REPL_REPLICA: 2, REPL_ALL: 3,
      REDIS_VERSION_NUM: versionNumber(REDIS_VERSION),
    };
    for (const [name, value] of Object.entries(numbers)) {
      raw._lua_pushinteger(L, BigInt(value));
      raw._lua_setfield(L, -2, vm.cname(name));
    }
    vm.pushString(L, REDIS_VERSION);
    raw._lua_setfield(L, -2, vm.cname('REDIS_VERSION'));
    raw._lua_setfield(L, -2, vm.cname('redis'));
    for (const [name, fn] of Object.entries(mathRandomFunctions(vm, this.host.random))) {
      vm.pushCFunction(L, vm.cfunction(fn));
      raw._lua_setfield(L, -2, vm.cname(name));
    }
    raw._lua_setglobal(L, vm.cname('__redis_native'));
    if (vm.load(L, LUA_PRELUDE, '@redis_prelude') !== LUA_OK || raw._lua_pcallk(L, 0, 1, 0, 0, 0) !== LUA_OK) {
      throw new Error(`the scripting prelude failed: ${vm.toString(L, -1)}`);
    }
    for (const name of ['run', 'load_mode', 'collectgarbage'] as const) {
      vm.pushString(L, name);
      raw._lua_rawget(L, -2);
      this.internals[name] = raw._luaL_ref(L, LUA_REGISTRYINDEX);
    }
    for (const slot of ['keys', 'argv'] as const) {
      raw._lua_pushboolean(L, 0);
      this.argumentRefs[slot] = raw._luaL_ref(L, LUA_REGISTRYINDEX);
    }
    this.thread = raw._lua_newthread(L);
    raw._luaL_ref(L, LUA_REGISTRYINDEX);
    raw._lua_settop(L, 0);
  }

  /**
   * The coroutine every script runs in, made once and anchored in the registry: a thread that
   * returned is reused as is, one that failed or was abandoned is reset first.
   */
  private thread = 0;

  /** Raises a Lua error with Redis's error table; never returns to the caller's code. */
  raise(L: number, text: string): number {
    return this.library.raise(L, text);
  }

  // --- running -------------------------------------------------------------------------------

  /**
   * Runs a script for `request.caller`. The reply is written to the caller, now or (for a script
   * that turned busy) when it ends; `onDone` runs then.
   */
  run(request: RunRequest, onDone: () => void = () => {}): void {
    const vm = this.vm;
    const raw = vm.raw;
    const L = vm.L;
    // Building KEYS and ARGV allocates: done in a protected call, so running out of memory is an
    // error reply, not a VM panic.
    this.preparing = request;
    vm.pushCFunction(L, this.preparePointer);
    const prepared = raw._lua_pcallk(L, 0, 0, 0, 0, 0);
    this.preparing = null;
    if (prepared !== LUA_OK) {
      request.caller.reply.error(`ERR Error running script ${request.name}, ${vm.toString(L, -1) ?? 'execution failure'}`);
      raw._lua_settop(L, 0);
      onDone();
      return;
    }
    const thread = this.thread;
    raw._lua_rawgeti(thread, LUA_REGISTRYINDEX, BigInt(this.internals.run));
    if ('field' in request.fn) raw._lua_getfield(thread, LUA_REGISTRYINDEX, vm.cname(request.fn.field));
    else raw._lua_rawgeti(thread, LUA_REGISTRYINDEX, BigInt(request.fn.ref));
    let nargs = 0;
    if (!request.argumentsAsGlobals) {
      raw._lua_rawgeti(thread, LUA_REGISTRYINDEX, BigInt(this.argumentRefs.keys));
      raw._lua_rawgeti(thread, LUA_REGISTRYINDEX, BigInt(this.argumentRefs.argv));
      nargs = 2;
    }
    const now = performance.now();
    const run: ActiveRun = {
      caller: request.caller,
      keys: request.keys,
      mode: request.mode,
      name: request.name,
      flags: request.flags,
      readOnly: request.readOnly,
      wroteDirty: false,
      resp: 2,
      dbIndex: request.caller.dbIndex,
      propagate: true,
      thread,
      timeSnapshot: this.host.now(),
      startedAt: now,
      sliceStartedAt: now,
      busy: false,
      killed: false,
      yieldedByHook: false,
      pendingArgs: nargs + 1,
      args: request.args,
      onDone,
    };
    this.current = run;
    this.host.propagation.begin();
    if (this.host.config.getInt('busy-reply-threshold') > 0) vm.setCountHook(thread, this.hookPointer, HOOK_EVERY_INSTRUCTIONS);
    this.step(run);
  }

  /** The protected half of run(): KEYS and ARGV as globals (EVAL) or in their registry slots (FCALL). */
  private prepare(L: number): number {
    const request = this.preparing;
    if (!request) return 0;
    const raw = this.vm.raw;
    if (request.argumentsAsGlobals) {
      pushGlobals(this.vm, L);
      this.pushArray(L, 'KEYS', request.keys);
      raw._lua_rawset(L, -3);
      this.pushArray(L, 'ARGV', request.argv);
      raw._lua_rawset(L, -3);
    } else {
      this.pushArray(L, null, request.keys);
      raw._lua_rawseti(L, LUA_REGISTRYINDEX, BigInt(this.argumentRefs.keys));
      this.pushArray(L, null, request.argv);
      raw._lua_rawseti(L, LUA_REGISTRYINDEX, BigInt(this.argumentRefs.argv));
    }
    return 0;
  }

  private preparing: RunRequest | null = null;

  /** Pushes (name and) a table of `values`. */
  private pushArray(L: number, name: string | null, values: string[]): void {
    const raw = this.vm.raw;
    if (name !== null) this.vm.pushString(L, name);
    raw._lua_createtable(L, values.length, 0);
    for (let i = 0; i < values.length; i++) {
      this.vm.pushString(L, values[i]);
      raw._lua_rawseti(L, -2, BigInt(i + 1));
    }
  }

  private onHook(L: number): void {
    const run = this.current;
    if (!run) return;
    const now = performance.now();
    if (!run.busy) {
      const threshold = this.host.config.getInt('busy-reply-threshold');
      if (threshold <= 0 || now - run.startedAt < threshold) return;
      run.busy = true;
      this.host.logger.warning(
        `Slow script detected: still in execution after ${Math.round(now - run.startedAt)} milliseconds. ` +
          `You can try killing the script using the ${run.mode === 'eval' ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${run.name}.`,
      );
    } else if (now - run.sliceStartedAt < BUSY_SLICE_MS && !run.killed) {
      return;
    }
    if (this.vm.raw._lua_isyieldable(L) === 0) return;
    run.yieldedByHook = true;
    this.vm.raw._lua_yieldk(L, 0, 0, 0);
  }

  /** Resumes the script for one slice; finishes it, or parks it for the next event-loop turn. */
  private step(run: ActiveRun): void {
    const raw = this.vm.raw;
    run.sliceStartedAt = performance.now();
    run.yieldedByHook = false;
    const nargs = run.pendingArgs;
    run.pendingArgs = 0;
    const status = raw._lua_resume(run.thread, this.vm.L, nargs, this.resultsSlot);
    if (status === LUA_YIELD && run.yieldedByHook) {
      if (!run.caller.blocked) run.caller.blocked = true;
      setImmediate(() => this.continueBusy(run));
      return;
    }
    const reply = run.caller.reply;
    if (status === LUA_YIELD) reply.error(`ERR Error running script ${run.name}, attempt to yield across a C-call boundary`);
    else if (status !== LUA_OK) reply.error(`ERR Error running script ${run.name}, ${this.vm.toString(run.thread, -1) ?? 'execution failure'}`);
    else this.writeResult(run, reply);
    this.finish(run, status === LUA_OK);
  }

  private continueBusy(run: ActiveRun): void {
    if (run.killed) {
      this.host.logger.notice('Lua script killed by user with SCRIPT KILL.');
      const where = this.vm.currentLine(run.thread, 0);
      run.caller.reply.error(ERR_KILLED + (where ? ` script: ${run.name}, on ${where.source}:${where.line}.` : ''));
      this.finish(run, false);
      return;
    }
    this.step(run);
  }

  /** The thread holds (ok, value) from the prelude's run (an xpcall with Redis's error handler). */
  private writeResult(run: ActiveRun, reply: ReplyBuffer): void {
    const vm = this.vm;
    const raw = vm.raw;
    const T = run.thread;
    const ok = raw._lua_toboolean(T, -2) !== 0;
    if (ok) {
      luaToReply(vm, T, reply, run.resp);
      return;
    }
    if (raw._lua_type(T, -1) !== LUA_TTABLE) {
      reply.error(`ERR Error running script ${run.name}, ${(vm.toString(T, -1) ?? 'execution failure').slice(0, 100)}`);
      return;
    }
    const text = (name: string) => {
      vm.pushString(T, name);
      raw._lua_rawget(T, -2);
      const type = raw._lua_type(T, -1);
      const value = type === LUA_TSTRING || type === LUA_TNUMBER ? vm.toString(T, -1) : null;
      raw._lua_settop(T, -2);
      return value;
    };
    const message = text('err') ?? '';
    const source = text('source');
    const line = text('line');
    reply.error(source !== null && line !== null ? `${message} script: ${run.name}, on ${source}:${line}.` : message);
  }

  private finish(run: ActiveRun, returned: boolean): void {
    const raw = this.vm.raw;
    this.vm.setCountHook(run.thread, null, 0);
    if (returned) raw._lua_settop(run.thread, 0);
    else raw._lua_resetthread(run.thread);
    raw._lua_settop(this.vm.L, 0);
    this.current = null;
    this.host.propagation.end();
    if (run.busy) {
      run.caller.unblock();
      for (const client of this.deferred) client.processInput();
      this.deferred.clear();
    }
    run.onDone();
  }
}


/** "7.0.15" -> 0x07000f, as REDIS_VERSION_NUM. */
function versionNumber(version: string): number {
  const [major, minor, patch] = version.split('.').map(Number);
  return (major << 16) | (minor << 8) | patch;
}
