--[[
  Prepended to every script when it is loaded (LuaScript): helpers only, nothing runs here.
]]

-- The score of a job in the ready set: (1000 - priority) * 2^42 + id, so ZRANGE from the start gives the highest
-- priority first and FIFO within one. It is computed where a job (re)enters ready rather than stored in each job.
-- %d keeps it exact (it stays below 2^53) and spares Redis printing a Lua number with a floating-point %.17g.
local function readyScore(priority, id)
  return string.format('%d', (1000 - (tonumber(priority) or 0)) * 4398046511104 + tonumber(id))
end

-- Ready scores below this belong to jobs of priority 0 and above (an exclusive ZRANGE BYSCORE bound):
-- (1000 - (-1)) * 2^42, the first score of priority -1. A literal: this file runs before every script call.
local PRIORITY_0_END = '(4402444557615104'

-- A plain job's spec (a new job with no option set: priority 0, the queue's retry and timeout), one string
-- "<id>\0<created>\0<payload>\0<name>": its field in the specs hash (see specsKey) and, when it is at most
-- FIFO_SPEC_MAX bytes, also its entry in the ready fifo list, so fetchJobs hands it out without reading it
-- (that read, a call per job, was most of a fetch's cost). A job with options (a hash: n, d, ct, ...) or a
-- larger spec is listed by its id alone: a waiting job's spec is held twice only while it is small, so a backlog
-- of large payloads does not double in memory. Payload JSON never holds a raw NUL (encoders escape control
-- characters) and the name comes last, so any name splits right (Java: io.vertiq.redis.PlainSpec).
-- A producer sends a plain job as one argument, "<payload>\0<name>" (see enqueueJobs), the tail of its spec.
local FIFO_SPEC_MAX = 1024
local function fifoEntry(id, created, payloadAndName)
  return id .. '\0' .. created .. '\0' .. payloadAndName
end

-- The job id of a fifo entry, and whether the entry carries the job's spec.
local function fifoEntryId(entry)
  local nul = string.find(entry, '\0', 1, true)
  if nul then return string.sub(entry, 1, nul - 1), true end
  return entry, false
end

-- The hash of a queue's plain jobs' specs, field = id: "<prefix>:{q}:j:" -> "<prefix>:{q}:specs" (Java:
-- Keys.specs()). A plain job lives there, not in a hash of its own, so an enqueue writes all of its plain jobs in
-- one call instead of creating a key per job (a third of a bulk enqueue's Redis time). The job's hash (prefix .. id)
-- appears only once a run leaves something to keep (an outcome, an attempt count, progress) and holds that alone.
-- An earlier build kept the spec in the job's hash, field s: readers take either.
local function specsKey(prefix)
  return string.sub(prefix, 1, -3) .. 'specs'
end

-- Job `id`'s hash as a field/value array, with a plain job's spec as field s (see specsKey): empty when the job
-- does not exist.
local function jobFields(prefix, id)
  local h = redis.call('HGETALL', prefix .. id)
  for j = 1, #h, 2 do
    -- a job with options (its name n with the rest), or a plain job an earlier build wrote: nothing more to read
    if h[j] == 'n' or h[j] == 's' then return h end
  end
  local spec = redis.call('HGET', specsKey(prefix), id)
  if spec then
    h[#h + 1] = 's'
    h[#h + 1] = spec
  end
  return h
end

-- The hash of a queue's kept completed runs, field = id, value "<finished at>\0<record>" (the record as the
-- worker sent it, see io.vertiq.redis.CompletedRecord): "<prefix>:{q}:j:" -> "<prefix>:{q}:done" (Java:
-- Keys.done()). finishJobs stores a batch's runs in one HSET there instead of writing into each job's hash, which
-- for a plain job meant creating a key per job and deleting it at eviction (a fifth of a finish's Redis time).
local function doneKey(prefix)
  return string.sub(prefix, 1, -3) .. 'done'
end

-- Appends job `id`'s kept completed run, if it has one, to its fields `h` as ft (finish time) and c (the record);
-- returns h.
local function withCompleted(prefix, id, h)
  local rec = redis.call('HGET', doneKey(prefix), id)
  if rec then
    local nul = string.find(rec, '\0', 1, true)
    h[#h + 1] = 'ft'
    h[#h + 1] = string.sub(rec, 1, nul - 1)
    h[#h + 1] = 'c'
    h[#h + 1] = string.sub(rec, nul + 1)
  end
  return h
end

-- Lua's unpack() fails past about 8,000 values ("too many results to unpack"), and a script that fails midway
-- keeps what it wrote before: every variadic call goes through the helpers below, which pass at most UNPACK_MAX
-- values per command, so a call's size (a bulk, a fetch of 10,000, a retention trim) can never break a script.
local UNPACK_MAX = 4000

-- redis.call(cmd, key, v1, v2, ...) over the values of `list` in chunks (a whole multiple of `stride` values,
-- so field/value and score/member pairs stay together); key nil for commands that take only values (DEL).
-- Returns the sum of the integer replies.
local function callChunked(cmd, key, list, stride)
  local n = #list
  local step = UNPACK_MAX - UNPACK_MAX % (stride or 1)
  local total = 0
  for i = 1, n, step do
    local j = math.min(i + step - 1, n)
    local r
    if key then r = redis.call(cmd, key, unpack(list, i, j)) else r = redis.call(cmd, unpack(list, i, j)) end
    if type(r) == 'number' then total = total + r end
  end
  return total
end

-- ZMSCORE of any number of members: the scores in order (false where a member has none).
local function zmscore(key, members)
  local n = #members
  if n <= UNPACK_MAX then return redis.call('ZMSCORE', key, unpack(members)) end
  local out = {}
  for i = 1, n, UNPACK_MAX do
    local r = redis.call('ZMSCORE', key, unpack(members, i, math.min(i + UNPACK_MAX - 1, n)))
    for k = 1, #r do out[#out + 1] = r[k] end
  end
  return out
end

-- Deletes jobs: their hashes, specs and completed runs.
local function deleteJobs(prefix, ids)
  if #ids == 0 then return end
  local keys = {}
  for i, id in ipairs(ids) do keys[i] = prefix .. id end
  callChunked('DEL', nil, keys)
  callChunked('HDEL', specsKey(prefix), ids)
  callChunked('HDEL', doneKey(prefix), ids)
end

-- The ended runs a job keeps (field h of its hash, a JSON array, oldest first), at most HISTORY_MAX: appends one
-- (attempt, startedAt, finishedAt, error) and returns the field's new value, for the caller's HSET. Written only
-- when a run fails or stalls (rare), so a job that completes at once costs nothing here.
local HISTORY_MAX = 10
local function historyWith(key, attempt, startedAt, finishedAt, err)
  local text = redis.call('HGET', key, 'h')
  local list = text and cjson.decode(text) or {}
  list[#list + 1] = {attempt = tonumber(attempt), startedAt = tonumber(startedAt) or 0, finishedAt = finishedAt,
    error = string.sub(err, 1, 500)}
  while #list > HISTORY_MAX do table.remove(list, 1) end
  return cjson.encode(list)
end

-- Count retention of a kept set (completed or dead): deletes its oldest jobs beyond `value`, at most `most` of
-- them; their records go before the set's entries, so an entry never outlives its job's data. Returns how many.
local function trimCount(prefix, set, mode, value, most)
  if mode ~= 'count' then return 0 end
  local excess = math.min(redis.call('ZCARD', set) - tonumber(value), most)
  if excess <= 0 then return 0 end
  -- ids only, as in fetchJobs: ZPOPMIN would send scores Redis prints with %.17g
  local old = redis.call('ZRANGE', set, 0, excess - 1)
  deleteJobs(prefix, old)
  redis.call('ZREMRANGEBYRANK', set, 0, excess - 1)
  return excess
end

-- The ready score of job `id` under `prefix`, or nil when the job is gone (a plain job has no ct field: its spec
-- is in the specs hash, or in field s of its hash when an earlier build wrote it).
local function readyScoreOf(prefix, id)
  local v = redis.call('HMGET', prefix .. id, 'p', 'ct', 's')
  if not (v[2] or v[3]) and redis.call('HEXISTS', specsKey(prefix), id) == 0 then return nil end
  return readyScore(v[1], id)
end

-- A run's lease in the active zset is scored deadline ms * 1000 + attempt % 1000: the lease itself says which run
-- holds the job, so reporting, renewing or releasing a run needs no read of the job's hash. (Exact: the score
-- stays below 2^53; a clash needs a report from the run 1000 attempts earlier.)
local function leaseScore(deadlineMs, attempt)
  return string.format('%d', deadlineMs * 1000 + attempt % 1000)
end

-- The attempt in a run's token, as the decimal string it is: "<attempt>", or "<attempt>u" when the job holds a
-- unique key. (No pattern match: this runs for every entry a finish reports.)
local function tokenAttemptText(token)
  if string.byte(token, -1) == 117 then return string.sub(token, 1, -2) end -- 117: 'u'
  return token
end

-- The attempt number in a run's token (nil for a malformed one).
local function tokenAttempt(token)
  return tonumber(tokenAttemptText(token))
end

-- Whether the lease score (a string from Redis, or false when the job has no lease) belongs to the run `token`.
local function holds(score, token)
  local attempt = tokenAttempt(token)
  return score and attempt and tonumber(score) % 1000 == attempt % 1000 or false
end

-- The lease score below which every lease has expired at `now` ms.
local function expiredBelow(now)
  return string.format('%d', now * 1000 + 999)
end
