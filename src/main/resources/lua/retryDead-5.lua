--[[
  Moves dead jobs back to ready with a fresh set of attempts.
  KEYS[1] dead   KEYS[2] ready   KEYS[3] stats hash   KEYS[4] wake-up list
  KEYS[5] specs hash (plain jobs' specs, field = id)
  ARGV[1] job key prefix   ARGV[2] most jobs when no ids are given, then the ids (none = the oldest dead jobs)
  Returns the number of jobs moved.
]]
--- @include "toReady"
local deadKey, readyKey, statsKey, wakeKey, specsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix = ARGV[1]
local ids = {}
if #ARGV > 2 then
  for i = 3, #ARGV do ids[#ids + 1] = ARGV[i] end
else
  ids = redis.call('ZRANGE', deadKey, 0, tonumber(ARGV[2]) - 1)
end
local moved = 0
for _, id in ipairs(ids) do
  if redis.call('ZREM', deadKey, id) == 1 then
    local key = prefix .. id
    redis.call('HSET', key, 'am', 0, 'sc', 0)
    redis.call('HDEL', key, 'ft')
    if toReady(prefix, specsKey, readyKey, id) then moved = moved + 1 end
  end
end
if moved > 0 then
  redis.call('HINCRBY', statsKey, 'revived', moved)
  if redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
end
return moved
