--[[
  Steers one waiting job: promote a delayed one to run now, change its priority, or change its run-at time.
  KEYS[1] ready zset   KEYS[2] delayed zset   KEYS[3] active zset   KEYS[4] ready fifo list   KEYS[5] specs hash
  KEYS[6] wake-up list
  ARGV[1] job key prefix   ARGV[2] id   ARGV[3] what: promote | priority | runAt   ARGV[4] the new priority, or the
    run-at Redis ms (a time not ahead makes the job ready now)
  Returns: the job's state afterwards (ready, delayed), or an error word: missing (no such job), running, waiting (a
  flow's parent or a batch's callback waiting for its children), finished (dead or completed: retry it instead). Promoting a job that is ready already changes nothing. Where the job waits is found without scanning, except a new job in the fifo
  list, which LREM finds (an admin call, not a hot path). A plain job (a spec, no hash) that gets a priority gets a
  hash: its spec's fields go there.
]]
--- @include "fifo"
--- @include "toReady"
local readyKey, delayedKey, activeKey, fifoKey, specsKey, wakeKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local prefix, id, what, value = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local key = prefix .. id
local spec = redis.call('HGET', specsKey, id)
local h = redis.call('HMGET', key, 'n', 'g')
if not spec and not h[1] then return 'missing' end
h[2] = h[2] or (spec and specGroup(spec)) or nil -- a job whose only option is its group carries it in its spec
if redis.call('ZSCORE', activeKey, id) then return 'running' end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local G = h[2] and groupKeys(prefix) or nil
-- why a job that waits nowhere cannot be steered: it waits for its children (fp: how many have not ended), or it
-- has finished
local function notWaiting()
  if (tonumber(redis.call('HGET', key, 'fp')) or 0) > 0 then return 'waiting' end
  return 'finished'
end

-- takes the job out of where it waits; returns where it was (delayed, with its run-at; ready), or nil when it waits
-- nowhere (finished)
local function takeOut()
  local at = redis.call('ZSCORE', delayedKey, id)
  if at then
    redis.call('ZREM', delayedKey, id)
    return 'delayed', at
  end
  if G then
    if groupRemove(G, h[2], id, spec) == 1 then return 'ready' end
    return nil
  end
  if redis.call('ZREM', readyKey, id) == 1 then return 'ready' end
  local entry = (spec and fifoHolds(spec)) and spec or id
  if redis.call('LREM', fifoKey, 1, entry) == 1 then return 'ready' end
  return nil
end

-- promoting a job that is not delayed changes nothing
if what == 'promote' and not redis.call('ZSCORE', delayedKey, id) then
  local inReady = redis.call('ZSCORE', readyKey, id)
    or (G and (redis.call('ZSCORE', G.lane .. h[2], id) or (spec and redis.call('ZSCORE', G.lane .. h[2], spec))))
  if inReady then return 'ready' end
  local entry = (spec and fifoHolds(spec)) and spec or id
  if redis.call('LPOS', fifoKey, entry) then return 'ready' end
  return notWaiting()
end
local was, runAt = takeOut()
if not was then return notWaiting() end
if what == 'priority' then
  if spec and specCompressed(spec) then
    -- its tail is a zstd frame: the hash keeps the spec whole (field s, which every reader takes as the job's)
    redis.call('HSET', key, 's', spec)
    redis.call('HDEL', specsKey, id)
  elseif spec then
    -- a plain job gets a hash of its own, as a job enqueued with options has: "id NUL created NUL payload NUL name"
    local created, group, payload, name, parentQueue, parentId = specParts(spec)
    redis.call('HSET', key, 'n', name, 'd', payload, 'ct', created)
    if group then redis.call('HSET', key, 'g', group) end
    if parentId then redis.call('HSET', key, 'pq', parentQueue, 'pi', parentId) end
    redis.call('HDEL', specsKey, id)
  end
  redis.call('HSET', key, 'p', value)
  if was == 'delayed' then
    redis.call('ZADD', delayedKey, runAt, id) -- its priority applies once it is due
    return 'delayed'
  end
  toReady(prefix, specsKey, readyKey, id)
elseif what == 'runAt' and tonumber(value) > now then
  redis.call('ZADD', delayedKey, value, id)
  if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 'ra', value) end
  return 'delayed'
else
  -- promote, or a run-at not ahead: ready now
  redis.call('HDEL', key, 'ra')
  toReady(prefix, specsKey, readyKey, id)
end
if redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
return 'ready'
