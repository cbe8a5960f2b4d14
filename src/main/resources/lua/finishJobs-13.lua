--[[
  Records the outcome of a batch of runs: completed, retry later, or dead.
  KEYS[1] active   KEYS[2] delayed   KEYS[3] dead   KEYS[4] completed   KEYS[5] stats hash   KEYS[6] unique-key hash
  KEYS[7] recent failures list   KEYS[8] wake-up list
  KEYS[9] specs hash (plain jobs' specs, field = id)   KEYS[10] done hash (kept completed runs, field = id)
  KEYS[11] meta hash (limitedUntil: a deferral of the whole queue)
  KEYS[12] unique-until zset: a job with a window for its unique key ("uf", uniqueFor) that completes or dies keeps
    the key until then (see enqueueJobs); any other frees it
  KEYS[13] flow-out list: the end (completed or dead) of a flow's child is pushed here, "parent queue NUL parent id
    NUL child queue NUL child id NUL c|d NUL result JSON or error", for the nodes' flow relay to tell its parent
    (flowChildDone: the parent is in another slot on a Redis Cluster)
  ARGV[1] job key prefix   ARGV[2..3] completed retention (mode none|all|count|age, value)
  ARGV[4..5] dead retention   ARGV[6] completed runs C   ARGV[7] failed runs F
  ARGV[8] the lease epoch of the batch's oldest run (the "reclaimed" count its fetch returned; "" when unknown)
  ARGV[9] "1" when the queue has a global concurrency: runs that end wake a sleeping worker (one held back by it);
    "2" when it has a group concurrency (its runs are counted per group, and a grouped run's end may free its group:
    groupRunEnded), "3" both
  ARGV[10] the queue's history key prefix ("<prefix>:{q}:m:"; a key per minute on Redis time, kept 25 hours, and
    "<prefix>:{q}:m:h<hour>", kept 8 days: runs
    completed "c", failed "f" (retried or dead), dead "d", and the waits of the runs started since the worker's
    previous report, summed "ws" (ms) and counted "wn")   ARGV[11] that wait sum   ARGV[12] that count; then
    C times: id, token, the run's record (attempt NUL started at NUL result JSON: see io.vertiq.redis.CompletedRecord)
    F times: id, token, outcome (r = retry, d = dead, l = deferred: the handler said "retry later", which uses no
    attempt; L = the same, and the whole queue waits as long), error message, error trace, retry delay ms, started at
  A token is the run's attempt, with "u" when the job holds a unique key and ":<group>" when it has a group (see
  tokenParts); a grouped run's end may let its group run again (groupRunEnded). An entry whose run
  no longer holds the job's lease (it expired and the job was requeued, or another run holds it now) is stale
  and ignored: the run that holds the job now will report it. Only two scripts take a job from the run that holds
  its lease, maintainQueue (an expired lease) and releaseJobs (a stopping worker gives back what it could not
  finish), and both count it in the stats field "reclaimed": while that count is still the one the batch's
  oldest run was fetched under, every run of the batch holds its job and no lease is read. Else the leases of
  the whole batch are read in one call (ZMSCORE, see leaseScore). (Reading them on every finish cost a fifth of
  the script's time: Redis prints each score with %.17g and Lua parses it back.) A worker that sends a batch again
  after an error sends "" here: the first try may have been applied. A run's attempt and start are stored in the
  job's hash here, with its outcome; a kept completed run is one field of the done hash instead (see doneKey),
  all of a batch's in one call, or nothing when completed jobs are not kept.
  Stale entries are counted in the stats field "stale": runs that outlived their lease (the job ran again, or
  will), or entries of a batch sent twice after an error.
  A completed flow child whose parent is in this queue tells its parent here (flowChildEnded, see flowDeliver), with
  no relay; other ends are pushed to the flow-out list.
  Returns: completed, retried, dead, stale, flow ends pushed (1 when only a batch's callbacks were), the ids of the
  parents whose children have all ended here (made ready or delayed; a batch's record: done).
]]
--- @include "chunked"
--- @include "lease"
--- @include "trimCount"
--- @include "history"
--- @include "groups"
--- @include "flowDeliver"
local activeKey, delayedKey, deadKey, completedKey, statsKey, uniqueKey, failuresKey, wakeKey, specsKey, doneKey, metaKey, uniqueUntilKey, flowOutKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- numbers go to redis.call as strings (see fetchJobs)
local nowS = string.format('%d', now)
local prefix = ARGV[1]
local nDone = tonumber(ARGV[6])
local nFailed = tonumber(ARGV[7])
local DONE, FAILED = 3, 7 -- values per entry
local firstFailed = 13 + nDone * DONE
local done, retried, dead, stale, deferred = 0, 0, 0, 0, 0
local queueUntil = 0 -- a deferral for the whole queue: fetches take nothing before this (meta limitedUntil)
local drop, keep, retry, died, fails, ukDel, ukHold = {}, {}, {}, {}, {}, {}, {}
local flowEnds = {} -- entries for flowOutKey
local childQueue = nil -- this queue's name, read from the job key prefix when a flow's child ends
local F = nil -- this queue as a flow parent's (see flowDeliver), made on the first completed child told here
local completedKids, completedParents = {}, {} -- parent id -> its children that completed here; the parents, in order
-- a flow child's end, for its parent (read only for runs whose token says they are a flow's child): a completed
-- child of a parent in this queue tells it here, in this call; any other end goes to the flow-out list for the
-- relay (a parent in another slot, or a dead child, whose parent's policy may need the API to remove its flow)
local function flowEnded(id, outcome, text, parentQueue, parentId)
  -- the run's token names the parent (see tokenParts); a token of an earlier build does not, then it is read
  local p = parentId and {parentQueue, parentId} or jobParent(prefix, specsKey, id)
  if not p[2] then return end
  childQueue = childQueue or string.match(prefix, '{(.*)}:j:$')
  if outcome == 'c' and p[1] == childQueue then
    if not F then
      local base = string.sub(prefix, 1, -3)
      F = flowContext(prefix, childQueue, {waiting = base .. 'waiting', ready = base .. 'ready', delayed = delayedKey,
        dead = deadKey, stats = statsKey, specs = specsKey, flowOut = flowOutKey, completed = completedKey}, now)
    end
    -- told once the batch is read through, with the parent's other children that completed in it
    local kids = completedKids[p[2]]
    if not kids then
      kids = {}
      completedKids[p[2]] = kids
      completedParents[#completedParents + 1] = p[2]
    end
    kids[#kids + 1] = {childQueue .. ':' .. id, text}
    return
  end
  flowEnds[#flowEnds + 1] = p[1] .. '\0' .. p[2] .. '\0' .. childQueue .. '\0' .. id .. '\0' .. outcome .. '\0' .. text
end
local doneRuns = {} -- id, finish time and record of each kept completed run (see doneKey)
local keepNone = ARGV[2] == 'none'
local wake = false
local G = nil
local groupHeld = ARGV[9] == '2' or ARGV[9] == '3'
-- limits set at run time: every grouped run is counted (see groups), read once a batch, when it has a grouped run
local groupCounted = groupHeld or nil
local function counted()
  if groupCounted == nil then groupCounted = redis.call('HGET', metaKey, 'groupLimits') == '1' end
  return groupCounted
end

local checkLeases = ARGV[8] ~= (redis.call('HGET', statsKey, 'reclaimed') or '0')
local leases = {}
if checkLeases and nDone + nFailed > 0 then
  local ids = {}
  for i = 0, nDone - 1 do ids[#ids + 1] = ARGV[13 + i * DONE] end
  for i = 0, nFailed - 1 do ids[#ids + 1] = ARGV[firstFailed + i * FAILED] end
  leases = zmscore(activeKey, ids)
end
local claimed, taken = {}, {}
local groupEnded, endedGroups = {}, {} -- group -> its runs that ended in this batch; the groups, in order

-- entry k holds the job's current run: true and the job's unique key (or nil) with its window (or nil); else counts
-- it stale and returns false
local function claim(k, id, token)
  if taken[id] or (checkLeases and not holds(leases[k], token)) then
    stale = stale + 1
    return false
  end
  taken[id] = true
  claimed[#claimed + 1] = id
  local _, unique, group, child, parentQueue, parentId = tokenParts(token)
  local uk, window = nil, nil
  if unique then
    local f = redis.call('HMGET', prefix .. id, 'uk', 'uf')
    uk, window = f[1] or nil, f[2] or nil
  end
  if group then
    -- every grouped run was counted by its fetch: uncounted below, once per group of the batch
    local n = groupEnded[group]
    if not n then endedGroups[#endedGroups + 1] = group end
    groupEnded[group] = (n or 0) + 1
  end
  return true, uk, window, child, parentQueue, parentId
end

-- a finished job's unique key: freed, or held for its window
local function ukFinished(uk, window)
  if not uk then return end
  if window then
    ukHold[#ukHold + 1] = string.format('%d', now + tonumber(window))
    ukHold[#ukHold + 1] = uk
  else
    ukDel[#ukDel + 1] = uk
  end
end

for i = 0, nDone - 1 do
  local b = 13 + i * DONE
  local id = ARGV[b]
  local ok, uk, window, child, pq, pi = claim(i + 1, id, ARGV[b + 1])
  if ok then
    done = done + 1
    ukFinished(uk, window)
    if child then
      -- the run's record is "attempt NUL started at NUL result JSON"
      local rec = ARGV[b + 2]
      local second = string.find(rec, '\0', string.find(rec, '\0', 1, true) + 1, true)
      flowEnded(id, 'c', string.sub(rec, second + 1), pq, pi)
    end
    if keepNone then
      drop[#drop + 1] = id
    else
      doneRuns[#doneRuns + 1] = id
      doneRuns[#doneRuns + 1] = nowS .. '\0' .. ARGV[b + 2]
      keep[#keep + 1] = nowS
      keep[#keep + 1] = id
    end
  end
end

local earliest = nil
if nFailed > 0 then
  earliest = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')[2]
  earliest = earliest and tonumber(earliest) or nil
end
for i = 0, nFailed - 1 do
  local b = firstFailed + i * FAILED
  local id = ARGV[b]
  local ok, uk, window, child, pq, pi = claim(nDone + i + 1, id, ARGV[b + 1])
  if ok then
    local key = prefix .. id
    local attemptText = tokenAttemptText(ARGV[b + 1])
    local outcome = ARGV[b + 2]
    local fields
    if outcome == 'l' or outcome == 'L' then
      -- deferred: back to delayed for the delay, not a failure; the attempt count still moves on (every run has a
      -- token of its own), and the deferrals counted in df are given back when the retry policy counts attempts
      deferred = deferred + 1
      local at = now + tonumber(ARGV[b + 5])
      -- a run parked waiting for a signal that arrived while it was still running: due at once (see signalJob)
      local wf = redis.call('HGET', key, 'wf')
      if wf then
        local nul = string.find(wf, '\0', 1, true)
        if tonumber(string.sub(wf, nul + 1)) > now and redis.call('HEXISTS', key, 'sg:' .. string.sub(wf, 1, nul - 1)) == 1 then
          at = now
          redis.call('HDEL', key, 'wf')
        end
      end
      local atS = string.format('%d', at)
      redis.call('HINCRBY', key, 'df', 1)
      fields = {'am', attemptText, 'st', ARGV[b + 6], 'ra', atS}
      retry[#retry + 1] = atS
      retry[#retry + 1] = id
      if not earliest or at < earliest then earliest = at; wake = true end
      if outcome == 'L' and at > queueUntil then queueUntil = at end
    else
      fields = {'e', ARGV[b + 3], 'et', ARGV[b + 4], 'ft', nowS, 'am', attemptText, 'st', ARGV[b + 6],
        'h', historyWith(key, attemptText, ARGV[b + 6], now, ARGV[b + 3])}
      fails[#fails + 1] = id .. '|' .. nowS .. '|' .. string.sub(ARGV[b + 3], 1, 300)
      if outcome == 'r' then
        retried = retried + 1
        local at = now + tonumber(ARGV[b + 5])
        local atS = string.format('%d', at)
        fields[#fields + 1] = 'ra'
        fields[#fields + 1] = atS
        retry[#retry + 1] = atS
        retry[#retry + 1] = id
        if not earliest or at < earliest then earliest = at; wake = true end
      else
        dead = dead + 1
        ukFinished(uk, window)
        if child then flowEnded(id, 'd', ARGV[b + 3], pq, pi) end
        died[#died + 1] = nowS
        died[#died + 1] = id
      end
    end
    redis.call('HSET', key, unpack(fields))
  end
end
for _, parent in ipairs(completedParents) do flowChildrenCompleted(F, parent, completedKids[parent]) end
if #endedGroups > 0 then
  -- only a limit can have held a group back: its runs' ends may let it go again
  G = groupKeys(prefix)
  local held = counted()
  for _, g in ipairs(endedGroups) do
    if groupRunsEnded(G, g, groupEnded[g], held) then wake = true end
  end
end
if #claimed > 0 then callChunked('ZREM', activeKey, claimed) end
deleteJobs(prefix, specsKey, doneKey, drop)
if #ukDel > 0 then callChunked('HDEL', uniqueKey, ukDel) end
if #ukHold > 0 then callChunked('ZADD', uniqueUntilKey, ukHold, 2) end
if #keep > 0 then
  callChunked('ZADD', completedKey, keep, 2)
  -- before the count trim below, which deletes the runs it evicts, these among them
  callChunked('HSET', doneKey, doneRuns, 2)
end
if #retry > 0 then callChunked('ZADD', delayedKey, retry, 2) end
if #died > 0 then callChunked('ZADD', deadKey, died, 2) end
if #fails > 0 then
  callChunked('LPUSH', failuresKey, fails)
  redis.call('LTRIM', failuresKey, 0, 99)
end
-- count retention: drop the oldest beyond the limit (age retention is applied by maintenance). At most
-- TRIM_MAX a call beyond what the batch added, so a limit lowered by a reload (10,000 kept, now 1,000) is caught up
-- in bounded steps, by later finishes and by maintenance (see trimCount), not in one call that holds Redis.
local TRIM_MAX = 1000
if #keep > 0 then trimCount(prefix, specsKey, doneKey, completedKey, ARGV[2], ARGV[3], #keep / 2 + TRIM_MAX) end
if #died > 0 then trimCount(prefix, specsKey, doneKey, deadKey, ARGV[4], ARGV[5], #died / 2 + TRIM_MAX) end
if done > 0 then redis.call('HINCRBY', statsKey, 'completed', done) end
if retried > 0 then redis.call('HINCRBY', statsKey, 'retried', retried) end
if retried + dead > 0 then redis.call('HINCRBY', statsKey, 'failed', retried + dead) end
if dead > 0 then redis.call('HINCRBY', statsKey, 'dead', dead) end
if deferred > 0 then redis.call('HINCRBY', statsKey, 'deferred', deferred) end
if queueUntil > 0 and queueUntil > (tonumber(redis.call('HGET', metaKey, 'limitedUntil')) or 0) then
  redis.call('HSET', metaKey, 'limitedUntil', string.format('%d', queueUntil))
end
-- the minute's and the hour's history (the dashboard's charts over a day and a week): a few calls per batch, none per
-- job; the waits' percentiles come from the workers' reports (recordRunTimes)
local waitCount = tonumber(ARGV[12])
if done + retried + dead > 0 or waitCount > 0 then
  local minute = ARGV[10] .. string.format('%d', math.floor(now / 60000))
  local hour = ARGV[10] .. 'h' .. string.format('%d', math.floor(now / 3600000))
  for _, key in ipairs({minute, hour}) do
    if done > 0 then redis.call('HINCRBY', key, 'c', done) end
    if retried + dead > 0 then redis.call('HINCRBY', key, 'f', retried + dead) end
    if dead > 0 then redis.call('HINCRBY', key, 'd', dead) end
    if waitCount > 0 then
      redis.call('HINCRBY', key, 'ws', ARGV[11])
      redis.call('HINCRBY', key, 'wn', waitCount)
    end
  end
  redis.call('EXPIRE', minute, 90000)
  redis.call('EXPIRE', hour, 8 * 86400 + 3600)
end
if (ARGV[9] == '1' or ARGV[9] == '3') and #claimed > 0 then wake = true end
if wake and redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
if #flowEnds > 0 then callChunked('RPUSH', flowOutKey, flowEnds) end
if stale > 0 then redis.call('HINCRBY', statsKey, 'stale', stale) end
local pushed, unblocked = #flowEnds, {}
if F then
  unblocked = F.readied
  if F.wake and redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
  -- a batch that ended here pushed its callbacks' ends for the relay
  if pushed == 0 and redis.call('LLEN', flowOutKey) > 0 then pushed = 1 end
end
return {done, retried, dead, stale, pushed, unblocked}
