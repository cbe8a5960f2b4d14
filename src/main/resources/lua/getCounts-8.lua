--[[
  A queue's counts per state, its paused flag and its lifetime counters, in one round trip.
  KEYS[1] ready   KEYS[2] delayed   KEYS[3] active   KEYS[4] dead   KEYS[5] completed   KEYS[6] meta   KEYS[7] stats
  KEYS[8] ready fifo list (ready counts the ready zset and this list)
  Returns: ready, delayed, active, dead, completed, paused (1/0), then the stats hash as field, value pairs.
]]
local readyKey, delayedKey, activeKey, deadKey, completedKey, metaKey, statsKey, fifoKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local stateKeys = {readyKey, delayedKey, activeKey, deadKey, completedKey}
local out = {}
for i, key in ipairs(stateKeys) do out[i] = redis.call('ZCARD', key) end
out[1] = out[1] + redis.call('LLEN', fifoKey)
out[6] = redis.call('HGET', metaKey, 'paused') == '1' and 1 or 0
local stats = redis.call('HGETALL', statsKey)
for i = 1, #stats do out[6 + i] = stats[i] end
return out
