--[[
  One page of the ids in a state zset: delayed and active in score order, dead and completed newest first
  (ready, which spans two keys, has listReady).
  KEYS[1] the state zset
  ARGV[1] offset   ARGV[2] page size   ARGV[3] 1 for newest first
  Returns: total in the set, then the ids of the page.
]]
local setKey = KEYS[1]
local from = tonumber(ARGV[1])
local to = from + tonumber(ARGV[2]) - 1
local ids
if ARGV[3] == '1' then
  ids = redis.call('ZREVRANGE', setKey, from, to)
else
  ids = redis.call('ZRANGE', setKey, from, to)
end
local out = {redis.call('ZCARD', setKey)}
for i, id in ipairs(ids) do out[i + 1] = id end
return out
