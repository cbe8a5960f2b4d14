--[[
  A run's wait for a signal (see Job#waitFor): when the signal is already stored (field "sg:<name>", sent since the
  job was fetched) it is returned at once; else, while the run still holds the job, the job is marked waiting for it
  until the deadline (field wf: "<name> NUL <deadline ms>", read by signalJob and by finishJobs' deferral), the wait
  is recorded as the job's step "wait:<name>" (its next run then knows it waited), and the run parks the job.
  KEYS[1] job hash   KEYS[2] active zset
  ARGV[1] id   ARGV[2] token (see tokenAttempt)   ARGV[3] the signal's name   ARGV[4] the wait's timeout ms
  Returns {2, data} when the signal is there, {1, ms until the deadline} when the run should park the job, {0} when
  the run no longer holds the job.
]]
--- @include "lease"
local jobKey, activeKey = KEYS[1], KEYS[2]
local name = ARGV[3]
local data = redis.call('HGET', jobKey, 'sg:' .. name)
if data then return {2, data} end
local score = redis.call('ZSCORE', activeKey, ARGV[1])
if not holds(score, ARGV[2]) then return {0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(score) < tonumber(expiredBelow(now)) then return {0} end
local deadline = now + tonumber(ARGV[4])
redis.call('HSET', jobKey, 'wf', name .. '\0' .. string.format('%d', deadline), 'sr:wait:' .. name,
  string.format('%d', deadline))
return {1, tonumber(ARGV[4])}
