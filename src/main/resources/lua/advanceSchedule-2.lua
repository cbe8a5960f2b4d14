--[[
  Claims schedules' fires: moves each one's next fire time from the one the caller fired to the following one, only
  if it is still that one. Every node that sees a fire due enqueues its job (the fire time is in the job's
  idempotency key, so a fire makes one job however many nodes try) and then advances it; the first advance wins,
  the others change nothing, and a node that died between the two leaves the fire for the next node to finish.
  KEYS[1] schedule-next zset   KEYS[2] schedule-state hash ("<name>:fires")
  ARGV, 4 per schedule: name, the fire time the caller fired, the next fire time (-1: the schedule has ended),
    fires the caller enqueued
  Returns how many this call advanced (the others another node had).
]]
local nextKey, stateKey = KEYS[1], KEYS[2]
local advanced = 0
for i = 1, #ARGV, 4 do
  local name = ARGV[i]
  local score = redis.call('ZSCORE', nextKey, name)
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    if tonumber(ARGV[i + 2]) < 0 then
      redis.call('ZREM', nextKey, name)
    else
      redis.call('ZADD', nextKey, ARGV[i + 2], name)
    end
    if tonumber(ARGV[i + 3]) > 0 then redis.call('HINCRBY', stateKey, name .. ':fires', tonumber(ARGV[i + 3])) end
    advanced = advanced + 1
  end
end
return advanced
