--[[
  A queue's counts per state, its paused flag and its lifetime counters, in one round trip.
  KEYS[1] ready   KEYS[2] delayed   KEYS[3] active   KEYS[4] dead   KEYS[5] completed   KEYS[6] meta   KEYS[7] stats
  KEYS[8] ready fifo list (ready counts the ready zset, this list and the meta field groupReady)
  KEYS[9] known groups set   KEYS[10] the rate limiter's window (see limits)   KEYS[11] specs hash
  ARGV[1] the rate window ms (0: the queue has no rate limit, or the caller does not know it)   ARGV[2] job key prefix
  Returns: ready, delayed, active, dead, completed, paused (1/0), live groups, jobs started in the rate window now
    (-1 when not asked), the Redis ms until which a "retry later" holds the whole queue (0 none), the queue's latency
    (how long the next ungrouped job to run has been due, ms; 0 when none waits), the delayed jobs already due (their
    time has come, maintenance has not promoted them yet: work waiting as much as the ready ones), then the stats hash
    as field, value pairs. The latency reads two jobs at most: the ready zset's first (a priority, or a job that came back, which runs
    first) and else the fifo list's first (the oldest new job); grouped jobs are not looked at.
]]
--- @include "limits"
local readyKey, delayedKey, activeKey, deadKey, completedKey, metaKey, statsKey, fifoKey, knownKey, limiterKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local stateKeys = {readyKey, delayedKey, activeKey, deadKey, completedKey}
local out = {}
for i, key in ipairs(stateKeys) do out[i] = redis.call('ZCARD', key) end
-- ready counts the fifo list and the groups' waiting jobs too (see groups)
out[1] = out[1] + redis.call('LLEN', fifoKey) + (tonumber(redis.call('HGET', metaKey, 'groupReady')) or 0)
local flags = redis.call('HMGET', metaKey, 'paused', 'limitedUntil')
out[6] = flags[1] == '1' and 1 or 0
out[7] = redis.call('SCARD', knownKey)
out[8] = -1
local window = tonumber(ARGV[1]) or 0
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if window > 0 then out[8] = windowUsed(limiterKey, window, now) end
local heldUntil = tonumber(flags[2]) or 0
out[9] = heldUntil > now and heldUntil or 0
-- when a job became due: the later of its creation and its run-at (a plain job's spec holds its creation)
local function dueAt(id)
  local spec = redis.call('HGET', KEYS[11], id)
  if spec then return tonumber(string.match(spec, '^[^%z]*%z(%d+)')) end
  local f = redis.call('HMGET', ARGV[2] .. id, 'ct', 'ra')
  return math.max(tonumber(f[1]) or now, tonumber(f[2]) or 0)
end
local next = redis.call('ZRANGE', readyKey, 0, 0)[1]
local due = nil
if next then
  due = dueAt(next)
else
  local head = redis.call('LINDEX', fifoKey, 0)
  if head then
    -- a small plain job's entry is its spec ("id NUL created NUL ..."), another's its id
    local created = string.match(head, '^[^%z]*%z(%d+)%z')
    due = created and tonumber(created) or dueAt(head)
  end
end
-- a delayed job due and not promoted yet has been waiting since its run-at
local firstDelayed = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')[2]
if firstDelayed and tonumber(firstDelayed) <= now and (not due or tonumber(firstDelayed) < due) then
  due = tonumber(firstDelayed)
end
out[10] = due and math.max(0, now - due) or 0
out[11] = (firstDelayed and tonumber(firstDelayed) <= now) and redis.call('ZCOUNT', delayedKey, '-inf', now) or 0
local stats = redis.call('HGETALL', statsKey)
for i = 1, #stats do out[11 + i] = stats[i] end
return out
