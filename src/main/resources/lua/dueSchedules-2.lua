--[[
  Claims the schedules of a queue due to fire by now and the lead ahead of it, on Redis time (a fire ahead of now is
  enqueued as a job delayed to its fire time, so the work of a second's fires is done before that second, not
  after it): each claimed one's next fire time is moved to the claim's
  end and the fire it is due for kept in its state ("<name>:claim"), so another node's pass in the meantime leaves
  it to this one (two nodes would otherwise do the same work twice). The claimer enqueues the fire's job, and the
  same enqueue call advances the schedule only while the claim is still the claimer's (enqueueJobs). A claimer that dies
  leaves the schedule due again when the claim ends, for the same fire: the next pass of any node fires it then.
  KEYS[1] schedule-next zset (name -> next fire time ms)   KEYS[2] schedule-state hash ("<name>:fires", ":claim")
  ARGV[1] most schedules claimed   ARGV[2] claim ms (longer than the lead, so a claim holds past its fire)
  ARGV[3] lead ms: fires up to now + lead are claimed
  Returns: now (0 when the queue has no schedule to fire), the earliest fire beyond the lead (-1 none), the claim's
  end, then for each claimed schedule (oldest
    first): name, fire time, fires so far.
]]
local nextKey, stateKey = KEYS[1], KEYS[2]
-- a queue without schedules (most): one call per pass, not a clock read and two range reads
if redis.call('EXISTS', nextKey) == 0 then return {0, -1, 0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local claimEnd = now + tonumber(ARGV[2])
local horizon = string.format('%d', now + tonumber(ARGV[3]))
local out = {now, -1, claimEnd}
local due = redis.call('ZRANGEBYSCORE', nextKey, '-inf', horizon, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
if #due > 0 then
  local fields, claims, names = {}, {}, {}
  for i = 1, #due, 2 do
    names[#names + 1] = due[i]
    fields[#fields + 1] = due[i] .. ':claim'
    fields[#fields + 1] = due[i] .. ':fires'
  end
  local state = redis.call('HMGET', stateKey, unpack(fields))
  local claimEndS = string.format('%d', claimEnd)
  local move = {}
  for k, name in ipairs(names) do
    -- a claim that ended unfinished: the fire it was for, not the claim's end
    local at = state[2 * k - 1] or due[2 * k]
    out[#out + 1] = name
    out[#out + 1] = at
    out[#out + 1] = state[2 * k] or '0'
    move[#move + 1] = claimEndS
    move[#move + 1] = name
    claims[#claims + 1] = name .. ':claim'
    claims[#claims + 1] = at
  end
  redis.call('ZADD', nextKey, unpack(move))
  redis.call('HSET', stateKey, unpack(claims))
end
local ahead = redis.call('ZRANGEBYSCORE', nextKey, '(' .. horizon, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
if ahead[2] then out[2] = tonumber(ahead[2]) end
return out
