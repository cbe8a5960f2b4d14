--[[
  Moves dead jobs back to ready with a fresh set of attempts.
  KEYS[1] dead   KEYS[2] ready   KEYS[3] stats hash   KEYS[4] wake-up list
  ARGV[1] job key prefix   ARGV[2] most jobs when no ids are given, then the ids (none = the oldest dead jobs)
  Returns the number of jobs moved.
]]
local prefix = ARGV[1]
local ids = {}
if #ARGV > 2 then
  for i = 3, #ARGV do ids[#ids + 1] = ARGV[i] end
else
  ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
end
local moved = 0
for _, id in ipairs(ids) do
  if redis.call('ZREM', KEYS[1], id) == 1 then
    local key = prefix .. id
    redis.call('HSET', key, 'am', 0, 'sc', 0)
    redis.call('HDEL', key, 'ft')
    redis.call('ZADD', KEYS[2], readyScoreOf(prefix, id), id)
    moved = moved + 1
  end
end
if moved > 0 then
  redis.call('HINCRBY', KEYS[3], 'revived', moved)
  if redis.call('LLEN', KEYS[4]) == 0 then redis.call('LPUSH', KEYS[4], '1') end
end
return moved
