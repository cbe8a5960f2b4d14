-- The keys an enqueue may find taken: an idempotency key (held for the window from its first enqueue, whatever became
-- of the job) and a unique key (held while its job exists, or for its "uniqueFor" window after the job finished).
-- Each forgets a few expired keys on its first use in a call, so both stay bounded without a sweep of their own.
--- @include "chunked"

local idemPruned = false
-- The id of the job an earlier enqueue with idempotency key `ik` made within the window, or nil.
local function idempotencyHolder(idemKey, idemAtKey, ik, since)
  if not idemPruned then
    idemPruned = true
    local old = redis.call('ZRANGEBYSCORE', idemAtKey, '-inf', '(' .. string.format('%d', since), 'LIMIT', 0, 100)
    if #old > 0 then
      callChunked('HDEL', idemKey, old)
      callChunked('ZREM', idemAtKey, old)
    end
  end
  return redis.call('HGET', idemKey, ik)
end

local uniquePruned = false
-- The id of the job holding unique key `uk`, or nil (a hold whose window is over is freed here).
local function uniqueHolder(uniqueKey, uniqueUntilKey, prefix, uk, now, nowS)
  if not uniquePruned then
    uniquePruned = true
    local over = redis.call('ZRANGEBYSCORE', uniqueUntilKey, '-inf', nowS, 'LIMIT', 0, 100)
    if #over > 0 then
      callChunked('HDEL', uniqueKey, over)
      callChunked('ZREM', uniqueUntilKey, over)
    end
  end
  local existing = redis.call('HGET', uniqueKey, uk)
  if not existing then return nil end
  local heldUntil = redis.call('ZSCORE', uniqueUntilKey, uk)
  if heldUntil then
    -- its job finished, and the key is held for the job's window (uniqueFor): free once that is over
    if tonumber(heldUntil) > now then return existing end
    redis.call('HDEL', uniqueKey, uk)
    redis.call('ZREM', uniqueUntilKey, uk)
    return nil
  end
  if redis.call('EXISTS', prefix .. existing) == 0 then return nil end
  return existing
end
