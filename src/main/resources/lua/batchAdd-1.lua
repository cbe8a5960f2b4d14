--[[
  Makes room in an open batch for jobs about to be added: its count of jobs still to end grows first, so the batch
  cannot end between the add and the jobs' creation. A closed batch takes no more.
  KEYS[1] the batch's record (a job hash of its queue, see batchEnded)
  ARGV[1] how many jobs
  Returns the jobs the batch waits for now, 0 when there is no such batch, -1 when it is closed.
]]
local recordKey = KEYS[1]
if redis.call('HEXISTS', recordKey, 'bt') == 0 then return 0 end
if redis.call('HGET', recordKey, 'bo') ~= '1' then return -1 end
return redis.call('HINCRBY', recordKey, 'fp', tonumber(ARGV[1]))
