--[[
  Tells flow parents of one queue that children of theirs have ended (the flow relay brings these from the children's
  queues' flow-out lists, see finishJobs: on a Redis Cluster a child may live in another slot, so its end reaches
  its parent in a second step, which this makes idempotent: a child's outcome is recorded once, whatever the number
  of deliveries).
  KEYS[1] waiting zset (parents waiting for children)   KEYS[2] ready zset   KEYS[3] delayed zset   KEYS[4] dead zset
  KEYS[5] stats hash   KEYS[6] wake-up list   KEYS[7] specs hash   KEYS[8] this queue's flow-out list (a parent that
  dies here is itself told to its own parent)   KEYS[9] completed zset (a batch's record, once done: batchEnded)
  ARGV[1] job key prefix   ARGV[2] this queue's name, then per end: parent id, child ("<queue>:<id>"), outcome (c|d),
    the result JSON or the error
  A completed child's result is kept in the parent's hash (k:<child>), a dead one's error (x:<child>). When a child
  is dead, the parent's policy (fo) says: fail (the parent is dead, naming the child), ignore (it counts as ended),
  or remove (the parent is deleted, and the children it still waits for are handed back to be deleted or cancelled).
  A parent whose children have all ended becomes ready (or delayed to its run-at). A batch's record (bt) counts its
  jobs' outcomes (bk, bx) and, once all have ended and the batch is closed (bo unset), is done (batchEnded).
  Returns: the ids of the parents whose children have all ended (made ready or delayed; a batch's record: done),
  then "<queue> NUL <id>" of each child to delete or cancel.
]]
--- @include "flowDeliver"
local waitingKey, readyKey, delayedKey, deadKey, statsKey, wakeKey, specsKey, flowOutKey, completedKey = KEYS[1], KEYS[2],
  KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local keys = {waiting = waitingKey, ready = readyKey, delayed = delayedKey, dead = deadKey, stats = statsKey,
  specs = specsKey, flowOut = flowOutKey, completed = completedKey}
local t = redis.call('TIME')
local F = flowContext(ARGV[1], ARGV[2], keys, tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
for i = 3, #ARGV, 4 do flowChildEnded(F, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]) end
if F.dead > 0 then
  redis.call('HINCRBY', statsKey, 'dead', F.dead)
  redis.call('HINCRBY', statsKey, 'failed', F.dead)
end
if F.wake and redis.call('LLEN', wakeKey) == 0 then redis.call('LPUSH', wakeKey, '1') end
return {F.readied, F.out}
