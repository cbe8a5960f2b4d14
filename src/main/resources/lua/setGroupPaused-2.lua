--[[
  Pauses or resumes one group of a queue: a paused group's jobs wait (its running jobs run to the end), the other
  groups and the ungrouped jobs go on.
  KEYS[1] paused groups set   KEYS[2] wake-up list
  ARGV[1] job key prefix   ARGV[2] group   ARGV[3] 1 pause, 0 resume
  Returns 1 when the state changed, 0 when it already was so.
]]
--- @include "groups"
local pausedKey, wakeKey = KEYS[1], KEYS[2]
local G = groupKeys(ARGV[1])
local g = ARGV[2]
if ARGV[3] == '1' then
  if redis.call('SADD', pausedKey, g) == 0 then return 0 end
  redis.call('SADD', G.known, g)
  groupLeave(G, g)
  redis.call('HSET', G.meta, 'grouped', '1')
  return 1
end
if redis.call('SREM', pausedKey, g) == 0 then return 0 end
groupEnlist(G, g)
if groupEnlisted(G, g) and redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
groupForgetIfIdle(G, g)
return 1
