--[[
  Reserves up to ARGV[2] ready jobs for one worker, with a lease, after promoting due delayed jobs.
  KEYS[1] ready zset   KEYS[2] delayed zset   KEYS[3] active zset (leaseScore: deadline and attempt)
  KEYS[4] meta hash (paused; limitedUntil: a handler deferred the whole queue)
  KEYS[5] wake-up list   KEYS[6] ready fifo list (new jobs of priority 0, see enqueueJobs)   KEYS[7] stats hash
  KEYS[8] specs hash (plain jobs' specs, field = id)   KEYS[9] limiter zset (the rate limit's window, see limits)
  ARGV[1] job key prefix   ARGV[2] most jobs to take   ARGV[3] lease ms   ARGV[4] rate limit: jobs per window (0 none)
  ARGV[5] the rate window ms   ARGV[6] global concurrency (0 none)   ARGV[7] each group's concurrency (0 none)
  ARGV[8] each group's rate limit: jobs per window (0 none)   ARGV[9] its window ms
  ARGV[10] "1" when the queue's rate limit is smooth (see smoothAllowed; its next slot is the meta field "tat")
  ARGV[11] "1" when the groups' rate limit is smooth
  Returns: now (0 when neither a job nor a delayed one needs it), next delayed run-at (-1 none), paused (1/0), the
    lease epoch (the stats field "reclaimed", see finishJobs; "0" with no job), limited until (0 when no limit held
    the fetch back, else the Redis ms when the rate window has room again, or -2: when a run ends), then per job either its spec
    string, for a plain new job (its fifo entry: id and all, see fifoEntry in includes/; its first run), or 3
    values: the job's hash as a field/value array, id, attempt (runs started, this one included)
  Ready jobs go out in this order: the ready zset's jobs of priority 0 and above (higher priorities, and jobs of
  priority 0 that came back: released, stalled, retried, promoted from delayed), then the fifo list, then the
  zset's jobs of negative priority. So priorities hold, and within priority 0 a job that came back runs before
  new ones. On a queue with grouped jobs, the groups (and the ungrouped jobs as one more) take turns, a job each
  (see takeGrouped); priority orders the jobs within a group.
  No call per job for a plain new job (its fifo entry holds its spec), else the reads of its fields (jobFields):
  the run's attempt rides in its lease score (see leaseScore), and the job's hash is written only when the run
  ends (finishJobs) or is given up (stalled, released).
]]
--- @include "chunked"
--- @include "fifo"
--- @include "promoteDue"
--- @include "jobFields"
--- @include "lease"
--- @include "limits"
--- @include "takeGrouped"
local readyKey, delayedKey, activeKey, metaKey, wakeKey, fifoKey, statsKey, specsKey, limiterKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local prefix = ARGV[1]
-- Redis time, read only when needed: an idle fetch (every 2 s per sleeping worker, empty queue, nothing delayed)
-- skips it and replies 0, which the worker does not use then; so an idle fetch stays at a handful of calls
local now = nil
local function clock()
  if not now then
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return now
end
local out = {0, -1, 0, '0', 0}
local function nextDelayed()
  local first = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')[2]
  return first and tonumber(first) or -1
end
-- one read of the earliest delayed job serves both the promotion check and the reply
local nextAt = nextDelayed()
local flags = redis.call('HMGET', metaKey, 'paused', 'limitedUntil', 'grouped', 'tat', 'groupLimits')
if flags[1] == '1' then
  out[3] = 1
  out[2] = nextAt
  if nextAt ~= -1 then out[1] = clock() end
  return out
end
-- a handler deferred the whole queue ("retry later", e.g. the downstream answered 429): nothing until then
if flags[2] then
  if tonumber(flags[2]) > clock() then
    out[1] = now
    out[2] = nextAt
    out[5] = tonumber(flags[2])
    return out
  end
  redis.call('HDEL', metaKey, 'limitedUntil') -- over: later fetches skip the clock again
end
if nextAt ~= -1 and nextAt <= clock() then
  promoteDue(delayedKey, readyKey, prefix, specsKey, now, 1000)
  nextAt = nextDelayed()
end
out[2] = nextAt
-- ids only: ZPOPMIN would also send each score, which Redis prints with %.17g
local max = tonumber(ARGV[2])
local rateMax, ratePer, globalMax = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local smooth = rateMax > 0 and ARGV[10] == '1'
local tat = smooth and tonumber(flags[4]) or nil
if rateMax > 0 or globalMax > 0 then
  max, out[5] = allowedJobs(limiterKey, activeKey, max, smooth and 0 or rateMax, ratePer, globalMax, clock())
  if smooth and max > 0 then
    local nextSlot
    max, nextSlot = smoothAllowed(tat, max, rateMax, ratePer, clock())
    if nextSlot > 0 then out[5] = nextSlot end
  end
  if max <= 0 then
    out[1] = now
    return out
  end
end
local popped = {} -- ids, or fifo entries that carry their job's spec
-- Takes up to n of the queue's ungrouped ready jobs into popped: the zset's first ids by rank, those of priority 0
-- and above (the first `high`), then the fifo list, then negative priorities.
local function takePlain(n)
  local want = #popped + n
  local zs = redis.call('ZRANGE', readyKey, 0, n - 1)
  local high = 0
  if #zs > 0 then
    high = math.min(redis.call('ZCOUNT', readyKey, '-inf', PRIORITY_0_END), #zs)
    for i = 1, high do popped[#popped + 1] = zs[i] end
  end
  if #popped < want then
    local more = redis.call('LPOP', fifoKey, want - #popped)
    if more then
      for _, e in ipairs(more) do popped[#popped + 1] = e end
    end
  end
  local fromZset = high
  while #popped < want and fromZset < #zs do
    fromZset = fromZset + 1
    popped[#popped + 1] = zs[fromZset]
  end
  if fromZset > 0 then redis.call('ZREMRANGEBYRANK', readyKey, 0, fromZset - 1) end
end
local G = nil -- the group keys, on a queue that has had grouped jobs (see groups)
if flags[3] == '1' then
  G = groupKeys(prefix)
  local limits = {concurrency = tonumber(ARGV[7]), rateMax = tonumber(ARGV[8]), ratePer = tonumber(ARGV[9]),
    smooth = ARGV[11] == '1', custom = flags[5] == '1'}
  local heldUntil = takeGrouped(G, max, clock(), takePlain, popped, readyKey, fifoKey, limits)
  if heldUntil > 0 and (out[5] == 0 or heldUntil < out[5]) then out[5] = heldUntil end
else
  takePlain(max)
end
if nextAt ~= -1 or #popped > 0 then out[1] = clock() end
if #popped == 0 then return out end
if smooth then
  redis.call('HSET', metaKey, 'tat', smoothNext(tat, #popped, rateMax, ratePer, now))
elseif rateMax > 0 then
  recordGrant(limiterKey, #popped, (fifoEntryId(popped[1])), ratePer, now)
end
-- when leases were last handed out: maintenance tells an outage from a first pass by it (see maintainQueue)
redis.call('HSET', metaKey, 'leasedAt', string.format('%d', now))
-- read with the pop, so every job taken from its run after this fetch moves it past the figure its runs report with
out[4] = redis.call('HGET', statsKey, 'reclaimed') or '0'
local deadlineMs = now + tonumber(ARGV[3])
local firstLease = leaseScore(deadlineMs, 1)
local lease = {}
local o = #out
for _, e in ipairs(popped) do
  local id, packed = fifoEntryId(e) -- a zset id has no NUL: not packed
  local attempt = 1
  if packed then
    out[o + 1] = e
    o = o + 1
  else
    -- the whole hash, passed on as it is (a nested reply): one pass over a small hash instead of a lookup per
    -- field, and no copying here; the worker picks the fields it needs (a plain job's spec comes as field s)
    local h = jobFields(prefix, specsKey, id)
    for j = 1, #h, 2 do
      if h[j] == 'am' then attempt = tonumber(h[j + 1]) + 1 end
    end
    out[o + 1] = h
    out[o + 2] = id
    out[o + 3] = attempt
    o = o + 3
  end
  lease[#lease + 1] = attempt == 1 and firstLease or leaseScore(deadlineMs, attempt)
  lease[#lease + 1] = id
end
if #lease > 0 then
  callChunked('ZADD', activeKey, lease, 2)
  -- more work is waiting: wake one more sleeping worker so a burst fans out
  if (redis.call('LLEN', fifoKey) > 0 or redis.call('ZCARD', readyKey) > 0 or (G and redis.call('LLEN', G.rotation) > 0))
      and redis.call('LLEN', wakeKey) == 0 then
    redis.call('LPUSH', wakeKey, '1')
  end
end
return out
