--[[
  Deletes one job in any state, or cancels it.
  KEYS[1] ready   KEYS[2] delayed   KEYS[3] active   KEYS[4] dead   KEYS[5] completed   KEYS[6] unique-key hash
  KEYS[7] job hash   KEYS[8] stats hash   KEYS[9] ready fifo list
  KEYS[10] specs hash (plain jobs' specs, field = id)   KEYS[11] done hash (kept completed runs, field = id)
  KEYS[12] cancel hash (id -> when its cancel was asked, for running jobs)
  KEYS[13] unique-until zset (a deleted job's unique key is freed, its hold after the job's end too)
  KEYS[14] waiting zset (a flow parent waiting for its children; cancelling one answers 4)
  ARGV[1] id   ARGV[2] job key prefix (its spec and completed run are deleted with it: deleteJobs)
  ARGV[3] "cancel" to cancel ("" deletes)   ARGV[4] the nodes' cancel channel   ARGV[5] the message for it
  Deleting returns 1 when the job was deleted, 0 when it does not exist, -1 when it is running: a running handler
  cannot be stopped from here, so deleting it would only hide a job that still runs to the end.
  Cancelling deletes a waiting or delayed job as deleting does (1; 3 when it was delayed), and for a running one (2) records the cancel
  (the worker holding it learns of it from the channel at once, or from its next lease renewal, see extendLeases,
  if it missed the message; maintenance makes a cancelled job whose worker died dead, see maintainQueue) and
  publishes it; a finished (completed or dead) job is left as it is (-2).
]]
--- @include "deleteJobs"
--- @include "groups"
--- @include "jobGroup"
local readyKey, delayedKey, activeKey, deadKey, completedKey, uniqueKey, jobKey, statsKey, fifoKey, specsKey, doneKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local id = ARGV[1]
local prefix = ARGV[2]
-- a plain job's spec (an earlier build kept it in the job's hash, field s)
local spec = redis.call('HGET', specsKey, id) or redis.call('HGET', jobKey, 's')
if not spec and redis.call('EXISTS', jobKey) == 0 then return 0 end
local cancel = ARGV[3] == 'cancel'
if redis.call('ZSCORE', activeKey, id) then
  if not cancel then return -1 end
  local t = redis.call('TIME')
  redis.call('HSET', KEYS[12], id, string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)))
  redis.call('PUBLISH', ARGV[4], ARGV[5])
  return 2
end
if cancel and (redis.call('ZSCORE', deadKey, id) or redis.call('ZSCORE', completedKey, id)) then return -2 end
local wasDelayed = cancel and redis.call('ZSCORE', delayedKey, id)
local wasWaiting = redis.call('ZREM', KEYS[14], id) == 1
local removed = 0
for _, key in ipairs({readyKey, delayedKey, activeKey, deadKey, completedKey}) do
  removed = removed + redis.call('ZREM', key, id)
end
if wasWaiting then removed = removed + 1 end
-- in no zset: a grouped ready job waits in its group's
local g = redis.call('HGET', jobKey, 'g') or (spec and specGroup(spec)) or nil
if removed == 0 and g then removed = groupRemove(groupKeys(prefix), g, id, spec) end
-- else a new job waiting in the fifo list (LREM scans the list, which only an admin call does)
-- listed by its id, or a small plain job by its spec (see fifoEntry)
if removed == 0 then
  if not (spec and redis.call('LREM', fifoKey, 1, spec) == 1) then redis.call('LREM', fifoKey, 1, id) end
end
local uk = redis.call('HGET', jobKey, 'uk')
if uk and redis.call('HGET', uniqueKey, uk) == id then
  redis.call('HDEL', uniqueKey, uk)
  redis.call('ZREM', KEYS[13], uk)
end
deleteJobs(prefix, specsKey, doneKey, {id})
redis.call('HINCRBY', statsKey, 'removed', 1)
if wasDelayed then return 3 end
if cancel and wasWaiting then return 4 end
return 1
