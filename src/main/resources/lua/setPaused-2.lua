--[[
  Pauses or resumes a queue. Paused workers keep their running jobs but fetch no more.
  KEYS[1] meta hash   KEYS[2] wake-up list
  ARGV[1] 1 to pause, 0 to resume
  Returns 1 when the state changed.
]]
local metaKey, wakeKey = KEYS[1], KEYS[2]
if ARGV[1] == '1' then
  return redis.call('HSET', metaKey, 'paused', '1')
end
local changed = redis.call('HDEL', metaKey, 'paused')
if redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
return changed
