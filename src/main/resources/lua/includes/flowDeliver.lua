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

-- Parent `id` learns that `child` ("<queue>:<id>") ended: outcome c (completed, `text` its result JSON) or d (dead,
-- `text` its error). Recorded once, whatever the number of deliveries.
local function flowChildEnded(F, id, child, outcome, text)
  local key = F.prefix .. id
  local known = redis.call('HEXISTS', key, 'k:' .. child) == 1 or redis.call('HEXISTS', key, 'x:' .. child) == 1
  if not known and redis.call('EXISTS', key) == 1 then
    redis.call('HSET', key, (outcome == 'c' and 'k:' or 'x:') .. child, text)
    local batch = redis.call('HEXISTS', key, 'bt') == 1
    if batch then redis.call('HINCRBY', key, outcome == 'c' and 'bk' or 'bx', 1) end
    if redis.call('ZSCORE', F.waitingKey, id) then
      local policy = redis.call('HGET', key, 'fo') or 'fail'
      if outcome == 'd' and policy == 'fail' then
        local why = 'child ' .. child .. ' is dead: ' .. text
        redis.call('ZREM', F.waitingKey, id)
        redis.call('HDEL', key, 'fw')
        redis.call('HSET', key, 'e', why, 'et', '', 'ft', F.nowS)
        redis.call('ZADD', F.deadKey, F.nowS, id)
        F.dead = F.dead + 1
        flowTellParent(F, key, id, why)
      elseif outcome == 'd' and policy == 'remove' then
        for _, line in ipairs(flowOpenChildren(key)) do F.out[#F.out + 1] = line end
        flowTellParent(F, key, id, 'its flow was removed: child ' .. child .. ' is dead')
        redis.call('ZREM', F.waitingKey, id)
        redis.call('DEL', key)
        redis.call('HINCRBY', F.statsKey, 'removed', 1)
      else
        local left = redis.call('HINCRBY', key, 'fp', -1)
        if left <= 0 and batch then
          -- an open batch may still take jobs: batchClose ends it
          if redis.call('HGET', key, 'bo') ~= '1' then
            batchEnded(key, id, F.queue, F.waitingKey, F.completedKey, F.flowOutKey, F.nowS)
            F.readied[#F.readied + 1] = id
          end
        elseif left <= 0 then
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
      end
    end
  end
end
