--- @include "groups"
--- @include "limits"

-- Takes up to `max` ready jobs into `popped` on a queue with groups: the members at the head of the rotation (the
-- groups, and "" for the ungrouped jobs) take turns, a job a turn, each up to what its limits allow (its group
-- concurrency and rate window: L), so a fetch of n jobs over n groups takes one from each. Members that had turns
-- go to the back, those with fewer turns first; a group whose limit it reached is parked, one left empty leaves
-- the rotation. takePlain(n) takes the ungrouped jobs (fetchJobs). Returns the earliest time a group's rate window
-- has room again (0 when no group waits for one): a worker held back by it fetches again then.
local function takeGrouped(G, max, now, takePlain, popped, readyKey, fifoKey, L)
  local heldUntil = groupUnpark(G, now)
  local plainWaiting = redis.call('LLEN', fifoKey) + redis.call('ZCARD', readyKey)
  if redis.call('EXISTS', G.rotation) == 0 then
    if plainWaiting > 0 then takePlain(max) end
    return heldUntil
  end
  if plainWaiting > 0 then groupEnlist(G, '') end
  local members = redis.call('ZRANGE', G.rotation, 0, max - 1)
  local caps, parkAt, turns = {}, {}, {}
  for i, g in ipairs(members) do
    local cap = plainWaiting
    if g ~= '' then
      cap = redis.call('ZCARD', G.lane .. g)
      if L.concurrency > 0 then
        local free = L.concurrency - (tonumber(redis.call('HGET', G.active, g)) or 0)
        if free <= cap then
          cap = math.max(free, 0)
          parkAt[i] = GROUP_FULL
        end
      end
      if L.rateMax > 0 and cap > 0 then
        local room, untilAt = allowedJobs(G.window .. g, nil, cap, L.rateMax, L.ratePer, 0, now)
        if untilAt > 0 then
          cap = room
          parkAt[i] = untilAt
        end
      end
    end
    caps[i] = cap
    turns[i] = 0
  end
  -- round robin: a job to each member in turn while any can take one
  local total, more = 0, true
  while total < max and more do
    more = false
    for i = 1, #members do
      if total < max and turns[i] < caps[i] then
        turns[i] = turns[i] + 1
        total = total + 1
        more = true
      end
    end
  end
  local taken = 0
  local order = {}
  for i, g in ipairs(members) do
    local t = turns[i]
    if g == '' then
      if t > 0 then takePlain(t) end
      if t >= plainWaiting then redis.call('ZREM', G.rotation, '') else order[#order + 1] = i end
    else
      local lane = G.lane .. g
      if t > 0 then
        local ids = redis.call('ZRANGE', lane, 0, t - 1)
        redis.call('ZREMRANGEBYRANK', lane, 0, t - 1)
        for _, id in ipairs(ids) do popped[#popped + 1] = id end
        redis.call('HINCRBY', G.active, g, t)
        if L.rateMax > 0 then recordGrant(G.window .. g, t, ids[1], L.ratePer, now) end
        taken = taken + t
      end
      if redis.call('EXISTS', lane) == 0 then
        redis.call('ZREM', G.rotation, g)
        groupForgetIfIdle(G, g)
      elseif parkAt[i] and t >= caps[i] then
        -- its limit is reached: out of the rotation until the window has room or a run ends (groupRunEnded)
        redis.call('ZREM', G.rotation, g)
        redis.call('ZADD', G.parked, string.format('%d', parkAt[i]), g)
        if parkAt[i] ~= GROUP_FULL and (heldUntil == 0 or parkAt[i] < heldUntil) then heldUntil = parkAt[i] end
      else
        order[#order + 1] = i
      end
    end
  end
  if taken > 0 then redis.call('HINCRBY', G.meta, 'groupReady', -taken) end
  -- to the back, fewest turns first (a member cut off by the end of a round goes before those it was behind)
  table.sort(order, function(a, b)
    if turns[a] ~= turns[b] then return turns[a] < turns[b] end
    return a < b
  end)
  if #order > 0 then
    local last = tonumber(redis.call('ZRANGE', G.rotation, -1, -1, 'WITHSCORES')[2]) or 0
    local add = {}
    for k, i in ipairs(order) do
      add[#add + 1] = string.format('%d', last + k)
      add[#add + 1] = members[i]
    end
    callChunked('ZADD', G.rotation, add, 2)
  end
  return heldUntil
end
