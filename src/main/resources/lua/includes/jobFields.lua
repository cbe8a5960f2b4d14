-- Job `id`'s hash as a field/value array, with a plain job's spec (from the specs hash) as field s: empty when the
-- job does not exist. A plain job lives in the specs hash, not in a hash of its own, so an enqueue writes all of its
-- plain jobs in one call; its hash (prefix .. id) appears only once a run leaves something to keep. An earlier
-- build kept the spec in the job's hash, field s: readers take either.
local function jobFields(prefix, specs, id)
  local h = redis.call('HGETALL', prefix .. id)
  for j = 1, #h, 2 do
    -- a job with options (its name n with the rest), or a plain job an earlier build wrote: nothing more to read
    if h[j] == 'n' or h[j] == 's' then return h end
  end
  local spec = redis.call('HGET', specs, id)
  if spec then
    h[#h + 1] = 's'
    h[#h + 1] = spec
  end
  return h
end

-- Appends job `id`'s kept completed run, if it has one in the done hash ("<finished at>\0<record>", the record as
-- the worker sent it), to its fields `h` as ft (finish time) and c (the record); returns h.
local function withCompleted(done, id, h)
  local rec = redis.call('HGET', done, id)
  if rec then
    local nul = string.find(rec, '\0', 1, true)
    h[#h + 1] = 'ft'
    h[#h + 1] = string.sub(rec, 1, nul - 1)
    h[#h + 1] = 'c'
    h[#h + 1] = string.sub(rec, nul + 1)
  end
  return h
end
