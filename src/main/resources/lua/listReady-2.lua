--[[
  One page of the ready jobs' ids, in the order fetchJobs takes them: the ready zset's jobs of priority 0 and
  above, then the fifo list, then the zset's jobs of negative priority.
  KEYS[1] ready zset   KEYS[2] ready fifo list
  ARGV[1] offset   ARGV[2] page size
  Returns: total ready, then the ids of the page.
]]
--- @include "readyScore"
--- @include "fifo"
local readyKey, fifoKey = KEYS[1], KEYS[2]
local pos = tonumber(ARGV[1])
local want = tonumber(ARGV[2])
local high = redis.call('ZCOUNT', readyKey, '-inf', PRIORITY_0_END)
local listed = redis.call('LLEN', fifoKey)
local inZset = redis.call('ZCARD', readyKey)
local out = {inZset + listed}
local function take(ids)
  for _, id in ipairs(ids) do out[#out + 1] = id end
  pos = pos + #ids
  want = want - #ids
end
if want > 0 and pos < high then take(redis.call('ZRANGE', readyKey, pos, math.min(high, pos + want) - 1)) end
if want > 0 and pos >= high and pos < high + listed then
  local entries = redis.call('LRANGE', fifoKey, pos - high, math.min(listed, pos - high + want) - 1)
  for i, e in ipairs(entries) do entries[i] = fifoEntryId(e) end
  take(entries)
end
if want > 0 and pos >= high + listed then
  local r = pos - listed
  take(redis.call('ZRANGE', readyKey, r, r + want - 1))
end
return out
