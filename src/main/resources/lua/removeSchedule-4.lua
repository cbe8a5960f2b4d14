--[[
  Deletes a schedule (the jobs of its fires stay; one enqueued ahead of a fire time still to come is taken back).
  KEYS[1] schedules hash   KEYS[2] schedule-next zset   KEYS[3] schedule-state hash   KEYS[4] delayed zset
  ARGV[1] name   ARGV[2] job key prefix
  Returns 1 when it existed.
]]
--- @include "scheduleAhead"
local specsKey, nextKey, stateKey, delayedKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local name = ARGV[1]
takeBackAhead(stateKey, delayedKey, ARGV[2], name)
redis.call('ZREM', nextKey, name)
redis.call('HDEL', stateKey, name .. ':fires', name .. ':paused', name .. ':source', name .. ':claim')
return redis.call('HDEL', specsKey, name)
