--[[
  Deletes one job in any state.
  KEYS[1] ready   KEYS[2] delayed   KEYS[3] active   KEYS[4] dead   KEYS[5] completed   KEYS[6] unique-key hash
  KEYS[7] job hash   KEYS[8] stats hash   KEYS[9] ready fifo list
  KEYS[10] specs hash (plain jobs' specs, field = id)   KEYS[11] done hash (kept completed runs, field = id)
  ARGV[1] id   ARGV[2] job key prefix (its spec and completed run are deleted with it: deleteJobs)
  Returns 1 when the job was deleted, 0 when it does not exist, -1 when it is running: a running handler cannot
  be stopped from here, so deleting it would only hide a job that still runs to the end.
]]
--- @include "deleteJobs"
--- @include "groups"
local readyKey, delayedKey, activeKey, deadKey, completedKey, uniqueKey, jobKey, statsKey, fifoKey, specsKey, doneKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local id = ARGV[1]
local prefix = ARGV[2]
-- a plain job's spec (an earlier build kept it in the job's hash, field s)
local spec = redis.call('HGET', specsKey, id) or redis.call('HGET', jobKey, 's')
if not spec and redis.call('EXISTS', jobKey) == 0 then return 0 end
if redis.call('ZSCORE', activeKey, id) then return -1 end
local removed = 0
for _, key in ipairs({readyKey, delayedKey, activeKey, deadKey, completedKey}) do
  removed = removed + redis.call('ZREM', key, id)
end
-- in no zset: a grouped ready job waits in its group's
local g = redis.call('HGET', jobKey, 'g')
if removed == 0 and g then removed = groupRemove(groupKeys(prefix), g, id) end
-- else a new job waiting in the fifo list (LREM scans the list, which only an admin call does)
-- listed by its id, or a small plain job by its spec (see fifoEntry)
if removed == 0 then
  if not (spec and redis.call('LREM', fifoKey, 1, spec) == 1) then redis.call('LREM', fifoKey, 1, id) end
end
local uk = redis.call('HGET', jobKey, 'uk')
if uk and redis.call('HGET', uniqueKey, uk) == id then redis.call('HDEL', uniqueKey, uk) end
deleteJobs(prefix, specsKey, doneKey, {id})
redis.call('HINCRBY', statsKey, 'removed', 1)
return 1
