--[[
  Heartbeat: moves the lease deadline of a worker's running jobs forward.
  KEYS[1] active zset
  ARGV[1] lease ms, then id and token pairs of the running jobs
  Only leases the run still holds are touched (see leaseScore): a job whose lease expired is not revived, and
  one that another run holds now keeps that run's lease.
  Returns the number of leases extended.
]]
--- @include "chunked"
--- @include "lease"
local activeKey = KEYS[1]
local t = redis.call('TIME')
local deadlineMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
local ids = {}
for i = 2, #ARGV, 2 do ids[#ids + 1] = ARGV[i] end
if #ids == 0 then return 0 end
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
return extended
