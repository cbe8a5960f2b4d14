--- @include "deleteJobs"

-- Count retention of a kept set (completed or dead): deletes its oldest jobs beyond `value`, at most `most` of
-- them; their records go before the set's entries, so an entry never outlives its job's data. Returns how many.
local function trimCount(prefix, specs, done, set, mode, value, most)
  if mode ~= 'count' then return 0 end
  local excess = math.min(redis.call('ZCARD', set) - tonumber(value), most)
  if excess <= 0 then return 0 end
  -- ids only, as in fetchJobs: ZPOPMIN would send scores Redis prints with %.17g
  local old = redis.call('ZRANGE', set, 0, excess - 1)
  deleteJobs(prefix, specs, done, old)
  redis.call('ZREMRANGEBYRANK', set, 0, excess - 1)
  return excess
end
