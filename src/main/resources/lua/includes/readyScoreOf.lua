--- @include "readyScore"

-- The ready score of job `id` and its group (nil for none), or nil when the job is gone (a plain job has no ct
-- field: its spec is in the specs hash, or in field s of its hash when an earlier build wrote it).
local function readyScoreOf(prefix, specs, id)
  local v = redis.call('HMGET', prefix .. id, 'p', 'ct', 's', 'g')
  if not (v[2] or v[3]) and redis.call('HEXISTS', specs, id) == 0 then return nil end
  return readyScore(v[1], id), v[4] or nil
end
