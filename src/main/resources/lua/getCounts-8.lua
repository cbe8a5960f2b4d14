--[[
  A queue's counts per state, its paused flag and its lifetime counters, in one round trip.
  KEYS[1] ready   KEYS[2] delayed   KEYS[3] active   KEYS[4] dead   KEYS[5] completed   KEYS[6] meta   KEYS[7] stats
  KEYS[8] ready fifo list (ready counts the ready zset and this list)
  Returns: ready, delayed, active, dead, completed, paused (1/0), then the stats hash as field, value pairs.
]]
local out = {}
for i = 1, 5 do out[i] = redis.call('ZCARD', KEYS[i]) end
out[1] = out[1] + redis.call('LLEN', KEYS[8])
out[6] = redis.call('HGET', KEYS[6], 'paused') == '1' and 1 or 0
local stats = redis.call('HGETALL', KEYS[7])
for i = 1, #stats do out[6 + i] = stats[i] end
return out
