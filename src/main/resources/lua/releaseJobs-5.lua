--[[
  Graceful stop: puts the jobs a stopping worker could not finish back to ready at once, instead of
  leaving them to wait for their lease to expire.
  KEYS[1] active   KEYS[2] ready   KEYS[3] stats hash   KEYS[4] wake-up list
  KEYS[5] specs hash (plain jobs' specs, field = id)
  ARGV[1] job key prefix, then id and token pairs
  A released run counts as an attempt (the job's attempt count moves on), so the next run has a new token; the
  stats field "reclaimed" counts the jobs taken from their runs, so a finish checks those runs' leases (finishJobs).
  Returns the number of jobs released.
]]
--- @include "lease"
--- @include "toReady"
local activeKey, readyKey, statsKey, wakeKey, specsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix = ARGV[1]
local released, taken = 0, 0
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if holds(redis.call('ZSCORE', activeKey, id), ARGV[i + 1]) then
    redis.call('ZREM', activeKey, id)
    taken = taken + 1
    runEnded(prefix, specsKey, id)
    if toReady(prefix, specsKey, readyKey, id) then
      redis.call('HSET', prefix .. id, 'am', tokenAttemptText(ARGV[i + 1]))
      released = released + 1
    end
  end
end
if taken > 0 then redis.call('HINCRBY', statsKey, 'reclaimed', taken) end
if released > 0 then
  redis.call('HINCRBY', statsKey, 'released', released)
  redis.call('LPUSH', wakeKey, '1')
end
return released
