--- @include "toReady"
--- @include "batchEnded"
-- A flow child's end told to its parent, as flowChildDone does for the ends the relay brings and finishJobs for a
-- completed child whose parent is in the same queue (no relay then). F holds the parent queue's keys and what the
-- deliveries gathered: {prefix, queue, waitingKey, readyKey, delayedKey, deadKey, statsKey, specsKey, flowOutKey,
-- completedKey, now, nowS, dead = 0, readied = {}, out = {}, wake = false} (see flowContext).
local function flowContext(prefix, queue, keys, now)
  return {prefix = prefix, queue = queue, waitingKey = keys.waiting, readyKey = keys.ready, delayedKey = keys.delayed,
    deadKey = keys.dead, statsKey = keys.stats, specsKey = keys.specs, flowOutKey = keys.flowOut,
    completedKey = keys.completed, now = now, nowS = string.format('%d', now), dead = 0, readied = {}, out = {},
    wake = false}
end

-- a parent that has ended (dead, or removed) is itself a child: its end goes up, as finishJobs sends a child's
local function flowTellParent(F, key, id, why)
  local p = redis.call('HMGET', key, 'pq', 'pi')
  if p[2] then
    redis.call('RPUSH', F.flowOutKey, p[1] .. '\0' .. p[2] .. '\0' .. F.queue .. '\0' .. id .. '\0d\0' .. why)
  end
end

-- the children a parent still waits for (its fk lines, less those with an outcome)
local function flowOpenChildren(key)
  local list = redis.call('HGET', key, 'fk')
  local open = {}
  if not list then return open end
  for line in string.gmatch(list, '[^\n]+') do
    local nul = string.find(line, '\0', 1, true)
    local child = string.sub(line, 1, nul - 1) .. ':' .. string.sub(line, nul + 1)
    if redis.call('HEXISTS', key, 'k:' .. child) == 0 and redis.call('HEXISTS', key, 'x:' .. child) == 0 then
      open[#open + 1] = line
    end
  end
  return open
end

-- A waiting parent has `left` children still to end: at none it is ready (or delayed to its run-at), or, a batch's
-- record, ended unless the batch is still open (batchClose ends it then).
local function flowCountedDown(F, key, id, batch, left)
  if left > 0 then return end
  if batch then
    if redis.call('HGET', key, 'bo') ~= '1' then
      batchEnded(key, id, F.queue, F.waitingKey, F.completedKey, F.flowOutKey, F.nowS)
      F.readied[#F.readied + 1] = id
    end
    return
  end
  redis.call('ZREM', F.waitingKey, id)
  redis.call('HDEL', key, 'fw')
  local at = tonumber(redis.call('HGET', key, 'ra')) or 0
  if at > F.now then
    redis.call('ZADD', F.delayedKey, string.format('%d', at), id)
  else
    toReady(F.prefix, F.specsKey, F.readyKey, id)
  end
  F.readied[#F.readied + 1] = id
  F.wake = true
end

-- Parent `id` learns that its children `kids` ({child, result} each, "<queue>:<id>" and its result JSON) completed:
-- finishJobs gathers the completed children of each parent in its queue, which mostly end in the same report as
-- their siblings, so a parent is read once and written once for all of them rather than per child.
local function flowChildrenCompleted(F, id, kids)
  local key = F.prefix .. id
  local fields = {'ct', 'bt', 'fw', 'fp'}
  for _, k in ipairs(kids) do
    fields[#fields + 1] = 'k:' .. k[1]
    fields[#fields + 1] = 'x:' .. k[1]
  end
  local h = redis.call('HMGET', key, unpack(fields))
  if not h[1] then return end -- the parent is gone
  local set, n = {}, 0
  for j, k in ipairs(kids) do
    if not h[3 + 2 * j] and not h[4 + 2 * j] then -- its end not recorded yet
      set[#set + 1] = 'k:' .. k[1]
      set[#set + 1] = k[2]
      n = n + 1
    end
  end
  if n == 0 then return end
  local batch, waiting, left = h[2] and true or false, h[3] and true or false, nil
  if waiting then
    left = (tonumber(h[4]) or 0) - n
    set[#set + 1] = 'fp'
    set[#set + 1] = string.format('%d', left)
  end
  redis.call('HSET', key, unpack(set))
  if batch then redis.call('HINCRBY', key, 'bk', n) end
  if waiting then flowCountedDown(F, key, id, batch, left) end
end

-- Parent `id` learns that `child` ("<queue>:<id>") ended: outcome c (completed, `text` its result JSON) or d (dead,
-- `text` its error). Recorded once, whatever the number of deliveries. A completed child is told as finishJobs tells
-- its batches of them; a dead one goes by the parent's policy for a dead child.
local function flowChildEnded(F, id, child, outcome, text)
  if outcome == 'c' then return flowChildrenCompleted(F, id, {{child, text}}) end
  local key = F.prefix .. id
  -- one read for all this needs: the child's end already recorded (k: or x:), the parent still there (every job's
  -- hash holds its created time, ct), a batch's record (bt), the policy for a dead child (fo), whether it waits for
  -- its children (fw, which is set and removed with its entry in the waiting zset), how many (fp)
  local h = redis.call('HMGET', key, 'k:' .. child, 'x:' .. child, 'ct', 'bt', 'fo', 'fw', 'fp')
  if h[1] or h[2] or not h[3] then return end
  local batch = h[4] and true or false
  local policy = h[5] or 'fail'
  local waiting = h[6] and true or false
  local left = nil
  if waiting and policy ~= 'fail' and policy ~= 'remove' then
    left = (tonumber(h[7]) or 0) - 1
    redis.call('HSET', key, 'x:' .. child, text, 'fp', string.format('%d', left))
  else
    redis.call('HSET', key, 'x:' .. child, text)
  end
  if batch then redis.call('HINCRBY', key, 'bx', 1) end
  if not waiting then return end
  if policy == 'fail' then
    local why = 'child ' .. child .. ' is dead: ' .. text
    redis.call('ZREM', F.waitingKey, id)
    redis.call('HDEL', key, 'fw')
    redis.call('HSET', key, 'e', why, 'et', '', 'ft', F.nowS)
    redis.call('ZADD', F.deadKey, F.nowS, id)
    F.dead = F.dead + 1
    flowTellParent(F, key, id, why)
  elseif policy == 'remove' then
    for _, line in ipairs(flowOpenChildren(key)) do F.out[#F.out + 1] = line end
    flowTellParent(F, key, id, 'its flow was removed: child ' .. child .. ' is dead')
    redis.call('ZREM', F.waitingKey, id)
    redis.call('DEL', key)
    redis.call('HINCRBY', F.statsKey, 'removed', 1)
  else
    flowCountedDown(F, key, id, batch, left)
  end
end
