--[[
  Advances schedules whose fire the caller claimed (dueSchedules) and whose job it enqueued: moves each one's next
  fire time from the claim's end to the following fire, only if the claim is still the caller's (the score is still
  the claim's end). A claim that ended before (the caller was too slow) was taken by another node, which fires the
  same fire again: the fire time is in the job's idempotency key, so a fire makes one job however many nodes try.
  KEYS[1] schedule-next zset   KEYS[2] schedule-state hash ("<name>:fires")
  ARGV, 4 per schedule: name, the claim's end, the next fire time (-1: the schedule has ended),
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
    redis.call('HDEL', stateKey, name .. ':claim')
    advanced = advanced + 1
  end
end
return advanced
