--[[
  Deletes a schedule (the jobs it enqueued stay).
  KEYS[1] schedules hash   KEYS[2] schedule-next zset   KEYS[3] schedule-state hash
  ARGV[1] name
  Returns 1 when it existed.
]]
local specsKey, nextKey, stateKey = KEYS[1], KEYS[2], KEYS[3]
local name = ARGV[1]
redis.call('ZREM', nextKey, name)
redis.call('HDEL', stateKey, name .. ':fires', name .. ':paused', name .. ':source', name .. ':claim')
return redis.call('HDEL', specsKey, name)
