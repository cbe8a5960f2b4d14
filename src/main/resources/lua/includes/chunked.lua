-- Lua's unpack() fails past about 8,000 values ("too many results to unpack"), and a script that fails midway
-- keeps what it wrote before: every variadic call goes through the helpers below, which pass at most UNPACK_MAX
-- values per command, so a call's size (a bulk, a fetch of 10,000, a retention trim) can never break a script.
local UNPACK_MAX = 4000

-- redis.call(cmd, key, v1, v2, ...) over the values of `list` in chunks (a whole multiple of `stride` values,
-- so field/value and score/member pairs stay together); key nil for commands that take only values (DEL).
-- Returns the sum of the integer replies.
local function callChunked(cmd, key, list, stride)
  local n = #list
  local step = UNPACK_MAX - UNPACK_MAX % (stride or 1)
  local total = 0
  for i = 1, n, step do
    local j = math.min(i + step - 1, n)
    local r
    if key then r = redis.call(cmd, key, unpack(list, i, j)) else r = redis.call(cmd, unpack(list, i, j)) end
    if type(r) == 'number' then total = total + r end
  end
  return total
end

-- ZMSCORE of any number of members: the scores in order (false where a member has none).
local function zmscore(key, members)
  local n = #members
  if n <= UNPACK_MAX then return redis.call('ZMSCORE', key, unpack(members)) end
  local out = {}
  for i = 1, n, UNPACK_MAX do
    local r = redis.call('ZMSCORE', key, unpack(members, i, math.min(i + UNPACK_MAX - 1, n)))
    for k = 1, #r do out[#out + 1] = r[k] end
  end
  return out
end
