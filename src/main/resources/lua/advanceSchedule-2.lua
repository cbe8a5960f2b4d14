--[[
  Claims a schedule's fire: moves its next fire time from the one the caller fired to the following one, only if
  it is still that one. Every node that sees a fire due enqueues its job (the fire time is in the job's idempotency
  key, so a fire makes one job however many nodes try) and then advances it; the first advance wins, the others
  change nothing, and a node that died between the two leaves the fire for the next node to finish.
  KEYS[1] schedule-next zset   KEYS[2] schedule-state hash ("<name>:fires")
  ARGV[1] name   ARGV[2] the fire time the caller fired   ARGV[3] the next fire time (-1: the schedule has ended)
  ARGV[4] fires the caller enqueued
  Returns 1 when this call advanced it, 0 when another had.
]]
local nextKey, stateKey = KEYS[1], KEYS[2]
local name = ARGV[1]
local score = redis.call('ZSCORE', nextKey, name)
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
if tonumber(ARGV[3]) < 0 then
  redis.call('ZREM', nextKey, name)
else
  redis.call('ZADD', nextKey, ARGV[3], name)
end
if tonumber(ARGV[4]) > 0 then redis.call('HINCRBY', stateKey, name .. ':fires', tonumber(ARGV[4])) end
return 1
