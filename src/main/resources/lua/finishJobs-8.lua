--[[
  Records the outcome of a batch of runs: completed, retry later, or dead.
  KEYS[1] active   KEYS[2] delayed   KEYS[3] dead   KEYS[4] completed   KEYS[5] stats hash   KEYS[6] unique-key hash
  KEYS[7] recent failures list   KEYS[8] wake-up list
  ARGV[1] job key prefix   ARGV[2..3] completed retention (mode none|all|count|age, value)
  ARGV[4..5] dead retention   ARGV[6] number of entries, then 6 values per entry:
    id, attempt token, outcome (c = completed, r = retry, d = dead), result JSON or error message,
    error trace, retry delay ms
  An entry whose token is not the job's current attempt, or whose job is no longer active (its lease expired
  and it was requeued), is stale and ignored: the run that holds the job now will report it.
  Returns: completed, retried, dead, stale.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix = ARGV[1]
local n = tonumber(ARGV[6])
local done, retried, dead, stale = 0, 0, 0, 0
local drop, keep, retry, died, fails, ukDel = {}, {}, {}, {}, {}, {}
local keepNone = ARGV[2] == 'none'
local earliest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2]
earliest = earliest and tonumber(earliest) or nil
local wake = false
for i = 0, n - 1 do
  local b = 7 + i * 6
  local id = ARGV[b]
  local key = prefix .. id
  local cur = redis.call('HMGET', key, 'am', 'uk')
  if cur[1] ~= ARGV[b + 1] or redis.call('ZREM', KEYS[1], id) == 0 then
    stale = stale + 1
  else
    local outcome = ARGV[b + 2]
    if outcome == 'c' then
      done = done + 1
      if cur[2] then ukDel[#ukDel + 1] = cur[2] end
      if keepNone then
        drop[#drop + 1] = key
      else
        redis.call('HSET', key, 'ft', now, 'res', ARGV[b + 3])
        keep[#keep + 1] = now
        keep[#keep + 1] = id
      end
    else
      redis.call('HSET', key, 'e', ARGV[b + 3], 'et', ARGV[b + 4], 'ft', now)
      fails[#fails + 1] = id .. '|' .. now .. '|' .. string.sub(ARGV[b + 3], 1, 300)
      if outcome == 'r' then
        retried = retried + 1
        local at = now + tonumber(ARGV[b + 5])
        redis.call('HSET', key, 'ra', at)
        retry[#retry + 1] = at
        retry[#retry + 1] = id
        if not earliest or at < earliest then earliest = at; wake = true end
      else
        dead = dead + 1
        if cur[2] then ukDel[#ukDel + 1] = cur[2] end
        died[#died + 1] = now
        died[#died + 1] = id
      end
    end
  end
end
if #drop > 0 then redis.call('DEL', unpack(drop)) end
if #ukDel > 0 then redis.call('HDEL', KEYS[6], unpack(ukDel)) end
if #keep > 0 then redis.call('ZADD', KEYS[4], unpack(keep)) end
if #retry > 0 then redis.call('ZADD', KEYS[2], unpack(retry)) end
if #died > 0 then redis.call('ZADD', KEYS[3], unpack(died)) end
if #fails > 0 then
  redis.call('LPUSH', KEYS[7], unpack(fails))
  redis.call('LTRIM', KEYS[7], 0, 99)
end
-- count retention: drop the oldest beyond the limit (age retention is applied by maintenance)
local function trim(set, mode, value)
  if mode ~= 'count' then return end
  local excess = redis.call('ZCARD', set) - tonumber(value)
  if excess > 0 then
    local old = redis.call('ZPOPMIN', set, excess)
    local keys = {}
    for i = 1, #old, 2 do keys[#keys + 1] = prefix .. old[i] end
    redis.call('DEL', unpack(keys))
  end
end
if #keep > 0 then trim(KEYS[4], ARGV[2], ARGV[3]) end
if #died > 0 then trim(KEYS[3], ARGV[4], ARGV[5]) end
if done > 0 then redis.call('HINCRBY', KEYS[5], 'completed', done) end
if retried > 0 then redis.call('HINCRBY', KEYS[5], 'retried', retried) end
if retried + dead > 0 then redis.call('HINCRBY', KEYS[5], 'failed', retried + dead) end
if dead > 0 then redis.call('HINCRBY', KEYS[5], 'dead', dead) end
if wake and redis.call('LLEN', KEYS[8]) == 0 then redis.call('LPUSH', KEYS[8], '1') end
return {done, retried, dead, stale}
