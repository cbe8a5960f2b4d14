--- @include "chunked"
-- Groups: a job may carry a group (a tenant, a customer, an API key), field g of its hash. A grouped job waits in
-- its group's own ready zset ("<base>g:<group>", scored like the ready zset: priority, then id), and fetches take
-- from the groups in turn (see takeGrouped), so one group's backlog does not hold back another's first job. The
-- keys, all in the queue's slot (the scripts build them from the job key prefix, as they build the job hashes'):
--   groups        the rotation, a list: groups with ready jobs that may run now, next turn first; member ""
--                 stands for the queue's ungrouped jobs while any group is in the rotation (a list, not a zset
--                 scored by turn: a fetch pops the members it serves and pushes them back, O(1) each)
--   groups-in     the rotation's members, a set (so a group enters the list once)
--   group-active  group -> its runs in progress: every grouped run, counted by the fetch that takes it and
--                 uncounted by the finish, stall or release that ends it (so a group whose last jobs run is still
--                 listed, and a concurrency set later finds the count right)
--   group-parked  groups held back by a limit with jobs still waiting: score = the Redis ms when the group's rate
--                 window has room again, or GROUP_FULL: until one of its runs ends
--   group-paused  paused groups (kept out of the rotation)
--   group-known   groups with a waiting or running job, or paused: what the API lists
--   glim:<group>  the group's rate window (as the queue's limiter, see limits), expiring with the window
--   gtat:<group>  the time of the group's next start under a smooth rate limit (see smoothAllowed), expiring
--                 once passed
--                 (both outlive an idle group: a group whose jobs arrive one at a time, each done before the next
--                 comes, is forgotten between them, and its limit must still hold)
--   group-limits  group -> its limits set at run time, "concurrency|rate max|rate per ms|weight|smooth" (0: the
--                 queue's own; see groupLimitsOf); kept until deleted, whether the group is live or not
-- and in the meta hash: grouped = 1 once a grouped job was enqueued (until then a fetch reads none of these keys),
-- groupReady = the waiting grouped jobs (counted where they are pushed and popped: counts need no pass over groups),
-- groupLimits = 1 once a group's limits were set at run time: from then on a fetch reads them (group-limits) and a
-- run's end may free a group its limit held back; it is never unset.
local GROUP_FULL = 9007199254740991

local function groupKeys(prefix)
  local base = string.sub(prefix, 1, -3) -- the prefix is "<base>j:"
  return {base = base, lane = base .. 'g:', rotation = base .. 'groups', inRotation = base .. 'groups-in',
    active = base .. 'group-active',
    parked = base .. 'group-parked', paused = base .. 'group-paused', known = base .. 'group-known',
    window = base .. 'glim:', tat = base .. 'gtat:', limits = base .. 'group-limits', meta = base .. 'meta'}
end

-- The limits that hold for one group: those set at run time (`v`, a group-limits value, or nil/false for none) over
-- the queue's (`L`: concurrency, rateMax, ratePer, smooth), with its weight (1 unless set).
local function groupLimitsOf(L, v)
  if not v then return L end
  local c, rm, rp, w, s = string.match(v, '^(%d+)|(%d+)|(%d+)|(%d+)|(%d)$')
  if not c then return L end
  c, rm = tonumber(c), tonumber(rm)
  local e = {concurrency = c > 0 and c or L.concurrency, weight = math.max(1, tonumber(w)), counted = true}
  if rm > 0 then
    e.rateMax, e.ratePer, e.smooth = rm, tonumber(rp), s == '1'
  else
    e.rateMax, e.ratePer, e.smooth = L.rateMax, L.ratePer, L.smooth
  end
  return e
end

-- Puts `g` at the back of the rotation when it has ready jobs and nothing holds it back.
local function groupEnlist(G, g)
  if g ~= '' then
    if redis.call('EXISTS', G.lane .. g) == 0 then return end
    if redis.call('SISMEMBER', G.paused, g) == 1 or redis.call('ZSCORE', G.parked, g) then return end
  end
  if redis.call('SADD', G.inRotation, g) == 1 then redis.call('RPUSH', G.rotation, g) end
end

-- Takes `g` out of the rotation (paused, or its last job deleted): a scan of the list, which only admin calls make.
local function groupLeave(G, g)
  if redis.call('SREM', G.inRotation, g) == 1 then redis.call('LREM', G.rotation, 1, g) end
end

-- Whether `g` is in the rotation.
local function groupEnlisted(G, g)
  return redis.call('SISMEMBER', G.inRotation, g) == 1
end

-- A grouped job becomes ready (new, due, retried, requeued or released). `pushed`, when given, gathers a call's
-- pushes (group -> count) so that groupsPushed registers each group once, not once per job (an enqueue of a
-- thousand jobs of one group).
local function groupPush(G, g, score, id, pushed)
  redis.call('ZADD', G.lane .. g, score, id)
  if pushed then
    pushed[g] = (pushed[g] or 0) + 1
    return
  end
  redis.call('SADD', G.known, g)
  redis.call('HINCRBY', G.meta, 'groupReady', 1)
  groupEnlist(G, g)
end

-- Registers the pushes groupPush gathered.
local function groupsPushed(G, pushed)
  local n = 0
  for g, k in pairs(pushed) do
    redis.call('SADD', G.known, g)
    groupEnlist(G, g)
    n = n + k
  end
  if n > 0 then redis.call('HINCRBY', G.meta, 'groupReady', n) end
end

-- Forgets a group with nothing waiting or running that is not paused (the API lists only live groups).
-- `noneRunning`: the caller just saw its last run end (no need to read the count again).
local function groupForgetIfIdle(G, g, noneRunning)
  if redis.call('EXISTS', G.lane .. g) == 0 and (noneRunning or not redis.call('HGET', G.active, g))
      and redis.call('SISMEMBER', G.paused, g) == 0 then
    redis.call('SREM', G.known, g)
    redis.call('ZREM', G.parked, g)
  end
end

-- `n` runs of group `g` ended (finished, stalled or released): a group its concurrency held back may go again
-- (`held` false: the queue has no group concurrency, so none was). Returns true when the group went back into the
-- rotation (a sleeping worker should wake). A finish counts a batch's runs per group and calls this once a group.
local function groupRunsEnded(G, g, n, held)
  -- a run maintenance or a release ends may not have been counted (no group concurrency): no count below 0
  local left = redis.call('HINCRBY', G.active, g, -n)
  if left <= 0 then redis.call('HDEL', G.active, g) end
  local back = false
  if held ~= false and tonumber(redis.call('ZSCORE', G.parked, g) or 0) == GROUP_FULL then
    redis.call('ZREM', G.parked, g)
    groupEnlist(G, g)
    back = groupEnlisted(G, g)
  end
  if left <= 0 then groupForgetIfIdle(G, g, true) end
  return back
end

local function groupRunEnded(G, g, held)
  return groupRunsEnded(G, g, 1, held)
end

-- Groups whose rate window has room again go back into the rotation. Returns the earliest parked time left that
-- is a rate window's (0 none): when a fetch held back by it should come again.
local function groupUnpark(G, now)
  local due = redis.call('ZRANGEBYSCORE', G.parked, '-inf', string.format('%d', now), 'LIMIT', 0, 1000)
  if #due > 0 then
    callChunked('ZREM', G.parked, due)
    for _, g in ipairs(due) do groupEnlist(G, g) end
  end
  local nextAt = redis.call('ZRANGEBYSCORE', G.parked, '-inf', '(' .. string.format('%d', GROUP_FULL), 'WITHSCORES', 'LIMIT', 0, 1)[2]
  return nextAt and tonumber(nextAt) or 0
end

-- Removes a ready grouped job (a delete by hand); `entry`, when given, is its spec, which its lane lists instead of
-- its id while it is new and small (see includes/jobGroup). Returns 1 when it was waiting in its group.
local function groupRemove(G, g, id, entry)
  local n = redis.call('ZREM', G.lane .. g, id)
  if n == 0 and entry then n = redis.call('ZREM', G.lane .. g, entry) end
  if n == 1 then
    redis.call('HINCRBY', G.meta, 'groupReady', -1)
    if redis.call('EXISTS', G.lane .. g) == 0 then groupLeave(G, g) end
    groupForgetIfIdle(G, g)
  end
  return n
end
