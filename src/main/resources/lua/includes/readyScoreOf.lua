--- @include "readyScore"
--- @include "jobGroup"

-- The ready score of job `id` and its group (nil for none), or nil when the job is gone (a plain job has no ct
-- field: its spec is in the specs hash, or in field s of its hash when an earlier build wrote it; a job whose only
-- option is its group carries it in its spec, see jobGroup).
local function readyScoreOf(prefix, specs, id)
  local v = redis.call('HMGET', prefix .. id, 'p', 'ct', 's', 'g')
  local g = v[4] or nil
  if not (v[2] or v[3]) then
    local spec = redis.call('HGET', specs, id)
    if not spec then return nil end
    g = g or specGroup(spec)
  elseif v[3] and not g then
    g = specGroup(v[3])
  end
  return readyScore(v[1], id), g
end
