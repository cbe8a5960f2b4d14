--[[
  Records a durable field of a job for the run that holds it: a step's result (see Job#step: field "sr:<name>") or
  the job's cursor (Job#checkpoint: field "cp"), read with the job's fields at its next fetch and kept and deleted
  with the job. A run that no longer holds the job
  (its lease expired on Redis time, or the job was requeued, or another run holds it now) records nothing: the run
  that holds the job runs the step itself.
  KEYS[1] job hash   KEYS[2] active zset
  ARGV[1] id   ARGV[2] token (see tokenAttempt)   ARGV[3] the field   ARGV[4] its value as JSON
  Returns 1 when stored, 0 when the run no longer holds the job.
]]
--- @include "lease"
local jobKey, activeKey = KEYS[1], KEYS[2]
local score = redis.call('ZSCORE', activeKey, ARGV[1])
if not holds(score, ARGV[2]) then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(score) < tonumber(expiredBelow(now)) then return 0 end
redis.call('HSET', jobKey, ARGV[3], ARGV[4])
return 1
