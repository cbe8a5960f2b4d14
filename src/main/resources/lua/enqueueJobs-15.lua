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
  Then the flow parent of every job of the call ("" for none; else "<parent queue> NUL <parent id>": they are its
    children, and their ends are told to it, see finishJobs and flowChildDone; or "<parent queue> NUL <parent id>
    NUL self": the call is flows on one queue, one after another, each a head (whose parent is that one, none when
    both are empty) and then as many jobs as its flow's children count, which are its children, its list of them
    (fk) written here: a flow on one queue, or many, in one call), then per job:
    a job with every option at its default (most jobs): one value, "<payload JSON> NUL <name>", never empty,
    which is already the tail of its spec (see fifoEntry); or "" followed by name, payload JSON, priority
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
local flowParent = ARGV[b]
local parentQueue, parentId = nil, nil
local selfParent = false -- the call's jobs are flows: each head the parent of the jobs after it (see below)
local kids = {} -- the current head's children, "queue NUL id" lines, in self mode
local kidsLeft, headId = 0, nil -- children of the current head still to come; its id
if flowParent ~= '' then
  local nul = string.find(flowParent, '\0', 1, true)
  parentQueue, parentId = string.sub(flowParent, 1, nul - 1), string.sub(flowParent, nul + 1)
  local second = string.find(parentId, '\0', 1, true)
  if second then
    selfParent = true
    parentId = string.sub(parentId, 1, second - 1)
    if parentId == '' then parentQueue, parentId = nil, nil end
  end
end
local rootQueue, rootId = parentQueue, parentId -- in self mode, the parent of every head
local thisQueue = nil -- read from the key prefix, in self mode
b = b + 1
local lost = {} -- job index -> true: its fire's claim is another node's now
local fireOf = {} -- job index -> its schedule's name, for the fires whose claim holds
local ahead = {} -- "<name>:ahead", id of each fire's job delayed to a fire time still ahead
if fires > 0 then
  local names = {}
  for f = 0, fires - 1 do names[#names + 1] = ARGV[5 + 4 * f] end
  local scores = zmscore(scheduleNextKey, names)
  local j = 0
  local move, ended, claims = {}, {}, {}
  for f = 0, fires - 1 do
    local a = 5 + 4 * f
    local name, count = ARGV[a], tonumber(ARGV[a + 3])
    if scores[f + 1] and tonumber(scores[f + 1]) == tonumber(ARGV[a + 1]) then
      if tonumber(ARGV[a + 2]) < 0 then
        ended[#ended + 1] = name
      else
        move[#move + 1] = ARGV[a + 2]
        move[#move + 1] = name
      end
      if count > 0 then redis.call('HINCRBY', scheduleStateKey, name .. ':fires', count) end
      claims[#claims + 1] = name .. ':claim'
      claims[#claims + 1] = name .. ':ahead' -- the fire before this one's: due by now
      for k = j, j + count - 1 do fireOf[k] = name end
    else
      for k = j, j + count - 1 do lost[k] = true end
    end
    j = j + count
  end
  if #move > 0 then callChunked('ZADD', scheduleNextKey, move, 2) end
  if #ended > 0 then callChunked('ZREM', scheduleNextKey, ended) end
  if #claims > 0 then callChunked('HDEL', scheduleStateKey, claims) end
end
-- unique keys whose hold after their job (uniqueFor) is over: a few freed per call that uses unique keys, so the
-- holds stay bounded without a sweep of their own (as the idempotency keys)
local uniquePruned = false
local function pruneUniqueHolds()
  local over = redis.call('ZRANGEBYSCORE', uniqueUntilKey, '-inf', nowS, 'LIMIT', 0, 100)
  if #over > 0 then
    callChunked('HDEL', uniqueKey, over)
    callChunked('ZREM', uniqueUntilKey, over)
  end
end
-- a waiting job that holds a unique key takes a debouncing enqueue's payload, and its run-at when that enqueue has one
-- (a delayed job moves; a ready one becomes delayed to it)
local function debounced(id, payload, runAt, delay)
  local key = prefix .. id
  redis.call('HSET', key, 'd', payload)
  local at = delay > 0 and now + delay or runAt
  if at > now then
    local atS = string.format('%d', at)
    redis.call('HSET', key, 'ra', atS)
    if not redis.call('ZSCORE', delayedKey, id) then
      -- ready: out of its group's zset, the ready zset or the fifo list (a unique job is listed there by its id)
      local g = redis.call('HGET', key, 'g')
      if g then
        groupRemove(groupKeys(prefix), g, id)
      elseif redis.call('ZREM', readyKey, id) == 0 then
        redis.call('LREM', fifoKey, 1, id)
      end
    end
    redis.call('ZADD', delayedKey, atS, id)
    if not earliest or at < earliest then earliest = at; wake = true end
  end
end
local idemSince = now - tonumber(ARGV[3]) -- keys enqueued before this have expired
local idemPruned = false
for i = 0, n - 1 do
  local tail = ARGV[b] -- a plain job's payload and name
  local plain = tail ~= ''
  local name, payload
  local pri, runAt, delay, retry, timeout, uk, ik, group, dedupe, flow, trace = '0', 0, 0, '', '', '', '', '', '', '', ''
  if plain then
    b = b + 1
  else
    name, payload = ARGV[b + 1], ARGV[b + 2]
    pri, runAt, delay = ARGV[b + 3], tonumber(ARGV[b + 4]), tonumber(ARGV[b + 5])
    retry, timeout, uk, ik, group, dedupe = ARGV[b + 6], ARGV[b + 7], ARGV[b + 8], ARGV[b + 9], ARGV[b + 10], ARGV[b + 11]
    flow, trace = ARGV[b + 12], ARGV[b + 13]
    b = b + 14
  end
  local existing = nil
  if lost[i] then
    existing = '' -- its fire was claimed by another node since: not created
  elseif ik ~= '' then
    if not idemPruned then
      idemPruned = true
      local old = redis.call('ZRANGEBYSCORE', idemAtKey, '-inf', '(' .. string.format('%d', idemSince), 'LIMIT', 0, 100)
      if #old > 0 then
        callChunked('HDEL', idemKey, old)
        callChunked('ZREM', idemAtKey, old)
      end
    end
    existing = redis.call('HGET', idemKey, ik)
  end
  if not existing and uk ~= '' then
    if not uniquePruned then
      uniquePruned = true
      pruneUniqueHolds()
    end
    existing = redis.call('HGET', uniqueKey, uk)
    if existing then
      local heldUntil = redis.call('ZSCORE', uniqueUntilKey, uk)
      if heldUntil then
        -- its job finished, and the key is held for the job's window (uniqueFor): free once that is over
        if tonumber(heldUntil) <= now then
          redis.call('HDEL', uniqueKey, uk)
          redis.call('ZREM', uniqueUntilKey, uk)
          existing = nil
        end
      elseif redis.call('EXISTS', prefix .. existing) == 0 then
        existing = nil
      end
    end
    -- debounce: the newest payload (and run-at) replaces the waiting job's, which has not started
    if existing and string.sub(dedupe, -1) == 'd' and not redis.call('ZSCORE', uniqueUntilKey, uk)
        and not redis.call('ZSCORE', activeKey, existing) then
      debounced(existing, payload, runAt, delay)
    end
  end
  if existing then
    taken[i] = existing
    anyTaken = true
  else
    seq = seq + 1
    local id = string.format('%d', seq)
    if delay > 0 then runAt = now + delay end
    local spec = nil
    if plain then
      -- the common job: its spec, one string, in the specs hash (all in one call, below) and, while it is small,
      -- as its fifo entry (see fifoEntry); no hash of its own
      spec = fifoEntry(id, nowS, tail)
      specs[#specs + 1] = id
      specs[#specs + 1] = spec
    else
      local fields = {'n', name, 'd', payload, 'ct', nowS}
      if pri ~= '0' then fields[#fields + 1] = 'p'; fields[#fields + 1] = pri end
      if retry ~= '' then fields[#fields + 1] = 'r'; fields[#fields + 1] = retry end
      if timeout ~= '' then fields[#fields + 1] = 'to'; fields[#fields + 1] = timeout end
      if uk ~= '' then
        fields[#fields + 1] = 'uk'; fields[#fields + 1] = uk
        redis.call('HSET', uniqueKey, uk, id)
        local window = tonumber((string.gsub(dedupe, 'd$', ''))) or 0
        if window > 0 then fields[#fields + 1] = 'uf'; fields[#fields + 1] = string.format('%d', window) end
      end
      if runAt > now then fields[#fields + 1] = 'ra'; fields[#fields + 1] = string.format('%d', runAt) end
      if trace ~= '' then fields[#fields + 1] = 'tp'; fields[#fields + 1] = trace end
      if group ~= '' then
        fields[#fields + 1] = 'g'; fields[#fields + 1] = group
        if not G then
          G = groupKeys(prefix)
          redis.call('HSET', G.meta, 'grouped', '1') -- fetches take the groups' turns from now on
        end
      end
      if parentId then
        fields[#fields + 1] = 'pq'; fields[#fields + 1] = parentQueue
        fields[#fields + 1] = 'pi'; fields[#fields + 1] = parentId
      end
      if flow ~= '' then
        local nul = string.find(flow, '\0', 1, true)
        fields[#fields + 1] = 'fp'; fields[#fields + 1] = string.sub(flow, 1, nul - 1)
        fields[#fields + 1] = 'fo'; fields[#fields + 1] = string.sub(flow, nul + 1)
        fields[#fields + 1] = 'fw'; fields[#fields + 1] = '1'
      end
      redis.call('HSET', prefix .. id, unpack(fields))
      if selfParent then
        if kidsLeft == 0 then
          -- a head: the jobs after it, as many as its flow says it has children, are its children
          local count = flow ~= '' and tonumber(string.sub(flow, 1, string.find(flow, '\0', 1, true) - 1)) or 0
          if count > 0 then
            thisQueue = thisQueue or string.match(prefix, '{(.*)}:j:$')
            parentQueue, parentId, headId, kidsLeft, kids = thisQueue, id, id, count, {}
          end
        else
          kids[#kids + 1] = thisQueue .. '\0' .. id
          kidsLeft = kidsLeft - 1
          if kidsLeft == 0 then
            -- the head's last child: its list of them, and the next job is a head again
            redis.call('HSET', prefix .. headId, 'fk', table.concat(kids, '\n') .. '\n')
            parentQueue, parentId = rootQueue, rootId
          end
        end
      end
      if ik ~= '' then
        redis.call('HSET', idemKey, ik, id)
        redis.call('ZADD', idemAtKey, nowS, ik)
      end
    end
    if flow ~= '' then
      -- a flow's parent: it waits for its children (flowChildDone makes it ready, or delayed to its run-at)
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
    elseif group ~= '' then
      groupPush(G, group, readyScore(pri, id), id, pushed)
      wake = true
    elseif plain and #spec <= FIFO_SPEC_MAX and not tailCompressed(tail) then
      fifo[#fifo + 1] = spec
    elseif pri == '0' then
      fifo[#fifo + 1] = id
    else
      ready[#ready + 1] = readyScore(pri, id)
      ready[#ready + 1] = id
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
