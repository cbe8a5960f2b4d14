--[[
  Heartbeat: moves the lease deadline of a worker's running jobs forward.
  KEYS[1] active zset
  ARGV[1] lease ms, then the ids of the running jobs
  Only jobs still active are touched (XX), so a job whose lease already expired is not revived.
  Returns the number of leases extended.
]]
local t = redis.call('TIME')
-- a string, not a Lua number Redis would print with %.17g once per job (see fetchJobs)
local deadline = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1]))
local args = {'XX', 'CH'}
for i = 2, #ARGV do
  args[#args + 1] = deadline
  args[#args + 1] = ARGV[i]
end
if #args == 2 then return 0 end
return redis.call('ZADD', KEYS[1], unpack(args))
