--[[
  Deletes one job in any state.
  KEYS[1] ready   KEYS[2] delayed   KEYS[3] active   KEYS[4] dead   KEYS[5] completed   KEYS[6] unique-key hash
  KEYS[7] job hash   KEYS[8] stats hash   KEYS[9] ready fifo list
  ARGV[1] id   ARGV[2] job key prefix (its spec and completed run are deleted with it: deleteJobs)
  Returns 1 when the job was deleted, 0 when it does not exist, -1 when it is running: a running handler cannot
  be stopped from here, so deleting it would only hide a job that still runs to the end.
]]
local id = ARGV[1]
local prefix = ARGV[2]
-- a plain job's spec (an earlier build kept it in the job's hash, field s)
local spec = redis.call('HGET', specsKey(prefix), id) or redis.call('HGET', KEYS[7], 's')
if not spec and redis.call('EXISTS', KEYS[7]) == 0 then return 0 end
if redis.call('ZSCORE', KEYS[3], id) then return -1 end
local removed = 0
for i = 1, 5 do removed = removed + redis.call('ZREM', KEYS[i], id) end
-- in no zset: a new job waiting in the fifo list (LREM scans the list, which only an admin call does)
-- listed by its id, or a small plain job by its spec (see fifoEntry)
if removed == 0 then
  if not (spec and redis.call('LREM', KEYS[9], 1, spec) == 1) then redis.call('LREM', KEYS[9], 1, id) end
end
local uk = redis.call('HGET', KEYS[7], 'uk')
if uk and redis.call('HGET', KEYS[6], uk) == id then redis.call('HDEL', KEYS[6], uk) end
deleteJobs(prefix, {id})
redis.call('HINCRBY', KEYS[8], 'removed', 1)
return 1
