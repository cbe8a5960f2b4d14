--[[
  A queue's schedules in one round trip, as flat field/value arrays whatever protocol the client speaks.
  KEYS[1] schedules hash   KEYS[2] schedule-state hash   KEYS[3] schedule-next zset
  Returns: {name, spec, ...}, {"name:field", value, ...}, {name, next fire time, ...}
]]
local specsKey, stateKey, nextKey = KEYS[1], KEYS[2], KEYS[3]
return {redis.call('HGETALL', specsKey), redis.call('HGETALL', stateKey),
  redis.call('ZRANGE', nextKey, 0, -1, 'WITHSCORES')}
