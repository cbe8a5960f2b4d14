--- @include "chunked"
--- @include "toReady"

-- Moves up to `most` delayed jobs due at `now` to the ready zset, a grouped one to its group's (a job gone
-- meanwhile is only dropped from delayed), ungrouped ones in one ZADD, and all in one ZREM. Returns how many it
-- promoted.
local function promoteDue(delayedKey, readyKey, prefix, specsKey, now, most)
  local due = redis.call('ZRANGEBYSCORE', delayedKey, '-inf', now, 'LIMIT', 0, most)
  if #due == 0 then return 0 end
  local add = {}
  local promoted = 0
  for _, id in ipairs(due) do
    local rs, g = readyScoreOf(prefix, specsKey, id)
    if rs then
      promoted = promoted + 1
      if g then
        groupPush(groupKeys(prefix), g, rs, id)
      else
        add[#add + 1] = rs
        add[#add + 1] = id
      end
    end
  end
  if #add > 0 then callChunked('ZADD', readyKey, add, 2) end
  callChunked('ZREM', delayedKey, due)
  return promoted
end
