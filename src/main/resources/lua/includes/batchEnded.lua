-- A batch whose jobs have all ended and that is closed (see flowChildDone, batchClose): its record (a parent-like
-- hash in the waiting zset, field bt) is done (into the completed zset, kept by retention like a job), and its two
-- callbacks, flow parents waiting for it, are told: the "complete" one (pq, pi) always, as a child that completed
-- with the batch's counts; the "success" one (pq2, pi2) as completed when no job of the batch is dead, else as dead,
-- which deletes it (its policy is "remove"). Returns nothing; the ends wait in flowOutKey for the relay.
local function batchEnded(key, id, queue, waitingKey, completedKey, flowOutKey, nowS)
  local f = redis.call('HMGET', key, 'bk', 'bx', 'pq', 'pi', 'pq2', 'pi2')
  local ok, failed = tonumber(f[1]) or 0, tonumber(f[2]) or 0
  local summary = '{"succeeded":' .. ok .. ',"failed":' .. failed .. '}'
  redis.call('ZREM', waitingKey, id)
  redis.call('HDEL', key, 'fw')
  redis.call('HSET', key, 'ft', nowS)
  redis.call('ZADD', completedKey, nowS, id)
  -- counted with the queue's completed jobs, as it is kept with them: the kept never outnumber the all-time count
  -- (the stats hash is "<base>stats" beside "<base>completed", in the same slot)
  redis.call('HINCRBY', string.sub(completedKey, 1, -10) .. 'stats', 'completed', 1)
  if f[4] then redis.call('RPUSH', flowOutKey, f[3] .. '\0' .. f[4] .. '\0' .. queue .. '\0' .. id .. '\0c\0' .. summary) end
  if f[6] then
    local outcome = failed > 0 and 'd\0' .. failed .. ' of the batch\'s jobs are dead' or 'c\0' .. summary
    redis.call('RPUSH', flowOutKey, f[5] .. '\0' .. f[6] .. '\0' .. queue .. '\0' .. id .. '\0' .. outcome)
  end
end
