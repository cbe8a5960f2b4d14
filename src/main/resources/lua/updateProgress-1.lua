--[[
  Stores a running job's progress, unless the job is gone or another run holds it now.
  KEYS[1] job hash
  ARGV[1] attempt token   ARGV[2] progress JSON
  Returns 1 when stored.
]]
if redis.call('HGET', KEYS[1], 'am') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'pg', ARGV[2])
return 1
