--[[
  Creates or replaces a schedule, or pauses or resumes it.
  KEYS[1] schedules hash (name -> spec JSON)   KEYS[2] schedule-next zset   KEYS[3] schedule-state hash
  KEYS[4] delayed zset (a fire's job enqueued ahead of its time waits there: taken back, see scheduleAhead)
  ARGV[1] name   ARGV[2] spec JSON ("" keeps the stored one)   ARGV[3] source (conf or api; "" keeps it)
  ARGV[4] next fire time (-1: none, as a schedule that has ended)   ARGV[5] paused: 1, 0, or "" to keep it
  ARGV[6] job key prefix   ARGV[7] the channel nodes hear schedule changes on   ARGV[8] the queue's name
  A paused schedule has no next fire time: nothing fires until it is resumed, from then on.
  Returns 1 when the schedule exists afterwards, 0 when there was none to pause or resume.
]]
--- @include "scheduleAhead"
local specsKey, nextKey, stateKey, delayedKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local name = ARGV[1]
if ARGV[2] == '' and redis.call('HEXISTS', specsKey, name) == 0 then return 0 end
-- every put sets a new next fire time, from which the fire of a job still ahead is made again if it is still due
takeBackAhead(stateKey, delayedKey, ARGV[6], name)
if ARGV[2] ~= '' then redis.call('HSET', specsKey, name, ARGV[2]) end
if ARGV[3] ~= '' then redis.call('HSET', stateKey, name .. ':source', ARGV[3]) end
if ARGV[5] == '1' then redis.call('HSET', stateKey, name .. ':paused', '1') end
if ARGV[5] == '0' then redis.call('HDEL', stateKey, name .. ':paused') end
redis.call('HDEL', stateKey, name .. ':claim') -- a new next fire time replaces a fire a node claimed
if tonumber(ARGV[4]) < 0 or redis.call('HGET', stateKey, name .. ':paused') == '1' then
  redis.call('ZREM', nextKey, name)
else
  redis.call('ZADD', nextKey, ARGV[4], name)
  -- every node's scheduler passes again now: its next pass was armed for the fires it knew of
  redis.call('PUBLISH', ARGV[7], ARGV[8])
end
return 1
