--[[
  Reserves up to ARGV[2] ready jobs for one worker, with a lease, after promoting due delayed jobs.
  KEYS[1] ready zset   KEYS[2] delayed zset   KEYS[3] active zset (leaseScore: deadline and attempt)   KEYS[4] meta hash
  KEYS[5] wake-up list
  ARGV[1] job key prefix   ARGV[2] most jobs to take   ARGV[3] lease ms
  Returns: now, next delayed run-at (-1 none), paused (1/0), then 10 values per job:
    id, attempt (runs started, this one included), name, payload, retry policy, timeout, created, priority,
    stalls, unique key
  One call per job, the read of its hash: the run's attempt rides in its lease score (see leaseScore), and the
  job's hash is written only when the run ends (finishJobs) or is given up (stalled, released).
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix = ARGV[1]
local out = {now, -1, 0}
local function nextDelayed()
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2]
  return first and tonumber(first) or -1
end
if redis.call('HGET', KEYS[4], 'paused') == '1' then
  out[3] = 1
  out[2] = nextDelayed()
  return out
end
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)
if #due > 0 then
  local add = {}
  for _, id in ipairs(due) do
    local rs = readyScoreOf(prefix, id)
    if rs then
      add[#add + 1] = rs
      add[#add + 1] = id
    end
  end
  if #add > 0 then redis.call('ZADD', KEYS[1], unpack(add)) end
  redis.call('ZREM', KEYS[2], unpack(due))
end
-- ids only: ZPOPMIN would also send each score, which Redis prints with %.17g
local popped = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
if #popped > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, #popped - 1) end
local deadlineMs = now + tonumber(ARGV[3])
local lease = {}
for _, id in ipairs(popped) do
  local v = redis.call('HMGET', prefix .. id, 'n', 'd', 'r', 'to', 'ct', 'p', 'sc', 'uk', 'am')
  local attempt = (tonumber(v[9]) or 0) + 1
  local o = #out
  out[o + 1] = id
  out[o + 2] = attempt
  for j = 1, 8 do out[o + 2 + j] = v[j] end
  lease[#lease + 1] = leaseScore(deadlineMs, attempt)
  lease[#lease + 1] = id
end
if #lease > 0 then
  redis.call('ZADD', KEYS[3], unpack(lease))
  -- more work is waiting: wake one more sleeping worker so a burst fans out
  if redis.call('ZCARD', KEYS[1]) > 0 and redis.call('LLEN', KEYS[5]) == 0 then
    redis.call('LPUSH', KEYS[5], '1')
  end
end
out[2] = nextDelayed()
return out
