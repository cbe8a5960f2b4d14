--- @include "fifo"
--- @include "groups"
--- @include "limits"

-- Jobs a member takes in one turn when the rotation holds more members than a fetch can serve one each: a call
-- takes a turn's jobs (ZPOPMIN), and a call per job, not per turn, was most of a grouped fetch's Redis time, while
-- a turn of a few jobs leaves the groups as even (Jain's index in bin/bench groups) and a group's first job as early.
-- Small fetches (under QUANTUM_FROM jobs) take one job a turn: there a call per job costs little, and each group's
-- turn comes sooner.
local QUANTUM, QUANTUM_FROM = 4, 64

-- takeGrouped's common case: enough members for every job wanted and no group limit, so a turn each of `quantum`
-- jobs (fewer coming back means the group is empty now; one that gave exactly QUANTUM is found empty on its next
-- turn, once per group). Returns the members to push back, in order.
local function takeTurnEach(G, members, max, quantum, takePlain, popped, plainWaiting)
  local back = {}
  local taken, plain = 0, 0
  for _, g in ipairs(members) do
    local ask = math.min(quantum, max - taken - plain) -- the last turn may be short: at most max in all
    if g == '' then
      local before = #popped
      takePlain(ask)
      plain = #popped - before
      if plainWaiting > ask then back[#back + 1] = g else redis.call('SREM', G.inRotation, '') end
    else
      local got = redis.call('ZPOPMIN', G.lane .. g, ask)
      for j = 1, #got, 2 do popped[#popped + 1] = got[j] end
      taken = taken + #got / 2
      -- every grouped run is counted: a group running its last jobs stays listed until they end
      if #got > 0 then redis.call('HINCRBY', G.active, g, #got / 2) end
      if #got == 2 * ask then
        back[#back + 1] = g
      else
        redis.call('SREM', G.inRotation, g)
        groupForgetIfIdle(G, g)
      end
    end
  end
  if taken > 0 then redis.call('HINCRBY', G.meta, 'groupReady', -taken) end
  return back
end

-- The general case: fewer members than jobs wanted, group limits, or limits set at run time. The members take turns,
-- each up to its weight in jobs a turn (1 unless set), up to what it holds and its limits allow (its concurrency,
-- its rate window or smooth slot: the queue's `L`, or those set for it, see groupLimitsOf). Returns the members to
-- push back (those cut off by the end of the last round first) and the earliest time a group it parked has room
-- again.
local function takeByTurns(G, members, max, now, takePlain, popped, plainWaiting, L, heldUntil)
  local caps, parkAt, turns, waiting, lims, tats = {}, {}, {}, {}, {}, {}
  local set = L.custom and redis.call('HMGET', G.limits, unpack(members)) or {}
  for i, g in ipairs(members) do
    local cap = plainWaiting
    local lim = groupLimitsOf(L, set[i])
    lims[i] = lim
    if g ~= '' then
      cap = redis.call('ZCARD', G.lane .. g)
      waiting[i] = cap
      if lim.concurrency > 0 then
        local free = lim.concurrency - (tonumber(redis.call('HGET', G.active, g)) or 0)
        if free <= cap then
          cap = math.max(free, 0)
          parkAt[i] = GROUP_FULL
        end
      end
      if lim.rateMax > 0 and cap > 0 then
        local room, untilAt
        if lim.smooth then
          tats[i] = tonumber(redis.call('GET', G.tat .. g))
          room, untilAt = smoothAllowed(tats[i], cap, lim.rateMax, lim.ratePer, now)
        else
          room, untilAt = allowedJobs(G.window .. g, nil, cap, lim.rateMax, lim.ratePer, 0, now)
        end
        if untilAt > 0 then
          cap = room
          parkAt[i] = untilAt
        end
      end
    end
    caps[i] = cap
    turns[i] = 0
  end
  -- weighted round robin: each member in turn takes up to its weight while any can take one
  local total, more, rounds = 0, true, 0
  while total < max and more do
    more = false
    rounds = rounds + 1
    for i = 1, #members do
      local give = math.min(lims[i].weight or 1, caps[i] - turns[i], max - total)
      if give > 0 then
        turns[i] = turns[i] + give
        total = total + give
        more = true
      end
    end
  end
  local taken, stay = 0, {}
  for i, g in ipairs(members) do
    local t, lim = turns[i], lims[i]
    local keep = false
    if g == '' then
      if t > 0 then takePlain(t) end
      keep = t < plainWaiting
    else
      local lane = G.lane .. g
      if t > 0 then
        local ids = redis.call('ZRANGE', lane, 0, t - 1)
        redis.call('ZREMRANGEBYRANK', lane, 0, t - 1)
        for _, id in ipairs(ids) do popped[#popped + 1] = id end
        redis.call('HINCRBY', G.active, g, t)
        if lim.rateMax > 0 then
          if lim.smooth then
            local at = smoothNext(tats[i], t, lim.rateMax, lim.ratePer, now)
            redis.call('SET', G.tat .. g, at, 'PX', math.ceil(tonumber(at) - now) + 1)
          else
            recordGrant(G.window .. g, t, (fifoEntryId(ids[1])), lim.ratePer, now)
          end
        end
        taken = taken + t
      end
      if waiting[i] <= t then
        groupForgetIfIdle(G, g)
      elseif parkAt[i] and t >= caps[i] then
        -- its limit is reached: out of the rotation until the window has room or a run ends (groupRunEnded)
        redis.call('ZADD', G.parked, string.format('%d', parkAt[i]), g)
        if parkAt[i] ~= GROUP_FULL and (heldUntil == 0 or parkAt[i] < heldUntil) then heldUntil = parkAt[i] end
      else
        keep = true
      end
    end
    if keep then
      stay[#stay + 1] = i
    else
      redis.call('SREM', G.inRotation, g)
    end
  end
  if taken > 0 then redis.call('HINCRBY', G.meta, 'groupReady', -taken) end
  -- the members kept had no cap, so each took its weight every round but the last: those the end of the last round
  -- cut off go first, each set in rotation order (no sort: a comparator in Lua was a fetch's largest cost)
  local back = {}
  for pass = 1, 2 do
    for _, i in ipairs(stay) do
      if (turns[i] < rounds * (lims[i].weight or 1)) == (pass == 1) then back[#back + 1] = members[i] end
    end
  end
  return back, heldUntil
end

-- Takes up to `max` ready jobs into `popped` on a queue with groups: the members at the head of the rotation (the
-- groups, and "" for the ungrouped jobs) take turns, a job a turn, so a fetch of n jobs over n groups takes one
-- from each; they go to the back of the rotation after, a group whose limit it reached is parked, and one left
-- empty leaves. takePlain(n) takes the ungrouped jobs (fetchJobs). Returns the earliest time a group's rate window
-- has room again (0 when no group waits for one): a worker held back by it fetches again then.
local function takeGrouped(G, max, now, takePlain, popped, readyKey, fifoKey, L)
  local heldUntil = groupUnpark(G, now)
  -- parked for their concurrency under a conf that had one: with none now, no run's end would free them
  if L.concurrency == 0 and not L.custom and redis.call('ZCOUNT', G.parked, GROUP_FULL, GROUP_FULL) > 0 then
    local full = redis.call('ZRANGEBYSCORE', G.parked, GROUP_FULL, GROUP_FULL, 'LIMIT', 0, 1000)
    callChunked('ZREM', G.parked, full)
    for _, g in ipairs(full) do groupEnlist(G, g) end
  end
  local plainWaiting = redis.call('LLEN', fifoKey) + redis.call('ZCARD', readyKey)
  if redis.call('EXISTS', G.rotation) == 0 then
    if plainWaiting > 0 then takePlain(max) end
    return heldUntil
  end
  if plainWaiting > 0 then groupEnlist(G, '') end
  local simple = L.concurrency == 0 and L.rateMax == 0 and not L.custom
  local quantum = max >= QUANTUM_FROM and QUANTUM or 1
  -- rounds until the fetch is full or the rotation empty: a round whose members turn out empty (a group that gave a
  -- whole turn last time may have had no more) must not send a worker to sleep while other groups wait. Bounded: a
  -- round takes at least one job or removes every member it found empty.
  local first = #popped
  for _ = 1, 16 do
    local left = max - (#popped - first)
    if left <= 0 or redis.call('EXISTS', G.rotation) == 0 then break end
    local want = simple and math.ceil(left / quantum) or left
    local members = redis.call('LPOP', G.rotation, want)
    local before = #popped
    local back
    if simple and #members == want then
      back = takeTurnEach(G, members, left, quantum, takePlain, popped, plainWaiting)
    else
      back, heldUntil = takeByTurns(G, members, left, now, takePlain, popped, plainWaiting, L, heldUntil)
    end
    if #back > 0 then callChunked('RPUSH', G.rotation, back) end
    plainWaiting = math.max(0, plainWaiting - (#popped - before)) -- an upper bound is enough for the next round
    if #popped == before and #back > 0 then break end -- held back by limits, not empty: nothing more now
  end
  return heldUntil
end
