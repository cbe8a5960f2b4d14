--[[
  Deletes finished jobs (completed or dead) that finished more than a given time ago, at most ARGV[2] per call (the
  caller repeats until fewer come back, so one call never blocks Redis long).
  KEYS[1] the completed or dead zset (ids by finish time)
  KEYS[2] specs hash (plain jobs' specs, field = id)   KEYS[3] done hash (kept completed runs, field = id)
  ARGV[1] job key prefix   ARGV[2] most jobs this call   ARGV[3] age ms: those finished before Redis time minus this
    (0: all of them)
  Returns the number deleted.
]]
--- @include "deleteJobs"
local setKey, specsKey, doneKey = KEYS[1], KEYS[2], KEYS[3]
local age = tonumber(ARGV[3])
local ids
if age == 0 then
  ids = redis.call('ZRANGE', setKey, 0, tonumber(ARGV[2]) - 1)
else
  local t = redis.call('TIME')
  local before = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - age
  ids = redis.call('ZRANGEBYSCORE', setKey, '-inf', '(' .. string.format('%d', before), 'LIMIT', 0, tonumber(ARGV[2]))
end
if #ids == 0 then return 0 end
deleteJobs(ARGV[1], specsKey, doneKey, ids)
callChunked('ZREM', setKey, ids)
return #ids
