// A command's reply, as redis.call returns it to Lua: the RESP the command wrote on the script's
// client is parsed and pushed straight onto the Lua stack, by Redis's conversion rules
// (script_lua.c redisProtocolToLuaType):
//   RESP2: integer -> number, bulk -> string, null -> false, status -> {ok=...}, error -> {err=...},
//          array -> table;
//   RESP3 adds: null -> nil, map -> {map={...}}, set -> {set={member=true}}, double -> {double=n},
//          boolean -> boolean, big number -> {big_number='...'}, verbatim -> {verbatim_string={format=, string=}}.

import { LUA_REGISTRYINDEX, type LuaVm } from './lua-runtime';

export class ReplyToLua {
  private text = '';
  private pos = 0;

  constructor(private readonly vm: LuaVm) {}

  /** Pushes the one reply `encoded` holds. Returns the error text when the reply is an error. */
  push(L: number, encoded: string): string | null {
    this.text = encoded;
    this.pos = 0;
    const error = encoded.charCodeAt(0) === 45 /* - */ ? encoded.slice(1, encoded.indexOf('\r\n')) : null;
    this.pushValue(L);
    this.text = '';
    return error;
  }

  private line(): string {
    const end = this.text.indexOf('\r\n', this.pos);
    const value = this.text.slice(this.pos + 1, end);
    this.pos = end + 2;
    return value;
  }

  private pushValue(L: number): void {
    const vm = this.vm;
    const raw = vm.raw;
    const type = this.text[this.pos];
    switch (type) {
      case ':':
        raw._lua_pushinteger(L, BigInt(this.line()));
        return;
      case '$':
      case '=': {
        const length = Number(this.line());
        if (length < 0) {
          raw._lua_pushboolean(L, 0);
          return;
        }
        const value = this.text.slice(this.pos, this.pos + length);
        this.pos += length + 2;
        if (type === '$') {
          vm.pushString(L, value);
          return;
        }
        raw._lua_createtable(L, 0, 1);
        raw._lua_createtable(L, 0, 2);
        vm.pushString(L, value.slice(0, 3));
        raw._lua_setfield(L, -2, vm.cname('format'));
        vm.pushString(L, value.slice(4));
        raw._lua_setfield(L, -2, vm.cname('string'));
        raw._lua_setfield(L, -2, vm.cname('verbatim_string'));
        return;
      }
      case '+':
        raw._lua_createtable(L, 0, 1);
        vm.pushString(L, this.line());
        raw._lua_setfield(L, -2, vm.cname('ok'));
        return;
      case '-':
        raw._lua_createtable(L, 0, 1);
        vm.pushString(L, this.line());
        raw._lua_setfield(L, -2, vm.cname('err'));
        return;
      case '*':
      case '>': {
        const length = Number(this.line());
        if (length < 0) {
          raw._lua_pushboolean(L, 0);
          return;
        }
        raw._lua_checkstack(L, 4);
        raw._lua_createtable(L, length, 0);
        for (let i = 1; i <= length; i++) {
          this.pushValue(L);
          raw._lua_rawseti(L, -2, BigInt(i));
        }
        return;
      }
      case '%':
      case '~': {
        const count = Number(this.line());
        raw._lua_checkstack(L, 4);
        raw._lua_createtable(L, 0, 1);
        raw._lua_createtable(L, 0, count);
        for (let i = 0; i < count; i++) {
          this.pushValue(L);
          if (type === '%') this.pushValue(L);
          else raw._lua_pushboolean(L, 1);
          raw._lua_rawset(L, -3);
        }
        raw._lua_setfield(L, -2, vm.cname(type === '%' ? 'map' : 'set'));
        return;
      }
      case '_':
        this.line();
        raw._lua_pushnil(L);
        return;
      case '#':
        raw._lua_pushboolean(L, this.line() === 't' ? 1 : 0);
        return;
      case ',': {
        const text = this.line();
        raw._lua_createtable(L, 0, 1);
        raw._lua_pushnumber(L, parseRespDouble(text));
        raw._lua_setfield(L, -2, vm.cname('double'));
        return;
      }
      case '(':
        raw._lua_createtable(L, 0, 1);
        vm.pushString(L, this.line());
        raw._lua_setfield(L, -2, vm.cname('big_number'));
        return;
      case '|': {
        // Attributes are skipped: Redis does not hand them to scripts.
        const count = Number(this.line());
        for (let i = 0; i < count * 2; i++) {
          this.pushValue(L);
          raw._lua_settop(L, -2);
        }
        this.pushValue(L);
        return;
      }
      default:
        // Not reachable from the node's own reply writer; keeps the stack balanced regardless.
        raw._lua_pushnil(L);
        this.pos = this.text.length;
    }
  }
}

function parseRespDouble(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan' || text === '-nan') return NaN;
  return Number(text);
}

/** The registry slot of the global table (LUA_RIDX_GLOBALS), where KEYS and ARGV are set raw. */
export function pushGlobals(vm: LuaVm, L: number): void {
  vm.raw._lua_rawgeti(L, LUA_REGISTRYINDEX, 2n);
}
