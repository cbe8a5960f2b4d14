--[[
  Reads jobs with their state, which is derived from the set that holds each id: a job in no state zset is a
  new job waiting in the ready fifo list (see enqueueJobs), which is not searched (LPOS would scan it).
  KEYS[1] ready   KEYS[2] delayed   KEYS[3] active   KEYS[4] dead   KEYS[5] completed
  KEYS[6] specs hash (plain jobs' specs, field = id)   KEYS[7] done hash (kept completed runs, field = id)
  ARGV[1] job key prefix, then ids
  Returns per id: state (ready|delayed|active|dead|completed|waiting, or "" when the job does not exist; a flow's
  parent waiting for its children is in no state zset of these and has its field fw),
  then the job's fields as a flat field/value array (a plain job's spec as field s, see jobFields; a kept
  completed run as ft and c, see withCompleted).
]]
--- @include "jobFields"
local readyKey, delayedKey, activeKey, deadKey, completedKey, specsKey, doneKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local stateKeys = {readyKey, delayedKey, activeKey, deadKey, completedKey}
local states = {'ready', 'delayed', 'active', 'dead', 'completed'}
local out = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  local h = withCompleted(doneKey, id, jobFields(ARGV[1], specsKey, id))
  local state = ''
  if #h > 0 then
    state = 'ready'
    for s, key in ipairs(stateKeys) do
      if redis.call('ZSCORE', key, id) then state = states[s]; break end
    end
    if state == 'ready' then
      for j = 1, #h, 2 do if h[j] == 'fw' then state = 'waiting'; break end end
    end
  end
  out[#out + 1] = state
  out[#out + 1] = h
end
return out
