--- @include "chunked"
--- @include "readyScoreOf"

-- Moves up to `most` delayed jobs due at `now` to the ready zset (a job gone meanwhile is only dropped from delayed),
-- in one ZADD and one ZREM. Returns how many it promoted.
local function promoteDue(delayedKey, readyKey, prefix, specsKey, now, most)
  local due = redis.call('ZRANGEBYSCORE', delayedKey, '-inf', now, 'LIMIT', 0, most)
  if #due == 0 then return 0 end
  local add = {}
  for _, id in ipairs(due) do
    local rs = readyScoreOf(prefix, specsKey, id)
    if rs then
      add[#add + 1] = rs
      add[#add + 1] = id
    end
  end
  if #add > 0 then callChunked('ZADD', readyKey, add, 2) end
  callChunked('ZREM', delayedKey, due)
  return #add / 2
end
