--[[
  Deletes dead jobs, at most ARGV[2] per call (the caller repeats until 0, so one call never blocks Redis long).
  KEYS[1] dead zset
  KEYS[2] specs hash (plain jobs' specs, field = id)   KEYS[3] done hash (kept completed runs, field = id)
  ARGV[1] job key prefix   ARGV[2] most jobs this call
  Returns the number deleted.
]]
--- @include "deleteJobs"
local deadKey, specsKey, doneKey = KEYS[1], KEYS[2], KEYS[3]
local ids = redis.call('ZRANGE', deadKey, 0, tonumber(ARGV[2]) - 1)
if #ids == 0 then return 0 end
deleteJobs(ARGV[1], specsKey, doneKey, ids)
callChunked('ZREM', deadKey, ids)
return #ids
