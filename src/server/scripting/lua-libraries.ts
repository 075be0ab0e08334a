// cjson and cmsgpack as Redis embeds them (lua-cjson 2.1, lua-cmsgpack 0.4), written in Lua for
// the node's Lua 5.4. Lua 5.1 had only doubles, so decoded integral numbers come back as integers
// (they print as "5", not "5.0"), and numbers encode with "%.14g" as cjson's default precision.
// Runs inside the prelude, before the standard libraries are trimmed: it keeps what it needs local.

export const LUA_LIBRARIES = String.raw`
do -- the libraries' locals stay inside: the prelude after them reuses some of their names
local floor, huge, format, byte, char, sub, concat = math.floor, math.huge, string.format, string.byte, string.char, string.sub, table.concat
local spack, sunpack, tointeger, mathtype, utf8char, tunpack = string.pack, string.unpack, math.tointeger, math.type, utf8.char, table.unpack
local type, pairs, error, tostring, tonumber, select = type, pairs, error, tostring, tonumber, select

-- Errors are raised without a position, then re-raised at the script's call (as Redis's C libraries report them).
local raw_pcall = pcall
local function fail(message) error(message, 0) end

local function integral(n) return n == floor(n) and n > -9007199254740992 and n < 9007199254740992 end
local function as51(n) if integral(n) then return tointeger(n) or n end return n end

-- cjson -------------------------------------------------------------------------------------------
local json_null = setmetatable({}, {__tostring = function() return 'null' end, __metatable = false})
local encode_max_depth, decode_max_depth, encode_invalid = 1000, 1000, false
local escapes = {['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
local function escape_string(s)
  return '"' .. s:gsub('[%c"\\/]', function(c) return escapes[c] or format('\\u%04x', byte(c)) end) .. '"'
end
local function encode_number(n)
  if n ~= n or n == huge or n == -huge then
    if not encode_invalid then fail('Cannot serialise number: must not be NaN or Inf') end
    if n ~= n then return 'nan' end
    return n > 0 and 'inf' or '-inf'
  end
  if mathtype(n) == 'integer' then return tostring(n) end
  return format('%.14g', n)
end
local encode_value
local function array_length(t)
  local max, items = 0, 0
  for k in pairs(t) do
    if type(k) == 'number' and k > 0 and k == floor(k) then
      if k > max then max = k end
      items = items + 1
    else
      return -1
    end
  end
  if max > 10 and max > items * 2 then fail('Cannot serialise table: excessively sparse array') end
  return max
end
encode_value = function(v, depth)
  local t = type(v)
  if t == 'string' then return escape_string(v) end
  if t == 'number' then return encode_number(v) end
  if t == 'boolean' then return v and 'true' or 'false' end
  if t == 'nil' or v == json_null then return 'null' end
  if t ~= 'table' then fail('Cannot serialise ' .. t .. ': type not supported') end
  depth = depth + 1
  if depth > encode_max_depth then fail('Cannot serialise, excessive nesting (' .. depth .. ')') end
  local n = array_length(v)
  local out = {}
  if n > 0 then
    for i = 1, n do out[i] = encode_value(v[i], depth) end
    return '[' .. concat(out, ',') .. ']'
  end
  for k, value in pairs(v) do
    local key
    if type(k) == 'string' then key = escape_string(k)
    elseif type(k) == 'number' then key = '"' .. encode_number(k) .. '"'
    else fail('Cannot serialise ' .. type(k) .. ': table key must be a number or string') end
    out[#out + 1] = key .. ':' .. encode_value(value, depth)
  end
  return '{' .. concat(out, ',') .. '}'
end

local token_names = {['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN', [']'] = 'T_ARR_END', ['"'] = 'T_STRING', [':'] = 'T_COLON', [','] = 'T_COMMA', t = 'T_BOOLEAN', f = 'T_BOOLEAN', n = 'T_NULL'}
local function decode_error(what, text, pos)
  local c = sub(text, pos, pos)
  local found = c == '' and 'T_END' or token_names[c] or (c:match('[-%d]') and 'T_NUMBER') or 'invalid token'
  fail(format('Expected %s but found %s at character %d', what, found, pos))
end
local function skip(text, pos)
  local _, e = text:find('^[ \n\r\t]*', pos)
  return e + 1
end
local decode_value
local function decode_string(text, pos)
  local out, i = {}, pos + 1
  while true do
    local c = sub(text, i, i)
    if c == '' then decode_error('string', text, pos) end
    if c == '"' then return concat(out), i + 1 end
    if c == '\\' then
      local e = sub(text, i + 1, i + 1)
      local map = {b = '\b', f = '\f', n = '\n', r = '\r', t = '\t', ['"'] = '"', ['\\'] = '\\', ['/'] = '/'}
      if map[e] then out[#out + 1] = map[e]; i = i + 2
      elseif e == 'u' then
        local code = tonumber(sub(text, i + 2, i + 5), 16)
        if not code then decode_error('string', text, i) end
        if code >= 0xD800 and code <= 0xDBFF and sub(text, i + 6, i + 7) == '\\u' then
          local low = tonumber(sub(text, i + 8, i + 11), 16)
          if low and low >= 0xDC00 and low <= 0xDFFF then
            code = 0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00)
            i = i + 6
          end
        end
        out[#out + 1] = utf8char(code); i = i + 6
      else decode_error('string', text, i) end
    else
      out[#out + 1] = c; i = i + 1
    end
  end
end
decode_value = function(text, pos, depth)
  pos = skip(text, pos)
  local c = sub(text, pos, pos)
  if c == '{' or c == '[' then
    depth = depth + 1
    if depth > decode_max_depth then fail(format('Found too many nested data structures (%d) at character %d', depth, pos)) end
  end
  if c == '{' then
    local t = {}
    pos = skip(text, pos + 1)
    if sub(text, pos, pos) == '}' then return t, pos + 1 end
    while true do
      if sub(text, pos, pos) ~= '"' then decode_error('object key string', text, pos) end
      local k; k, pos = decode_string(text, pos)
      pos = skip(text, pos)
      if sub(text, pos, pos) ~= ':' then decode_error('colon', text, pos) end
      t[k], pos = decode_value(text, pos + 1, depth)
      pos = skip(text, pos)
      local d = sub(text, pos, pos)
      if d == '}' then return t, pos + 1 end
      if d ~= ',' then decode_error('comma or object end', text, pos) end
      pos = skip(text, pos + 1)
    end
  elseif c == '[' then
    local t, n = {}, 0
    pos = skip(text, pos + 1)
    if sub(text, pos, pos) == ']' then return t, pos + 1 end
    while true do
      n = n + 1
      t[n], pos = decode_value(text, pos, depth)
      pos = skip(text, pos)
      local d = sub(text, pos, pos)
      if d == ']' then return t, pos + 1 end
      if d ~= ',' then decode_error('comma or array end', text, pos) end
      pos = pos + 1
    end
  elseif c == '"' then return decode_string(text, pos)
  elseif sub(text, pos, pos + 3) == 'true' then return true, pos + 4
  elseif sub(text, pos, pos + 4) == 'false' then return false, pos + 5
  elseif sub(text, pos, pos + 3) == 'null' then return json_null, pos + 4
  else
    local number = text:match('^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
    local value = number and tonumber(number)
    if not value then decode_error('value', text, pos) end
    return as51(value), pos + #number
  end
end

local function decode_all(text)
  if type(text) ~= 'string' then fail("bad argument #1 to 'decode' (string expected)") end
  local value, pos = decode_value(text, 1, 0)
  pos = skip(text, pos)
  if pos <= #text then decode_error('the end', text, pos) end
  return value
end

cjson = {
  encode = function(v)
    local ok, result = raw_pcall(encode_value, v, 0)
    if not ok then error(result, 2) end
    return result
  end,
  decode = function(text)
    local ok, result = raw_pcall(decode_all, text)
    if not ok then error(result, 2) end
    return result
  end,
  null = json_null,
  encode_max_depth = function(n) if n then encode_max_depth = n end return encode_max_depth end,
  decode_max_depth = function(n) if n then decode_max_depth = n end return decode_max_depth end,
  encode_invalid_numbers = function(on) if on ~= nil then encode_invalid = on and true or false end return encode_invalid end,
  encode_keep_buffer = function() return true end,
  encode_number_precision = function() return 14 end,
  decode_invalid_numbers = function() return true end,
  encode_sparse_array = function() return false, 2, 10 end,
  _NAME = 'cjson', _VERSION = '2.1.0',
}

-- cmsgpack ----------------------------------------------------------------------------------------
local MAX_NESTING = 16
local pack_value
local function is_array(t)
  local count, max = 0, 0
  for k in pairs(t) do
    if type(k) ~= 'number' or k < 1 or k ~= floor(k) then return false end
    count = count + 1
    if k > max then max = k end
  end
  return max == count, count
end
local function pack_number(n)
  if integral(n) then
    n = tointeger(n)
    if n >= 0 then
      if n < 128 then return char(n) end
      if n < 256 then return '\xcc' .. char(n) end
      if n < 65536 then return spack('>B I2', 0xcd, n) end
      if n < 4294967296 then return spack('>B I4', 0xce, n) end
      return spack('>B i8', 0xcf, n)
    end
    if n >= -32 then return char(0x100 + n) end
    if n >= -128 then return spack('>B i1', 0xd0, n) end
    if n >= -32768 then return spack('>B i2', 0xd1, n) end
    if n >= -2147483648 then return spack('>B i4', 0xd2, n) end
    return spack('>B i8', 0xd3, n)
  end
  if sunpack('>f', spack('>f', n)) == n then return spack('>B f', 0xca, n) end
  return spack('>B d', 0xcb, n)
end
pack_value = function(v, depth)
  local t = type(v)
  if t == 'nil' then return '\xc0' end
  if t == 'boolean' then return v and '\xc3' or '\xc2' end
  if t == 'number' then return pack_number(v) end
  if t == 'string' then
    local n = #v
    if n < 32 then return char(0xa0 + n) .. v end
    if n < 256 then return spack('>B B', 0xd9, n) .. v end
    if n < 65536 then return spack('>B I2', 0xda, n) .. v end
    return spack('>B I4', 0xdb, n) .. v
  end
  if t ~= 'table' or depth >= MAX_NESTING then return '\xc0' end
  local array, count = is_array(v)
  local out = {}
  if array then
    if count < 16 then out[1] = char(0x90 + count)
    elseif count < 65536 then out[1] = spack('>B I2', 0xdc, count)
    else out[1] = spack('>B I4', 0xdd, count) end
    for i = 1, count do out[#out + 1] = pack_value(v[i], depth + 1) end
  else
    count = 0
    for _ in pairs(v) do count = count + 1 end
    if count < 16 then out[1] = char(0x80 + count)
    elseif count < 65536 then out[1] = spack('>B I2', 0xde, count)
    else out[1] = spack('>B I4', 0xdf, count) end
    for k, value in pairs(v) do
      out[#out + 1] = pack_value(k, depth + 1)
      out[#out + 1] = pack_value(value, depth + 1)
    end
  end
  return concat(out)
end

local unpack_value
local function unpack_items(data, pos, n, map)
  local t = {}
  for i = 1, n do
    if map then
      local k, v
      k, pos = unpack_value(data, pos)
      v, pos = unpack_value(data, pos)
      if k ~= nil then t[k] = v end
    else
      t[i], pos = unpack_value(data, pos)
    end
  end
  return t, pos
end
unpack_value = function(data, pos)
  local b = byte(data, pos)
  if not b then fail('Missing bytes in input.') end
  if b < 0x80 then return b, pos + 1 end
  if b >= 0xe0 then return b - 0x100, pos + 1 end
  if b >= 0xa0 and b < 0xc0 then local n = b - 0xa0 return sub(data, pos + 1, pos + n), pos + 1 + n end
  if b >= 0x90 and b < 0xa0 then return unpack_items(data, pos + 1, b - 0x90, false) end
  if b >= 0x80 and b < 0x90 then return unpack_items(data, pos + 1, b - 0x80, true) end
  if b == 0xc0 then return nil, pos + 1 end
  if b == 0xc2 then return false, pos + 1 end
  if b == 0xc3 then return true, pos + 1 end
  local formats = {[0xcc] = '>B', [0xcd] = '>I2', [0xce] = '>I4', [0xcf] = '>i8', [0xd0] = '>i1', [0xd1] = '>i2', [0xd2] = '>i4', [0xd3] = '>i8', [0xca] = '>f', [0xcb] = '>d'}
  if formats[b] then
    local v, next = sunpack(formats[b], data, pos + 1)
    if b == 0xca or b == 0xcb then v = as51(v) end
    return v, next
  end
  local lengths = {[0xd9] = '>B', [0xda] = '>I2', [0xdb] = '>I4', [0xc4] = '>B', [0xc5] = '>I2', [0xc6] = '>I4'}
  if lengths[b] then
    local n, start = sunpack(lengths[b], data, pos + 1)
    return sub(data, start, start + n - 1), start + n
  end
  if b == 0xdc or b == 0xdd then local n, start = sunpack(b == 0xdc and '>I2' or '>I4', data, pos + 1) return unpack_items(data, start, n, false) end
  if b == 0xde or b == 0xdf then local n, start = sunpack(b == 0xde and '>I2' or '>I4', data, pos + 1) return unpack_items(data, start, n, true) end
  fail('Bad data format in input.')
end
local function unpack_limited(data, limit, offset)
  local results, pos, count = {}, offset + 1, 0
  while pos <= #data and (limit == 0 or count < limit) do
    count = count + 1
    results[count], pos = unpack_value(data, pos)
  end
  return pos > #data and -1 or pos - 1, count, results
end

cmsgpack = {
  pack = function(...)
    local n = select('#', ...)
    if n == 0 then fail('MessagePack pack needs input.') end
    local out = {}
    for i = 1, n do out[i] = pack_value((select(i, ...)), 0) end
    return concat(out)
  end,
  unpack = function(data)
    local _, count, results = unpack_limited(data, 0, 0)
    return tunpack(results, 1, count)
  end,
  unpack_one = function(data, offset)
    local next, count, results = unpack_limited(data, 1, offset or 0)
    return next, tunpack(results, 1, count)
  end,
  unpack_limit = function(data, limit, offset)
    local next, count, results = unpack_limited(data, limit, offset or 0)
    return next, tunpack(results, 1, count)
  end,
  _NAME = 'cmsgpack', _VERSION = 'lua-cmsgpack 0.4.0',
}
end
`;
