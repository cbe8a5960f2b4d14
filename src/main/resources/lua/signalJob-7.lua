--[[
  Sends a job a signal (see Job#waitFor): its data is kept with the job (field "sg:<name>", the last one sent wins)
  until the job waits for it; a job waiting for this signal (field wf names it, before its deadline) and parked in
  the delayed zset is made ready now. A job that has finished takes no signal.
  KEYS[1] job hash   KEYS[2] delayed zset   KEYS[3] ready zset   KEYS[4] specs hash   KEYS[5] wake-up list
  KEYS[6] completed zset   KEYS[7] dead zset
  ARGV[1] job key prefix   ARGV[2] id   ARGV[3] the signal's name   ARGV[4] its data as JSON
  Returns: missing (no such job), finished (completed or dead), woken (it waited for it and is ready now), kept.
]]
--- @include "toReady"
local jobKey, delayedKey, readyKey, specsKey, wakeKey, completedKey, deadKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local prefix, id, name = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', jobKey) == 0 and redis.call('HEXISTS', specsKey, id) == 0 then return 'missing' end
if redis.call('ZSCORE', completedKey, id) or redis.call('ZSCORE', deadKey, id) then return 'finished' end
redis.call('HSET', jobKey, 'sg:' .. name, ARGV[4])
local wf = redis.call('HGET', jobKey, 'wf')
if not wf then return 'kept' end
local nul = string.find(wf, '\0', 1, true)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if string.sub(wf, 1, nul - 1) ~= name or tonumber(string.sub(wf, nul + 1)) <= now then return 'kept' end
if redis.call('ZREM', delayedKey, id) == 0 then return 'kept' end -- still running: its finish sees the signal
redis.call('HDEL', jobKey, 'wf', 'ra')
toReady(prefix, specsKey, readyKey, id)
if redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
return 'woken'
