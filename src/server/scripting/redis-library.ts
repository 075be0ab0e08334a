// The `redis` library scripts call (script_lua.c): redis.call / pcall through the node's own command
// path, the reply helpers, log, setresp, set_repl and acl_check_cmd. Each function reads its
// arguments from the Lua stack and raises Redis's error tables on misuse.

import type { LuaVm } from './lua-runtime';
import { LUA_TNUMBER, LUA_TSTRING } from './lua-runtime';
import { ReplyToLua } from './reply-to-lua';
import { ScriptClient } from './script-client';
import { callFromScript, errorTableText, formatLuaNumber, lookup, ERR_BAD_ARG_TYPE, ERR_NO_ARGS, type ScriptRun } from './redis-call';
import { sha1Hex, type EngineHost } from './host';

const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning'] as const;

export class RedisLibrary {
  private readonly client: ScriptClient;
  private readonly replies: ReplyToLua;

  constructor(
    private readonly vm: LuaVm,
    private readonly host: EngineHost,
    private readonly currentRun: () => ScriptRun | null,
  ) {
    this.client = new ScriptClient(host.context);
    this.replies = new ReplyToLua(vm);
  }

  /** The functions of the `redis` table, by name. */
  functions(): Record<string, (L: number) => number> {
    const vm = this.vm;
    const raw = vm.raw;
    return {
      call: (T) => this.redisCall(T, true),
      pcall: (T) => this.redisCall(T, false),
      error_reply: (T) => this.replyTable(T, 'err'),
      status_reply: (T) => this.replyTable(T, 'ok'),
      sha1hex: (T) => {
        if (raw._lua_gettop(T) !== 1) return this.raise(T, 'wrong number of arguments');
        vm.pushString(T, sha1Hex(vm.toString(T, 1) ?? ''));
        return 1;
      },
      log: (T) => this.log(T),
      setresp: (T) => this.setResp(T),
      set_repl: (T) => this.setRepl(T),
      replicate_commands: (T) => {
        raw._lua_pushboolean(T, 1);
        return 1;
      },
      breakpoint: (T) => {
        raw._lua_pushboolean(T, 0);
        return 1;
      },
      debug: () => 0,
      acl_check_cmd: (T) => this.aclCheckCommand(T),
    };
  }

  /** Raises a Lua error with Redis's error table; never returns to the caller's code. */
  raise(L: number, text: string): number {
    this.pushErrorTable(L, text);
    return this.vm.raw._lua_error(L);
  }

  pushErrorTable(L: number, text: string): void {
    const raw = this.vm.raw;
    raw._lua_createtable(L, 0, 1);
    this.vm.pushString(L, errorTableText(text));
    raw._lua_setfield(L, -2, this.vm.cname('err'));
  }

  private redisCall(L: number, raiseErrors: boolean): number {
    const vm = this.vm;
    const raw = vm.raw;
    const run = this.currentRun();
    const argc = raw._lua_gettop(L);
    if (argc === 0) return this.raise(L, ERR_NO_ARGS);
    const args: string[] = new Array(argc);
    for (let i = 1; i <= argc; i++) {
      const type = raw._lua_type(L, i);
      if (type === LUA_TSTRING) args[i - 1] = vm.toString(L, i) ?? '';
      else if (type === LUA_TNUMBER) args[i - 1] = raw._lua_isinteger(L, i) ? String(raw._lua_tointegerx(L, i, 0)) : formatLuaNumber(raw._lua_tonumberx(L, i, 0));
      else return this.raise(L, ERR_BAD_ARG_TYPE);
    }
    if (!run) return this.raise(L, 'redis.call() can only be called inside a script invocation');
    const outcome = callFromScript(this.host, this.client, run, args);
    raw._lua_settop(L, 0);
    if (typeof outcome !== 'string') {
      if (raiseErrors) return this.raise(L, outcome.refused);
      this.pushErrorTable(L, outcome.refused);
      return 1;
    }
    const error = this.replies.push(L, outcome);
    if (error !== null && raiseErrors) {
      // The command's error was counted in its own stats already.
      raw._lua_pushboolean(L, 1);
      raw._lua_setfield(L, -2, vm.cname('ignore_error_stats_update'));
      return raw._lua_error(L);
    }
    return 1;
  }

  /** redis.error_reply / redis.status_reply: {err=...} (ERR added when no code) or {ok=...}. */
  private replyTable(L: number, field: 'err' | 'ok'): number {
    const vm = this.vm;
    const raw = vm.raw;
    if (raw._lua_gettop(L) !== 1 || raw._lua_type(L, 1) !== LUA_TSTRING) return this.raise(L, 'wrong number or type of arguments');
    let text = vm.toString(L, 1) ?? '';
    if (field === 'err') text = errorTableText(text.startsWith('-') ? text : '-' + text);
    raw._lua_createtable(L, 0, 1);
    vm.pushString(L, text);
    raw._lua_setfield(L, -2, vm.cname(field));
    return 1;
  }

  private log(L: number): number {
    const vm = this.vm;
    const raw = vm.raw;
    const argc = raw._lua_gettop(L);
    if (argc < 2) return this.raise(L, 'redis.log() requires two arguments or more.');
    if (raw._lua_type(L, 1) !== LUA_TNUMBER) return this.raise(L, 'First argument must be a number (log level).');
    const level = Number(raw._lua_tonumberx(L, 1, 0));
    if (!Number.isInteger(level) || level < 0 || level > 3) return this.raise(L, 'Invalid debug level.');
    const parts: string[] = [];
    for (let i = 2; i <= argc; i++) {
      const type = raw._lua_type(L, i);
      if (type === LUA_TSTRING || type === LUA_TNUMBER) parts.push(vm.toString(L, i) ?? '');
    }
    this.host.logger.log(LOG_LEVELS[level], parts.join(' '));
    return 0;
  }

  private setResp(L: number): number {
    const raw = this.vm.raw;
    if (raw._lua_gettop(L) !== 1) return this.raise(L, 'redis.setresp() requires one argument.');
    const resp = Number(raw._lua_tonumberx(L, 1, 0));
    if (resp !== 2 && resp !== 3) return this.raise(L, 'RESP version must be 2 or 3.');
    const run = this.currentRun();
    if (run) run.resp = resp;
    return 0;
  }

  private setRepl(L: number): number {
    const raw = this.vm.raw;
    if (raw._lua_gettop(L) !== 1) return this.raise(L, 'redis.set_repl() requires one argument.');
    const flags = Number(raw._lua_tonumberx(L, 1, 0));
    if (!Number.isInteger(flags) || flags < 0 || flags > 3) return this.raise(L, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
    // The node has one propagation path for replicas and the AOF: any flag keeps both, REPL_NONE neither.
    const run = this.currentRun();
    if (run) run.propagate = flags !== 0;
    return 0;
  }

  private aclCheckCommand(L: number): number {
    const vm = this.vm;
    const raw = vm.raw;
    const argc = raw._lua_gettop(L);
    if (argc === 0) return this.raise(L, ERR_NO_ARGS);
    const args: string[] = [];
    for (let i = 1; i <= argc; i++) {
      const type = raw._lua_type(L, i);
      if (type !== LUA_TSTRING && type !== LUA_TNUMBER) return this.raise(L, ERR_BAD_ARG_TYPE);
      args.push(vm.toString(L, i) ?? '');
    }
    const cmd = lookup(this.host.commands, args);
    if (!cmd) return this.raise(L, 'Invalid command passed to redis.acl_check_cmd()');
    const caller = this.currentRun()?.caller;
    raw._lua_pushboolean(L, caller && this.host.acl.checkForScript(caller, cmd, args, false) !== null ? 0 : 1);
    return 1;
  }
}
