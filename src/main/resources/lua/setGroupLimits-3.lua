--[[
  Sets or clears one group's limits at run time (see groups: group-limits); every node's next fetch applies them.
  KEYS[1] group-limits hash   KEYS[2] meta hash   KEYS[3] wake-up list
  ARGV[1] job key prefix   ARGV[2] group   ARGV[3] "concurrency|rate max|rate per ms|weight|smooth", or "" to clear
  (the group goes back to the queue's limits)
  From the first call on, the queue counts every grouped run (meta groupLimits), so a limit set later finds the
  count of runs in progress right. A group that its old limit parked goes back into the rotation, and a sleeping
  worker wakes: the new limit is applied at once, not when the old one would have lifted.
  Returns 1 when the group's limits changed, 0 when they already were so.
]]
--- @include "groups"
local limitsKey, metaKey, wakeKey = KEYS[1], KEYS[2], KEYS[3]
local G = groupKeys(ARGV[1])
local g, value = ARGV[2], ARGV[3]
redis.call('HSET', metaKey, 'groupLimits', '1')
if (redis.call('HGET', limitsKey, g) or '') == value then return 0 end
if value == '' then redis.call('HDEL', limitsKey, g) else redis.call('HSET', limitsKey, g, value) end
if redis.call('ZSCORE', G.parked, g) then
  redis.call('ZREM', G.parked, g)
  groupEnlist(G, g)
end
if groupEnlisted(G, g) and redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
return 1
