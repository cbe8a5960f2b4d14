--[[
  Tells flow parents of one queue that children of theirs have ended (the flow relay brings these from the children's
  queues' flow-out lists, see finishJobs: on a Redis Cluster a child may live in another slot, so its end reaches
  its parent in a second step, which this makes idempotent: a child's outcome is recorded once, whatever the number
  of deliveries).
  KEYS[1] waiting zset (parents waiting for children)   KEYS[2] ready zset   KEYS[3] delayed zset   KEYS[4] dead zset
  KEYS[5] stats hash   KEYS[6] wake-up list   KEYS[7] specs hash   KEYS[8] this queue's flow-out list (a parent that
  dies here is itself told to its own parent)   KEYS[9] completed zset (a batch's record, once done: batchEnded)
  ARGV[1] job key prefix   ARGV[2] this queue's name, then per end: parent id, child ("<queue>:<id>"), outcome (c|d),
    the result JSON or the error
  A completed child's result is kept in the parent's hash (k:<child>), a dead one's error (x:<child>). When a child
  is dead, the parent's policy (fo) says: fail (the parent is dead, naming the child), ignore (it counts as ended),
  or remove (the parent is deleted, and the children it still waits for are handed back to be deleted or cancelled).
  A parent whose children have all ended becomes ready (or delayed to its run-at). A batch's record (bt) counts its
  jobs' outcomes (bk, bx) and, once all have ended and the batch is closed (bo unset), is done (batchEnded).
  Returns: the ids of the parents whose children have all ended (made ready or delayed; a batch's record: done),
  then "<queue> NUL <id>" of each child to delete or cancel.
]]
--- @include "toReady"
--- @include "batchEnded"
local waitingKey, readyKey, delayedKey, deadKey, statsKey, wakeKey, specsKey, flowOutKey, completedKey = KEYS[1], KEYS[2],
  KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local prefix, queue = ARGV[1], ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nowS = string.format('%d', now)
local dead = 0
local readied = {}
local out = {}
local wake = false

-- a parent that has ended (dead, or removed) is itself a child: its end goes up, as finishJobs sends a child's
local function tellParent(key, id, why)
  local p = redis.call('HMGET', key, 'pq', 'pi')
  if p[2] then redis.call('RPUSH', flowOutKey, p[1] .. '\0' .. p[2] .. '\0' .. queue .. '\0' .. id .. '\0d\0' .. why) end
end

-- the children a parent still waits for (its fk lines, less those with an outcome)
local function openChildren(key)
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

for i = 3, #ARGV, 4 do
  local id, child, outcome, text = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local key = prefix .. id
  local known = redis.call('HEXISTS', key, 'k:' .. child) == 1 or redis.call('HEXISTS', key, 'x:' .. child) == 1
  if not known and redis.call('EXISTS', key) == 1 then
    redis.call('HSET', key, (outcome == 'c' and 'k:' or 'x:') .. child, text)
    local batch = redis.call('HEXISTS', key, 'bt') == 1
    if batch then redis.call('HINCRBY', key, outcome == 'c' and 'bk' or 'bx', 1) end
    if redis.call('ZSCORE', waitingKey, id) then
      local policy = redis.call('HGET', key, 'fo') or 'fail'
      if outcome == 'd' and policy == 'fail' then
        local why = 'child ' .. child .. ' is dead: ' .. text
        redis.call('ZREM', waitingKey, id)
        redis.call('HDEL', key, 'fw')
        redis.call('HSET', key, 'e', why, 'et', '', 'ft', nowS)
        redis.call('ZADD', deadKey, nowS, id)
        dead = dead + 1
        tellParent(key, id, why)
      elseif outcome == 'd' and policy == 'remove' then
        for _, line in ipairs(openChildren(key)) do out[#out + 1] = line end
        tellParent(key, id, 'its flow was removed: child ' .. child .. ' is dead')
        redis.call('ZREM', waitingKey, id)
        redis.call('DEL', key)
        redis.call('HINCRBY', statsKey, 'removed', 1)
      else
        local left = redis.call('HINCRBY', key, 'fp', -1)
        if left <= 0 and batch then
          -- an open batch may still take jobs: batchClose ends it
          if redis.call('HGET', key, 'bo') ~= '1' then
            batchEnded(key, id, queue, waitingKey, completedKey, flowOutKey, nowS)
            readied[#readied + 1] = id
          end
        elseif left <= 0 then
          redis.call('ZREM', waitingKey, id)
          redis.call('HDEL', key, 'fw')
          local at = tonumber(redis.call('HGET', key, 'ra')) or 0
          if at > now then
            redis.call('ZADD', delayedKey, string.format('%d', at), id)
          else
            toReady(prefix, specsKey, readyKey, id)
          end
          readied[#readied + 1] = id
          wake = true
        end
      end
    end
  end
end
if dead > 0 then
  redis.call('HINCRBY', statsKey, 'dead', dead)
  redis.call('HINCRBY', statsKey, 'failed', dead)
end
if wake and redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
return {readied, out}
