--- @include "readyScoreOf"
--- @include "groups"

-- Puts job `id` among the ready jobs again (released, requeued, revived): into its group's zset when it has a group
-- (see groups), else the queue's ready zset. Returns false when the job is gone.
local function toReady(prefix, specsKey, readyKey, id)
  local score, g = readyScoreOf(prefix, specsKey, id)
  if not score then return false end
  if g then groupPush(groupKeys(prefix), g, score, id) else redis.call('ZADD', readyKey, score, id) end
  return true
end

-- The group of a job that was running, or nil: its run ended, so its group's count of runs drops (see groupRunEnded).
-- Returns true when the group may run again (a worker should wake).
local function runEnded(prefix, specsKey, id)
  local g = jobGroup(prefix, specsKey, id)
  if not g then return false end
  return groupRunEnded(groupKeys(prefix), g)
end
