// Redis's rand48 (rand.c), behind math.random and math.randomseed in scripts: one sequence per
// node, shared by EVAL and functions, starting from rand48's fixed seed, so scripts draw the same
// numbers as on redis-server. They are C functions there; here JS ones, so an error in a tail
// call (`return math.random(0)`) still names the script's line.

import type { LuaVm } from './lua-runtime';

const MASK_48 = 0xffffffffffffn;
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const SEED_LOW = 0x330en;

export class RedisRandom {
  private state = 0x1234abcd330en;

  /** redisSrand48: the seed's 32 bits above rand48's fixed low word. */
  seed(value: number): void {
    const seed = BigInt.asUintN(32, BigInt(Math.trunc(value)));
    this.state = (seed << 16n) | SEED_LOW;
  }

  /** redisLrand48: the next 31-bit value. */
  next(): number {
    this.state = (MULTIPLIER * this.state + ADDEND) & MASK_48;
    return Number(this.state >> 17n);
  }
}

const LRAND48_MAX = 2147483647;

/** math.random and math.randomseed as Redis's patched lmathlib (Lua 5.1) defines them. */
export function mathRandomFunctions(vm: LuaVm, random: RedisRandom): Record<string, (L: number) => number> {
  const raw = vm.raw;
  const fail = (L: number, message: string): number => {
    vm.pushString(L, vm.where(L) + message);
    return raw._lua_error(L);
  };
  /** luaL_checkint: a number or numeric string, truncated; else Lua's "number expected" error. */
  const checkInt = (L: number, position: number, name: string): number | null => {
    const value = vm.toNumberOrNull(L, position);
    if (value === null) {
      const type = raw._lua_type(L, position);
      const typeName = type === -1 ? 'no value' : ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'][type] ?? 'value';
      fail(L, `bad argument #${position} to '${name}' (number expected, got ${typeName})`);
      return null;
    }
    return Math.trunc(value);
  };
  return {
    math_random: (L) => {
      const count = raw._lua_gettop(L);
      const r = (random.next() % LRAND48_MAX) / LRAND48_MAX;
      if (count === 0) {
        raw._lua_pushnumber(L, r);
        return 1;
      }
      let lower = 1;
      let upper: number | null;
      if (count === 1) {
        upper = checkInt(L, 1, 'random');
        if (upper === null) return 0;
        if (upper < 1) return fail(L, "bad argument #1 to 'random' (interval is empty)");
      } else if (count === 2) {
        const low = checkInt(L, 1, 'random');
        upper = checkInt(L, 2, 'random');
        if (low === null || upper === null) return 0;
        if (low > upper) return fail(L, "bad argument #2 to 'random' (interval is empty)");
        lower = low;
      } else {
        return fail(L, 'wrong number of arguments');
      }
      raw._lua_pushinteger(L, BigInt(Math.floor(r * (upper - lower + 1)) + lower));
      return 1;
    },
    math_randomseed: (L) => {
      const seed = checkInt(L, 1, 'randomseed');
      if (seed !== null) random.seed(seed);
      return 0;
    },
  };
}
