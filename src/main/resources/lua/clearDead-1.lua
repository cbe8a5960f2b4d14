--[[
  Deletes dead jobs, at most ARGV[2] per call (the caller repeats until 0, so one call never blocks Redis long).
  KEYS[1] dead zset
  ARGV[1] job key prefix   ARGV[2] most jobs this call
  Returns the number deleted.
]]
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
if #ids == 0 then return 0 end
deleteJobs(ARGV[1], ids)
callChunked('ZREM', KEYS[1], ids)
return #ids
