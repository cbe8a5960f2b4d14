-- A plain job's spec (a new job with no option set: priority 0, the queue's retry and timeout), one string
-- "<id>\0<created>\0<payload>\0<name>": its field in the specs hash and, when it is at most FIFO_SPEC_MAX bytes,
-- also its entry in the ready fifo list, so fetchJobs hands it out without reading it (that read, a call per job,
-- was most of a fetch's cost). A job with options (a hash: n, d, ct, ...) or a larger spec is listed by its id
-- alone: a waiting job's spec is held twice only while it is small, so a backlog of large payloads does not double
-- in memory. Payload JSON never holds a raw NUL (encoders escape control characters) and the name comes last, so
-- any name splits right (Java: io.vertiq.redis.JobCodec.Spec). A producer sends a plain job as one argument,
-- "<payload>\0<name>" (see enqueueJobs), the tail of its spec.
local FIFO_SPEC_MAX = 1024
-- A spec whose tail ("<payload>\0<name>") is a zstd frame instead (a payload over the queue's compression threshold:
-- see io.vertiq.redis.StoredText) is listed by its id, never held twice: its tail starts with the frame's first
-- byte, '(' (40), which no JSON starts with, so the enqueue tells it by one byte.
local ZSTD_MAGIC = '\40\181\47\253'
local function tailCompressed(payloadAndName)
  return string.byte(payloadAndName, 1) == 40
end

-- Whether a stored spec's tail is compressed (admin paths: changeJob).
local function specCompressed(spec)
  local a = string.find(spec, '\0', 1, true)
  local b = a and string.find(spec, '\0', a + 1, true)
  return b ~= nil and string.sub(spec, b + 1, b + 4) == ZSTD_MAGIC
end

-- Whether a spec is also its job's fifo entry.
local function fifoHolds(spec)
  return #spec <= FIFO_SPEC_MAX and not specCompressed(spec)
end
local function fifoEntry(id, created, payloadAndName)
  return id .. '\0' .. created .. '\0' .. payloadAndName
end

-- The job id of a fifo entry, and whether the entry carries the job's spec.
local function fifoEntryId(entry)
  local nul = string.find(entry, '\0', 1, true)
  if nul then return string.sub(entry, 1, nul - 1), true end
  return entry, false
end
