// A script's return value, as the caller receives it (script_lua.c luaReplyToRedisReply): a string
// is a bulk, a number an integer (truncated), true is 1 and false a null (or booleans when the
// script switched to RESP3), a table with `err`/`ok`/`double`/`big_number`/`verbatim_string`/
// `map`/`set` is that reply, and any other table an array up to its first nil.

import type { ReplyBuffer } from '../resp/reply';
import { LUA_TBOOLEAN, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, type LuaVm } from './lua-runtime';

/**
 * Nesting deeper than this ends in Redis's stack-limit error (a script can return a table that
 * contains itself); Lua 5.1's C stack of 8,000 slots stopped Redis at the same order of depth.
 */
const MAX_REPLY_DEPTH = 1000;

/** Writes the value at the top of L's stack to `reply` and pops it. */
export function luaToReply(vm: LuaVm, L: number, reply: ReplyBuffer, scriptResp: 2 | 3, depth = 0): void {
  const raw = vm.raw;
  if (depth >= MAX_REPLY_DEPTH || raw._lua_checkstack(L, 4) === 0) {
    reply.error('ERR reached lua stack limit');
    raw._lua_settop(L, -2);
    return;
  }
  switch (raw._lua_type(L, -1)) {
    case LUA_TSTRING:
      reply.bulk(vm.toString(L, -1) ?? '');
      break;
    case LUA_TBOOLEAN: {
      const value = raw._lua_toboolean(L, -1) !== 0;
      if (scriptResp === 2) {
        if (value) reply.integer(1);
        else reply.nullBulk();
      } else {
        reply.boolean(value);
      }
      break;
    }
    case LUA_TNUMBER:
      if (raw._lua_isinteger(L, -1)) reply.integer(raw._lua_tointegerx(L, -1, 0));
      else reply.integer(truncateToLongLong(raw._lua_tonumberx(L, -1, 0)));
      break;
    case LUA_TTABLE:
      tableToReply(vm, L, reply, scriptResp, depth);
      return;
    default:
      reply.nullBulk();
  }
  raw._lua_settop(L, -2);
}

/** C's (long long) cast of a double, for the values it defines; NaN and overflow give LLONG_MIN as on x86-64. */
function truncateToLongLong(value: number): bigint | number {
  if (!Number.isFinite(value) || Math.abs(value) >= 9223372036854775808) return -9223372036854775808n;
  const truncated = Math.trunc(value);
  return Number.isSafeInteger(truncated) ? truncated : BigInt(truncated);
}

/** The field `name` of the table at -1 is pushed; returns its type. */
function field(vm: LuaVm, L: number, name: string): number {
  vm.pushString(L, name);
  return vm.raw._lua_rawget(L, -2);
}

function tableToReply(vm: LuaVm, L: number, reply: ReplyBuffer, scriptResp: 2 | 3, depth: number): void {
  const raw = vm.raw;
  const pop = (n: number) => raw._lua_settop(L, -1 - n);
  if (field(vm, L, 'err') === LUA_TSTRING) {
    reply.error(vm.toString(L, -1) ?? '');
    return pop(2);
  }
  pop(1);
  if (field(vm, L, 'ok') === LUA_TSTRING) {
    reply.simple((vm.toString(L, -1) ?? '').replace(/[\r\n]/g, ' '));
    return pop(2);
  }
  pop(1);
  if (field(vm, L, 'double') === LUA_TNUMBER) {
    reply.double(raw._lua_tonumberx(L, -1, 0));
    return pop(2);
  }
  pop(1);
  if (field(vm, L, 'big_number') === LUA_TSTRING) {
    const text = (vm.toString(L, -1) ?? '').replace(/[\r\n]/g, ' ');
    if (reply.resp === 3) reply.raw('(' + text + '\r\n');
    else reply.bulk(text);
    return pop(2);
  }
  pop(1);
  if (field(vm, L, 'verbatim_string') === LUA_TTABLE) {
    const formatType = field(vm, L, 'format');
    const format = formatType === LUA_TSTRING ? vm.toString(L, -1) : null;
    pop(1);
    const stringType = field(vm, L, 'string');
    const text = stringType === LUA_TSTRING ? vm.toString(L, -1) : null;
    pop(1);
    if (format !== null && text !== null && format.length === 3) {
      reply.verbatim(text, format);
      return pop(2);
    }
  }
  pop(1);
  if (field(vm, L, 'map') === LUA_TTABLE) {
    const pairs = countPairs(vm, L);
    reply.mapHeader(pairs);
    raw._lua_pushnil(L);
    while (raw._lua_next(L, -2) !== 0) {
      raw._lua_pushvalue(L, -2);
      luaToReply(vm, L, reply, scriptResp, depth + 1); // the key
      luaToReply(vm, L, reply, scriptResp, depth + 1); // the value
    }
    return pop(2);
  }
  pop(1);
  if (field(vm, L, 'set') === LUA_TTABLE) {
    reply.setHeader(countPairs(vm, L));
    raw._lua_pushnil(L);
    while (raw._lua_next(L, -2) !== 0) {
      raw._lua_settop(L, -2); // the value (true) is not sent
      raw._lua_pushvalue(L, -1);
      luaToReply(vm, L, reply, scriptResp, depth + 1);
    }
    return pop(2);
  }
  pop(1);
  // An array: elements up to the first nil.
  let length = 0;
  while (raw._lua_rawgeti(L, -1, BigInt(length + 1)) !== 0) {
    length++;
    pop(1);
  }
  pop(1);
  reply.arrayHeader(length);
  for (let i = 1; i <= length; i++) {
    raw._lua_rawgeti(L, -1, BigInt(i));
    luaToReply(vm, L, reply, scriptResp, depth + 1);
  }
  pop(1);
}

/** How many entries the table at -1 holds (lua_next over it). */
function countPairs(vm: LuaVm, L: number): number {
  const raw = vm.raw;
  let count = 0;
  raw._lua_pushnil(L);
  while (raw._lua_next(L, -2) !== 0) {
    count++;
    raw._lua_settop(L, -2);
  }
  return count;
}
