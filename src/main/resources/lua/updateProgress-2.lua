--[[
  Stores a running job's progress, unless the job is gone or another run holds it now.
  KEYS[1] job hash   KEYS[2] active zset
  ARGV[1] id   ARGV[2] token (see tokenAttempt)   ARGV[3] progress JSON
  Returns 1 when stored.
]]
--- @include "lease"
local jobKey, activeKey = KEYS[1], KEYS[2]
-- the lease proves the job is there (a running job cannot be removed, retention deletes finished ones only); a
-- plain job's hash is created here, holding what its run leaves (see specsKey)
if not holds(redis.call('ZSCORE', activeKey, ARGV[1]), ARGV[2]) then return 0 end
redis.call('HSET', jobKey, 'pg', ARGV[3])
return 1
