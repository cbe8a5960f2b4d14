--[[
  A queue's counts per state, its paused flag and its lifetime counters, in one round trip.
  KEYS[1] ready   KEYS[2] delayed   KEYS[3] active   KEYS[4] dead   KEYS[5] completed   KEYS[6] meta   KEYS[7] stats
  KEYS[8] ready fifo list (ready counts the ready zset, this list and the meta field groupReady)
  KEYS[9] known groups set   KEYS[10] the rate limiter's window (see limits)
  ARGV[1] the rate window ms (0: the queue has no rate limit, or the caller does not know it)
  Returns: ready, delayed, active, dead, completed, paused (1/0), live groups, jobs started in the rate window now
    (-1 when not asked), the Redis ms until which a "retry later" holds the whole queue (0 none), then the stats hash
    as field, value pairs.
]]
--- @include "limits"
local readyKey, delayedKey, activeKey, deadKey, completedKey, metaKey, statsKey, fifoKey, knownKey, limiterKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local stateKeys = {readyKey, delayedKey, activeKey, deadKey, completedKey}
local out = {}
for i, key in ipairs(stateKeys) do out[i] = redis.call('ZCARD', key) end
-- ready counts the fifo list and the groups' waiting jobs too (see groups)
out[1] = out[1] + redis.call('LLEN', fifoKey) + (tonumber(redis.call('HGET', metaKey, 'groupReady')) or 0)
local flags = redis.call('HMGET', metaKey, 'paused', 'limitedUntil')
out[6] = flags[1] == '1' and 1 or 0
out[7] = redis.call('SCARD', knownKey)
out[8] = -1
local window = tonumber(ARGV[1]) or 0
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if window > 0 then out[8] = windowUsed(limiterKey, window, now) end
local heldUntil = tonumber(flags[2]) or 0
out[9] = heldUntil > now and heldUntil or 0
local stats = redis.call('HGETALL', statsKey)
for i = 1, #stats do out[9 + i] = stats[i] end
return out
