-- Takes back the job of a schedule's fire that was enqueued ahead of its fire time (see dueSchedules and
-- enqueueJobs, "<name>:ahead"), when it has not run: a schedule paused, changed or deleted before that time makes
-- no job for it. Once its fire time came and it was promoted (or has run), the fire has happened and the job stays.
local function takeBackAhead(stateKey, delayedKey, prefix, name)
  local id = redis.call('HGET', stateKey, name .. ':ahead')
  if not id then return end
  redis.call('HDEL', stateKey, name .. ':ahead')
  -- never started ("am", attempts made, is written when a run ends): not a retry of the job waiting in delayed
  if redis.call('ZSCORE', delayedKey, id) and redis.call('HEXISTS', prefix .. id, 'am') == 0 then
    redis.call('ZREM', delayedKey, id)
    redis.call('DEL', prefix .. id)
    redis.call('HINCRBY', stateKey, name .. ':fires', -1)
  end
end
