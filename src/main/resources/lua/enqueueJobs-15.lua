--[[
  Adds a batch of jobs to one queue in one call.
  KEYS[1] ready zset   KEYS[2] delayed zset   KEYS[3] id sequence   KEYS[4] unique-key hash   KEYS[5] wake-up list
  KEYS[6] ready fifo list   KEYS[7] idempotency hash (key -> id)   KEYS[8] idempotency times zset (key -> enqueued at)
  KEYS[9] specs hash (plain jobs' specs, field = id)   KEYS[10] stats hash
  KEYS[11] schedule-next zset   KEYS[12] schedule-state hash (see dueSchedules)   KEYS[13] active zset
  KEYS[14] unique-until zset (unique keys held after their job finished, "uniqueFor": key -> until)
  KEYS[15] waiting zset (flow parents waiting for their children)
  ARGV[1] job key prefix ("<prefix>:{q}:j:")   ARGV[2] number of jobs   ARGV[3] idempotency window ms
  ARGV[4] schedule fires F (0 for a plain enqueue), then F times: schedule name, the end of the caller's claim on it
    (dueSchedules), its next fire time (-1: it has ended), how many of the call's jobs are its fire's (the next that
    many, in order). A fire whose claim is still the caller's (the schedule's score is still the claim's end) creates
    its jobs and advances the schedule in this same call, so a fire makes its jobs exactly once however many nodes
    try: no idempotency key is needed. A fire whose claim another node took creates nothing (its jobs come back as
    not created, id ""). A fire's job delayed to a fire time still ahead is kept in the schedule's state
    ("<name>:ahead" = its id), so pausing, changing or deleting the schedule before that time takes it back
    (putSchedule, removeSchedule).
  Then the flow parent of every job of the call (see flowParentOf in includes/flowHeads: none, one parent of all,
    or "self": many flows on one queue, each head followed by its children), then per job:
    a job with every option at its default (most jobs): one value, "<payload JSON> NUL <name>", never empty,
    which is already the tail of its spec (see fifoEntry); a job whose only option is its group, the same with
    "\1<group> NUL" in front (see includes/jobGroup); or "" followed by name, payload JSON, priority
    (-1000..1000), run-at epoch ms (0 = now), delay ms (0 = none; added to Redis time, so producer clocks do not
    matter), retry policy ("" = queue default), timeout ms ("" = queue default), unique key ("" = none),
    idempotency key ("" = none), group ("" = none), dedupe ("" = none; else the unique key's window after the job
    finished, ms, with "d" at the end to debounce), flow ("" = none; else "<children> NUL <policy when a child is
    dead: fail, ignore or remove>": the job is a flow's parent, waiting until that many children have ended), trace
    ("" = none; else the W3C traceparent of the enqueue's span, which the run's span continues: see JobTracing)
    (14 values). Fewer arguments: less for the client to encode and for Lua to take in (one value instead of
    three cut this script's Redis time by a tenth in a micro-benchmark of 1,000-job calls).
  Returns, when every job was created: "r", first id, count (the ids run on from the first, one per job, in
  order); else "l", then id1, created1 (1 new, 0 an existing job with the same unique key, or the job an earlier
  enqueue with the same idempotency key made), id2, created2, ...
  An idempotency key holds for the window from its first enqueue, whatever became of the job (a producer that timed
  out and retries gets the first call's id); each enqueue that uses keys forgets a few expired ones, so the two
  idempotency keys stay bounded without a sweep of their own.
  The short form spares a bulk call building and sending a reply the size of its input.
  The work is split by kind: addPlain (no option set) and addWithOptions below; the keys a job may find taken
  (includes/enqueueKeys), a debounce (includes/debounce), a job's hash (includes/optionsJob), the fires of schedules
  (includes/scheduleFires) and flows (includes/flowHeads) each in an include of their own, all in this one call.
  A plain job (no option set) is one field of the specs hash (see specsKey), all of a call's in one HSET; a job
  with options a hash of its own. A new job of priority 0 due now (most jobs) is appended to the fifo list: RPUSH
  costs Redis a fraction of a ZADD, and fetchJobs pops the list in one call; a small plain job's entry is its spec
  (see fifoEntry). Other ready jobs go to the ready zset, scored by readyScore (includes/): highest priority
  first, FIFO within one; fetchJobs says how the two interleave. Neither the score nor a default priority is
  stored in the job.
  Ids come from one INCRBY per call, not one INCR per job: a job that finds its unique key taken leaves a gap
  in the sequence, which nothing relies on. A new job's hash holds no attempt count: missing means 0.
]]
--- @include "chunked"
--- @include "fifo"
--- @include "readyScore"
--- @include "groups"
--- @include "scheduleFires"
--- @include "enqueueKeys"
--- @include "debounce"
--- @include "optionsJob"
--- @include "flowHeads"
local readyKey, delayedKey, sequenceKey, uniqueKey, wakeKey, fifoKey, idemKey, idemAtKey, specsKey, statsKey, scheduleNextKey, scheduleStateKey, activeKey, uniqueUntilKey, waitingKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14], KEYS[15]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- numbers go to redis.call as strings (see fetchJobs)
local nowS = string.format('%d', now)
local prefix = ARGV[1]
local n = tonumber(ARGV[2])
local taken = {} -- job index -> id of the existing job holding its unique key
local anyTaken = false
local ready = {}
local fifo = {}
local specs = {}
local wake = false
local G = nil -- the group keys, once a job of the call has a group (see groups)
local pushed = {} -- grouped jobs made ready, per group (see groupsPushed)
local seq = redis.call('INCRBY', sequenceKey, n) - n
local first = seq + 1
local earliest = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')[2]
earliest = earliest and tonumber(earliest) or nil
local fires = tonumber(ARGV[4])
local b = 5 + 4 * fires
local F = flowParentOf(ARGV[b])
b = b + 1
local lost, fireOf = claimFires(scheduleNextKey, scheduleStateKey, fires)
local ahead = {} -- "<name>:ahead", id of each fire's job delayed to a fire time still ahead
local K = {ready = readyKey, delayed = delayedKey, fifo = fifoKey}
local idemSince = now - tonumber(ARGV[3]) -- keys enqueued before this have expired
-- a plain job: no option set, so no key to find taken, no hash, due now at priority 0; its spec, one string, goes
-- to the specs hash (all of the call's in one HSET, below) and, while it is small, is its fifo entry (see fifoEntry)
local function addPlain(i, tail)
  seq = seq + 1
  local id = string.format('%d', seq)
  local spec
  if F.parentId then
    -- a flow's job whose only link is its parent: the parent rides in its spec (see includes/jobGroup)
    spec = fifoEntry(id, nowS, '\2' .. F.parentQueue .. '\0' .. F.parentId .. '\0' .. tail)
    flowHeadsAdded(F, prefix, id, '')
  else
    spec = fifoEntry(id, nowS, tail)
    if F.self then flowHeadsAdded(F, prefix, id, '') end
  end
  specs[#specs + 1] = id
  specs[#specs + 1] = spec
  if string.byte(tail, 1) == 1 then
    -- its only option is its group ("\1<group>\0<payload>\0<name>", see includes/jobGroup): it waits in the
    -- group's lane, listed by its spec while that is small (as the fifo list does: a fetch reads nothing for it)
    local group = string.sub(tail, 2, string.find(tail, '\0', 2, true) - 1)
    if not G then
      G = groupKeys(prefix)
      redis.call('HSET', G.meta, 'grouped', '1') -- fetches take the groups' turns from now on
    end
    groupPush(G, group, readyScore('0', id), #spec <= FIFO_SPEC_MAX and spec or id, pushed)
    wake = true
  elseif #spec <= FIFO_SPEC_MAX and not tailCompressed(tail) then
    fifo[#fifo + 1] = spec
  else
    fifo[#fifo + 1] = id
  end
end
-- a job with options (o, see optionsFields): unless a key of its is taken, a hash of its own, and a place by its
-- options: waiting for its children, delayed, its group's turn, the fifo list or the ready zset
local function addWithOptions(i, o, runAt, delay)
  local existing = nil
  if o.ik ~= '' then existing = idempotencyHolder(idemKey, idemAtKey, o.ik, idemSince) end
  if not existing and o.uk ~= '' then
    existing = uniqueHolder(uniqueKey, uniqueUntilKey, prefix, o.uk, now, nowS)
    -- debounce: the newest payload (and run-at) replaces the waiting job's, which has not started
    if existing and string.sub(o.dedupe, -1) == 'd' and not redis.call('ZSCORE', uniqueUntilKey, o.uk)
        and not redis.call('ZSCORE', activeKey, existing) then
      local at = debounce(K, prefix, existing, o.payload, runAt, delay, now)
      if at and (not earliest or at < earliest) then earliest = at; wake = true end
    end
  end
  if existing then
    taken[i] = existing
    anyTaken = true
    return
  end
  seq = seq + 1
  local id = string.format('%d', seq)
  if delay > 0 then runAt = now + delay end
  if o.uk ~= '' then redis.call('HSET', uniqueKey, o.uk, id) end
  if o.group ~= '' and not G then
    G = groupKeys(prefix)
    redis.call('HSET', G.meta, 'grouped', '1') -- fetches take the groups' turns from now on
  end
  redis.call('HSET', prefix .. id, unpack(optionsFields(o, nowS, runAt, now, F.parentQueue, F.parentId)))
  flowHeadsAdded(F, prefix, id, o.flow)
  if o.ik ~= '' then
    redis.call('HSET', idemKey, o.ik, id)
    redis.call('ZADD', idemAtKey, nowS, o.ik)
  end
  if o.flow ~= '' then
    -- a flow's parent: it waits for its children (flowDeliver makes it ready, or delayed to its run-at)
    redis.call('ZADD', waitingKey, nowS, id)
  elseif runAt > now then
    redis.call('ZADD', delayedKey, string.format('%d', runAt), id)
    if fireOf[i] then
      ahead[#ahead + 1] = fireOf[i] .. ':ahead'
      ahead[#ahead + 1] = id
    end
    if not earliest or runAt < earliest then
      earliest = runAt
      wake = true -- sleeping workers computed their wait from a later job
    end
  elseif o.group ~= '' then
    groupPush(G, o.group, readyScore(o.pri, id), id, pushed)
    wake = true
  elseif o.pri == '0' then
    fifo[#fifo + 1] = id
  else
    ready[#ready + 1] = readyScore(o.pri, id)
    ready[#ready + 1] = id
  end
end
for i = 0, n - 1 do
  local tail = ARGV[b] -- a plain job's payload and name; "" for a job with options
  if tail ~= '' then
    b = b + 1
    if lost[i] then
      taken[i], anyTaken = '', true -- its fire was claimed by another node since: not created
    else
      addPlain(i, tail)
    end
  else
    local o = {name = ARGV[b + 1], payload = ARGV[b + 2], pri = ARGV[b + 3], retry = ARGV[b + 6],
      timeout = ARGV[b + 7], uk = ARGV[b + 8], ik = ARGV[b + 9], group = ARGV[b + 10], dedupe = ARGV[b + 11],
      flow = ARGV[b + 12], trace = ARGV[b + 13]}
    local runAt, delay = tonumber(ARGV[b + 4]), tonumber(ARGV[b + 5])
    b = b + 14
    if lost[i] then
      taken[i], anyTaken = '', true
    else
      addWithOptions(i, o, runAt, delay)
    end
  end
end
if G then groupsPushed(G, pushed) end
if #ahead > 0 then callChunked('HSET', scheduleStateKey, ahead, 2) end
if #specs > 0 then callChunked('HSET', specsKey, specs, 2) end
if #ready > 0 then
  callChunked('ZADD', readyKey, ready, 2)
  wake = true
end
if #fifo > 0 then
  callChunked('RPUSH', fifoKey, fifo)
  wake = true
end
if wake and redis.call('LLEN', wakeKey) == 0 then
  redis.call('LPUSH', wakeKey, '1')
end
local created = seq - first + 1
if created > 0 then redis.call('HINCRBY', statsKey, 'enqueued', created) end
if not anyTaken then return {'r', first, n} end
local out = {'l'}
local next = first
for i = 0, n - 1 do
  if taken[i] then
    out[#out + 1] = taken[i]
    out[#out + 1] = 0
  else
    out[#out + 1] = string.format('%d', next)
    out[#out + 1] = 1
    next = next + 1
  end
end
return out
