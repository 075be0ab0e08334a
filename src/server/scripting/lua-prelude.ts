// The Lua code run once in every new scripting state, before any user script. It shapes Lua 5.4
// into what scripts see in Redis 7.0's Lua 5.1 sandbox: the 5.1 names scripts use (unpack,
// loadstring, table.getn, math.pow...), no io/os/require/debug, the `bit` library, globals that
// cannot be created or read when missing, and read-only library tables, with Redis's messages.
//
// `__redis_native` holds the JS functions (redis.call and friends) registered just before this runs.
// It returns the internals the engine calls (run, load_mode, collectgarbage), which JS keeps by reference:
// looking them up as globals from JS could raise outside a protected call and abort the VM.

import { LUA_LIBRARIES } from './lua-libraries';

export const LUA_PRELUDE = LUA_LIBRARIES + String.raw`
local G = _G
local setmetatable, pairs, ipairs, error, next, type = setmetatable, pairs, ipairs, error, next, type
local native = __redis_native
local raw_redis = native.redis
__redis_native = nil
local dbg = debug
local rawtostring = tostring
local floor = math.floor

unpack = table.unpack
-- Text chunks only: a binary chunk (string.dump's output) would bypass the compiler's checks.
local raw_load = load
loadstring = function(chunk, name)
  if type(chunk) == 'string' and chunk:byte(1) == 27 then return nil, 'binary chunks are not allowed' end
  return raw_load(chunk, name, 't')
end
load = function(chunk, name) return raw_load(chunk, name, 't') end
gcinfo = function() return floor(collectgarbage('count')) end
math.pow = function(x, y) return x ^ y end
math.mod = math.fmod
math.atan2 = function(y, x) return math.atan(y, x) end
math.log10 = function(x) return math.log(x, 10) end
math.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
math.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
math.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.frexp = function(x)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
  local e = floor(math.log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m = m / 2 e = e + 1 elseif math.abs(m) < 0.5 then m = m * 2 e = e - 1 end
  return m, e
end
-- Redis's math.random and math.randomseed: rand48, one sequence for the node (redis-random.ts).
math.random = native.math_random
math.randomseed = native.math_randomseed
math.tointeger, math.ult, math.maxinteger, math.mininteger, math.type = nil, nil, nil, nil, nil
table.getn = function(t) return #t end
table.setn = function() error("'setn' is obsolete", 2) end
table.maxn = function(t)
  local max = 0
  for k in pairs(t) do if type(k) == 'number' and k > max then max = k end end
  return max
end
table.foreach = function(t, f) for k, v in pairs(t) do local r = f(k, v) if r ~= nil then return r end end end
table.foreachi = function(t, f) for i = 1, #t do local r = f(i, t[i]) if r ~= nil then return r end end end
table.move, table.pack, table.unpack = nil, nil, nil
string.gfind = string.gmatch
string.pack, string.unpack, string.packsize = nil, nil, nil

-- Lua 5.1's tostring of an integral float has no ".0" (scripts build keys with it).
tostring = function(v)
  if type(v) == 'number' and v == floor(v) and v > -1e15 and v < 1e15 then return string.format('%d', v) end
  return rawtostring(v)
end

-- LuaBitOp (the "bit" module Redis embeds): 32-bit signed results.
local function tobit(x)
  x = floor(x) % 4294967296
  if x >= 2147483648 then x = x - 4294967296 end
  return x
end
local function u32(x) return floor(x) % 4294967296 end
bit = {
  tobit = tobit,
  bnot = function(x) return tobit(~u32(x)) end,
  band = function(x, ...) local r = u32(x) for _, v in ipairs({...}) do r = r & u32(v) end return tobit(r) end,
  bor = function(x, ...) local r = u32(x) for _, v in ipairs({...}) do r = r | u32(v) end return tobit(r) end,
  bxor = function(x, ...) local r = u32(x) for _, v in ipairs({...}) do r = r ~ u32(v) end return tobit(r) end,
  lshift = function(x, n) return tobit(u32(x) << (floor(n) % 32)) end,
  rshift = function(x, n) return tobit(u32(x) >> (floor(n) % 32)) end,
  arshift = function(x, n) local v = tobit(x) n = floor(n) % 32 return tobit(floor(v / 2 ^ n)) end,
  rol = function(x, n) n = floor(n) % 32 local v = u32(x) return tobit((v << n) | (v >> (32 - n))) end,
  ror = function(x, n) n = floor(n) % 32 local v = u32(x) return tobit((v >> n) | (v << (32 - n))) end,
  bswap = function(x) local v = u32(x) return tobit(((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | (v >> 24)) end,
  tohex = function(x, n)
    n = n or 8
    local upper = n < 0
    if upper then n = -n end
    local s = string.format(upper and '%08X' or '%08x', u32(x))
    return s:sub(-n)
  end,
}

redis = native.redis

-- Redis's error handler: string errors become {err='ERR ...'}, and every error table learns where it was raised.
-- Lua 5.4 names the culprit after the value ("attempt to index a nil value (local 't')"); 5.1
-- before it ("attempt to index local 't' (a nil value)"), which is what Redis's errors show.
local function lua51_message(message)
  return (message:gsub("attempt to (.-) a (%w+) value %((%w+) '(.-)'%)", "attempt to %1 %3 '%4' (a %2 value)"))
end

-- The sandbox's own guards (missing global, read-only table) are C functions in Redis: skipped like them.
function __redis__err__handler(err)
  local level = 2
  local i = dbg.getinfo(level, 'nSl')
  if i and i.what == 'C' then
    level = level + 1
    i = dbg.getinfo(level, 'nSl')
  end
  while i and i.source == '@redis_prelude' do
    level = level + 1
    i = dbg.getinfo(level, 'nSl')
  end
  if type(err) ~= 'table' then err = {err = 'ERR ' .. lua51_message(rawtostring(err))} end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

-- Runs a script body inside the coroutine the engine resumes, trapping its errors with the handler above.
local handler = __redis__err__handler
local xpcall = xpcall
local function ok_and_first(ok, value) return ok, value end
local function run(f, ...) return ok_and_first(xpcall(f, handler, ...)) end

-- Redis 7's pcall hands a caught error table's message back as a string, as Redis 6's errors were.
local raw_pcall = pcall
local function caught(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local message = rawget(e, 'err')
    if type(message) == 'string' or type(message) == 'number' then e = message end
  end
  return false, e
end
pcall = function(...) return caught(raw_pcall(...)) end

dofile, loadfile, print, require, package, io, os, debug, utf8, warn, rawlen = nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil

-- Tables scripts may not change, nor re-metatable: getmetatable shows them a read-only stand-in.
local protected = setmetatable({}, {__mode = 'k'})
local function deny() error('Attempt to modify a readonly table', 2) end
local shown_meta = {}
setmetatable(shown_meta, {__index = {}, __newindex = deny, __metatable = shown_meta})
local function readonly(t)
  local proxy = setmetatable({}, {
    __index = t,
    __newindex = deny,
    __pairs = function() return next, t, nil end,
    __len = function() return #t end,
    __metatable = shown_meta,
  })
  protected[proxy] = true
  return proxy
end
local raw_setmetatable = setmetatable
local function guarded_setmetatable(t, meta)
  if protected[t] then error('Attempt to modify a readonly table', 0) end
  return raw_setmetatable(t, meta)
end
for _, name in ipairs({'redis', 'bit', 'cjson', 'cmsgpack', 'string', 'math', 'table', 'coroutine'}) do
  if _G[name] ~= nil then _G[name] = readonly(_G[name]) end
end

-- Globals: every existing one moves behind the read-only global table; reading a missing one fails.
local base = {}
for k, v in pairs(G) do base[k] = v end
for k in pairs(base) do G[k] = nil end
base._G = G
setmetatable(base, {__index = function(_, name)
  error("Script attempted to access nonexistent global variable '" .. rawtostring(name) .. "'", 2)
end})
local globals_meta = {
  __index = base,
  __newindex = deny,
  __metatable = shown_meta,
}
setmetatable(G, globals_meta)
protected[G] = true
base.setmetatable = guarded_setmetatable

-- FUNCTION LOAD runs library code with only what a library may call while loading.
-- register_function exists only there: a function calling it at run time finds a nil field.
local load_redis = {}
for _, name in ipairs({'register_function', 'log', 'LOG_DEBUG', 'LOG_VERBOSE', 'LOG_NOTICE', 'LOG_WARNING', 'REDIS_VERSION', 'REDIS_VERSION_NUM'}) do
  load_redis[name] = raw_redis[name]
end
raw_redis.register_function = nil
local function missing(_, name)
  error("Script attempted to access nonexistent global variable '" .. rawtostring(name) .. "'", 2)
end
setmetatable(load_redis, {__index = missing})
local load_globals = setmetatable({redis = readonly(load_redis)}, {__index = missing})
local function load_mode(on)
  globals_meta.__index = on and load_globals or base
end

-- What the engine calls from JS, kept in the registry rather than reachable (and replaceable) as globals.
return {run = run, load_mode = load_mode, collectgarbage = collectgarbage}
`;
