--[[
  Closes a batch: it takes no more jobs, and once they have all ended (now, or when the last one does:
  flowChildDone) it is done and its callbacks are told (batchEnded).
  KEYS[1] the batch's record   KEYS[2] waiting zset   KEYS[3] completed zset   KEYS[4] flow-out list
  ARGV[1] the record's id   ARGV[2] the queue's name
  Returns 1, 0 when there is no such batch.
]]
--- @include "batchEnded"
local key, waitingKey, completedKey, flowOutKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('HEXISTS', key, 'bt') == 0 then return 0 end
redis.call('HDEL', key, 'bo')
if redis.call('ZSCORE', waitingKey, ARGV[1]) and (tonumber(redis.call('HGET', key, 'fp')) or 0) <= 0 then
  local t = redis.call('TIME')
  batchEnded(key, ARGV[1], ARGV[2], waitingKey, completedKey, flowOutKey,
    string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)))
end
return 1
