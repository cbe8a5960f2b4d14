--[[
  Pauses or resumes a queue. Paused workers keep their running jobs but fetch no more.
  KEYS[1] meta hash   KEYS[2] wake-up list
  ARGV[1] 1 to pause, 0 to resume
  Returns 1 when the state changed.
]]
if ARGV[1] == '1' then
  return redis.call('HSET', KEYS[1], 'paused', '1')
end
local changed = redis.call('HDEL', KEYS[1], 'paused')
if redis.call('LLEN', KEYS[2]) == 0 then redis.call('LPUSH', KEYS[2], '1') end
return changed
