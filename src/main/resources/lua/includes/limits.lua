-- A queue's limits across every worker and node, applied by the fetch on Redis time (Java: io.vertiq.limit).
-- The rate limit is a sliding window kept exactly: the limiter zset holds one member per fetch that took jobs,
-- "<count>:<first job id>" scored by its time, so the jobs started in the last `per` ms are the sum of the counts of
-- its members (one per fetch, not per job). Returns how many jobs this fetch may take (at most `want`) and, when a
-- limit held it back, when to fetch again: the Redis time in ms at which the window has room again, or -2 for "when
-- a run ends" (global concurrency: the finish wakes a sleeping worker then).
local function grantsSum(grants)
  local used = 0
  for i = 1, #grants, 2 do used = used + tonumber(string.match(grants[i], '^(%d+):')) end
  return used
end

-- The jobs started in the window of `ratePer` ms that ends at `now` (a read: it trims nothing).
local function windowUsed(limiterKey, ratePer, now)
  return grantsSum(redis.call('ZRANGEBYSCORE', limiterKey, '(' .. string.format('%d', now - ratePer), '+inf', 'WITHSCORES'))
end

local function allowedJobs(limiterKey, activeKey, want, rateMax, ratePer, globalMax, now)
  local limitedUntil = 0
  if globalMax > 0 then
    local free = globalMax - redis.call('ZCARD', activeKey)
    if free <= want then
      want = math.max(free, 0)
      limitedUntil = -2
    end
  end
  if rateMax > 0 and want > 0 then
    redis.call('ZREMRANGEBYSCORE', limiterKey, '-inf', string.format('%d', now - ratePer))
    local grants = redis.call('ZRANGE', limiterKey, 0, -1, 'WITHSCORES')
    local used = grantsSum(grants)
    local room = rateMax - used
    if room <= want then
      want = math.max(room, 0)
      -- the window has room again when its oldest grant leaves it (this fetch's own, when it is the first)
      limitedUntil = (grants[2] and tonumber(grants[2]) or now) + ratePer
    end
  end
  return want, limitedUntil
end

-- Records that a fetch took `n` jobs at `now` (the first of them `firstId`, which makes the member unique).
local function recordGrant(limiterKey, n, firstId, ratePer, now)
  redis.call('ZADD', limiterKey, string.format('%d', now), n .. ':' .. firstId)
  redis.call('PEXPIRE', limiterKey, ratePer)
end

-- Smooth mode (GCRA without a burst): one start every per/max ms, so no window of that length, wherever it falls,
-- holds more than max starts, and a pause (an outage, an idle queue) stores no credit: the first fetch after it
-- takes one job, not a window's worth that would start together and run into the next window of the downstream's
-- own clock. `tat` is the time of the next start a slot allows (Redis ms with fractions; nil: none yet). Returns how
-- many of `want` may start now (0 or 1) and, when that holds the fetch back, the Redis ms of the next slot (0 not).
local function smoothAllowed(tat, want, rateMax, ratePer, now)
  local at = math.max(tat or 0, now)
  if at > now then return 0, math.ceil(at) end
  if want <= 1 then return want, 0 end
  return 1, math.ceil(at + ratePer / rateMax)
end

-- The next slot's time once `n` jobs started at `now` (see smoothAllowed), as stored.
local function smoothNext(tat, n, rateMax, ratePer, now)
  return string.format('%.3f', math.max(tat or 0, now) + n * ratePer / rateMax)
end
