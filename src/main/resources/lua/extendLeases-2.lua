--[[
  Heartbeat: moves the lease deadline of a worker's running jobs forward.
  KEYS[1] active zset   KEYS[2] cancel hash (running jobs whose cancel was asked, see removeJob)
  ARGV[1] lease ms, then id and token pairs of the running jobs
  Only leases the run still holds are touched (see leaseScore): a job whose lease expired is not revived, and
  one that another run holds now keeps that run's lease.
  Returns the number of leases extended, then the ids among the jobs whose cancel was asked: a worker that missed
  the cancel's message (its subscription was down) learns of it here.
]]
--- @include "chunked"
--- @include "lease"
local activeKey = KEYS[1]
local t = redis.call('TIME')
local deadlineMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
local ids = {}
for i = 2, #ARGV, 2 do ids[#ids + 1] = ARGV[i] end
if #ids == 0 then return {0} end
local leases = zmscore(activeKey, ids)
local args = {}
for k, id in ipairs(ids) do
  local token = ARGV[2 * k + 1]
  if holds(leases[k], token) then
    args[#args + 1] = leaseScore(deadlineMs, tokenAttempt(token))
    args[#args + 1] = id
  end
end
-- XX: a lease that maintenance reclaimed meanwhile is not put back; CH: count the updated ones
local extended = 0
for i = 1, #args, UNPACK_MAX do
  extended = extended + redis.call('ZADD', activeKey, 'XX', 'CH', unpack(args, i, math.min(i + UNPACK_MAX - 1, #args)))
end
local out = {extended}
if redis.call('EXISTS', KEYS[2]) == 1 then
  for i = 1, #ids, UNPACK_MAX do
    local last = math.min(i + UNPACK_MAX - 1, #ids)
    local asked = redis.call('HMGET', KEYS[2], unpack(ids, i, last))
    for k = i, last do if asked[k - i + 1] then out[#out + 1] = ids[k] end end
  end
end
return out
