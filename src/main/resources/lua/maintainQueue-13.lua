--[[
  One maintenance pass over a queue; safe to run from many nodes at once (each step is atomic and idempotent).
  1. due delayed jobs -> ready (and groups whose rate window has room again -> the rotation, see groups)
  2. expired leases (stalled jobs) -> ready, or dead after max stalls
  3. age retention of completed and dead jobs, and count retention beyond its limit (bounded steps)
  KEYS[1] ready   KEYS[2] delayed   KEYS[3] active   KEYS[4] dead   KEYS[5] completed   KEYS[6] stats hash
  KEYS[7] wake-up list   KEYS[8] unique-key hash   KEYS[9] meta hash (maintainedAt, graceUntil)
  KEYS[10] specs hash (plain jobs' specs, field = id)   KEYS[11] done hash (kept completed runs, field = id)
  KEYS[12] cancel hash (running jobs whose cancel was asked, see removeJob): a cancelled job that stalls is dead,
    not run again; an entry whose job no longer runs goes
  KEYS[13] flow-out list (a flow's child made dead here is told to its parent, as finishJobs does)
  ARGV[1] job key prefix   ARGV[2] max stalls   ARGV[3..4] completed retention (mode, value)
  ARGV[5..6] dead retention   ARGV[7] most jobs handled per step   ARGV[8] grace ms after an outage
  ARGV[9] a gap between two passes longer than this (ms) was an outage
  ARGV[10] the longest wait for the next pass (ms) when nothing comes due sooner   ARGV[11] the node's tick (ms)
  Returns: promoted, requeued stalled, dead from stalls, trimmed, grace left ms (0 none), flow ends waiting in
  flow-out (the node's flow relay then delivers them), ms until the next pass is needed.
  A pass writes when the next one is needed (meta maintainDue): the earliest of the next delayed job, the next lease
  to expire, the end of a grace, and ARGV[10] from now (a grouped queue: the tick, as its parked groups may come back
  any time). A pass before then, from any node, returns at once: an idle queue costs one pass every ARGV[10] in
  all, not one per node per tick. Nothing is missed meanwhile: a fetch promotes due delayed jobs itself and wakes
  on an earlier one, and a lease handed out later expires after a lease (ARGV[10] is at most half of one).
  After an outage (Redis stopped or stalled, or every node away: no pass from any node for longer than the gap,
  on Redis time) expired leases are left alone for the grace: live workers that could not renew their leases or
  report their outcomes while Redis was away get the time to do so, instead of every job in flight running again.
  A job whose worker did die is requeued one grace later.
]]
--- @include "chunked"
--- @include "promoteDue"
--- @include "lease"
--- @include "trimCount"
--- @include "history"
local readyKey, delayedKey, activeKey, deadKey, completedKey, statsKey, wakeKey, uniqueKey, metaKey, specsKey, doneKey, cancelKey, flowOutKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix = ARGV[1]
local maxStalled = tonumber(ARGV[2])
local limit = tonumber(ARGV[7])
local promoted, requeued, dead, trimmed = 0, 0, 0, 0
-- the last time Redis was seen serving this queue: a maintenance pass, or a fetch that handed out leases (so a stall
-- that begins before the first pass still counts as one)
local meta = redis.call('HMGET', metaKey, 'maintainedAt', 'graceUntil', 'leasedAt', 'maintainDue', 'grouped')
local graceUntil = tonumber(meta[2]) or 0
local dueAt = tonumber(meta[4])
if dueAt and now < dueAt then return {0, 0, 0, 0, math.max(0, graceUntil - now), 0, dueAt - now} end
local seenAt = math.max(tonumber(meta[1]) or 0, tonumber(meta[3]) or 0)
if seenAt > 0 and now - seenAt > tonumber(ARGV[9]) then
  graceUntil = now + tonumber(ARGV[8])
  redis.call('HSET', metaKey, 'graceUntil', string.format('%d', graceUntil))
end
local graceLeft = math.max(0, graceUntil - now)
local function head(key)
  local score = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
  return score and tonumber(score)
end
local nextDelayed = head(delayedKey)
if nextDelayed and nextDelayed <= now then
  promoted = promoteDue(delayedKey, readyKey, prefix, specsKey, now, limit)
  nextDelayed = head(delayedKey)
end
-- groups held back by their rate window that have room again (a fetch does this too, but workers held back sleep)
local unparked = 0
local grouped = meta[5] == '1'
if grouped then
  local G = groupKeys(prefix)
  local before = redis.call('ZCARD', G.parked)
  groupUnpark(G, now)
  unparked = before - redis.call('ZCARD', G.parked)
end

local expired = {}
local nextLease = head(activeKey)
if graceLeft == 0 and nextLease and nextLease <= tonumber(expiredBelow(now)) then
  expired = redis.call('ZRANGEBYSCORE', activeKey, '-inf', expiredBelow(now), 'LIMIT', 0, limit)
end
for _, id in ipairs(expired) do
  local key = prefix .. id
  -- the stalled run counts as an attempt: its lease held it, the job's hash did not (see leaseScore)
  local attempt = redis.call('HINCRBY', key, 'am', 1)
  local stalls = redis.call('HINCRBY', key, 'sc', 1)
  redis.call('HSET', key, 'h', historyWith(key, attempt, 0, now, 'stalled: the lease expired (worker died or hung)'))
  local cancelled = redis.call('HDEL', cancelKey, id) == 1
  if stalls > maxStalled or cancelled then
    local why = cancelled and 'cancelled (its worker stopped before the run ended)'
      or 'stalled: the lease expired ' .. stalls .. ' times (worker died or hung)'
    redis.call('HSET', key, 'e', why, 'et', '', 'ft', now)
    local parent = jobParent(prefix, specsKey, id)
    if parent[2] then
      redis.call('RPUSH', flowOutKey, parent[1] .. '\0' .. parent[2] .. '\0' .. string.match(prefix, '{(.*)}:j:$') .. '\0'
        .. id .. '\0d\0' .. why)
    end
    redis.call('ZADD', deadKey, now, id)
    local uk = redis.call('HGET', key, 'uk')
    if uk then redis.call('HDEL', uniqueKey, uk) end
    dead = dead + 1
    runEnded(prefix, specsKey, id)
  else
    runEnded(prefix, specsKey, id)
    if toReady(prefix, specsKey, readyKey, id) then requeued = requeued + 1 end
  end
end
if #expired > 0 then
  callChunked('ZREM', activeKey, expired)
  nextLease = head(activeKey)
  -- jobs taken from their runs: a finish reporting a run fetched before this checks its lease (see finishJobs)
  redis.call('HINCRBY', statsKey, 'reclaimed', #expired)
end
if requeued > 0 then redis.call('HINCRBY', statsKey, 'stalled', requeued) end
if dead > 0 then
  redis.call('HINCRBY', statsKey, 'dead', dead)
  redis.call('HINCRBY', statsKey, 'failed', dead)
end

-- cancels of runs that ended without the worker clearing them (it stopped meanwhile); few, and read only when any
if redis.call('EXISTS', cancelKey) == 1 then
  local ids = redis.call('HKEYS', cancelKey)
  local running = zmscore(activeKey, ids)
  local gone = {}
  for k, id in ipairs(ids) do if not running[k] then gone[#gone + 1] = id end end
  if #gone > 0 then callChunked('HDEL', cancelKey, gone) end
end

local function trimAge(set, mode, value)
  if mode ~= 'age' then return end
  local old = redis.call('ZRANGEBYSCORE', set, '-inf', now - tonumber(value), 'LIMIT', 0, limit)
  if #old > 0 then
    deleteJobs(prefix, specsKey, doneKey, old)
    callChunked('ZREM', set, old)
    trimmed = trimmed + #old
  end
end
trimAge(completedKey, ARGV[3], ARGV[4])
trimAge(deadKey, ARGV[5], ARGV[6])
-- count retention is kept by finishJobs as runs end; here it catches up after the limit was lowered
trimmed = trimmed + trimCount(prefix, specsKey, doneKey, completedKey, ARGV[3], ARGV[4], limit)
trimmed = trimmed + trimCount(prefix, specsKey, doneKey, deadKey, ARGV[5], ARGV[6], limit)

if promoted + requeued + unparked > 0 and redis.call('LLEN', wakeKey) == 0 then
  redis.call('LPUSH', wakeKey, '1')
end

local due = now + tonumber(grouped and ARGV[11] or ARGV[10])
if nextDelayed then due = math.min(due, nextDelayed) end
if nextLease then due = math.min(due, math.floor(nextLease / 1000) + 1) end
if graceLeft > 0 then due = math.min(due, graceUntil) end
-- a step that handled all it may at once left more: the next pass comes a tick later
if promoted + #expired >= limit or trimmed >= limit then due = now end
redis.call('HSET', metaKey, 'maintainedAt', string.format('%d', now), 'maintainDue', string.format('%d', due))
-- ends of flow children still to be told to their parents (a relay that stopped midway, or a node's trigger lost)
return {promoted, requeued, dead, trimmed, graceLeft, redis.call('LLEN', flowOutKey), due - now}
