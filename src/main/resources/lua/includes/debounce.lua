-- A waiting job that holds a unique key takes a debouncing enqueue's payload, and its run-at when that enqueue has
-- one: a delayed job moves; a ready one becomes delayed to it. Returns the new run-at when it is ahead, else nil.
--- @include "groups"
local function debounce(K, prefix, id, payload, runAt, delay, now)
  local key = prefix .. id
  redis.call('HSET', key, 'd', payload)
  local at = delay > 0 and now + delay or runAt
  if at <= now then return nil end
  local atS = string.format('%d', at)
  redis.call('HSET', key, 'ra', atS)
  if not redis.call('ZSCORE', K.delayed, id) then
    -- ready: out of its group's zset, the ready zset or the fifo list (a unique job is listed there by its id)
    local g = redis.call('HGET', key, 'g')
    if g then
      groupRemove(groupKeys(prefix), g, id)
    elseif redis.call('ZREM', K.ready, id) == 0 then
      redis.call('LREM', K.fifo, 1, id)
    end
  end
  redis.call('ZADD', K.delayed, atS, id)
  return at
end
