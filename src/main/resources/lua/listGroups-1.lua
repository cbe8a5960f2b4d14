--[[
  A queue's groups with their state (see includes/groups).
  KEYS[1] known groups set
  ARGV[1] job key prefix   ARGV[2] SSCAN cursor   ARGV[3] about how many groups, then group names (given: those,
    in order, whether they exist or not; none: a page of the known groups)
  Returns: the next cursor ("0" at the end, or "" for named groups), then per group: name, waiting jobs, running
    jobs, paused (1/0), held back until (Redis ms when its rate window has room, -2 until a run ends, 0 not held),
    its limits set at run time ("" none; see group-limits)
]]
--- @include "groups"
local knownKey = KEYS[1]
local G = groupKeys(ARGV[1])
local names, cursor = {}, ''
if #ARGV > 3 then
  for i = 4, #ARGV do names[#names + 1] = ARGV[i] end
else
  local page = redis.call('SSCAN', knownKey, ARGV[2], 'COUNT', tonumber(ARGV[3]))
  cursor, names = page[1], page[2]
  table.sort(names)
end
local out = {cursor}
for _, g in ipairs(names) do
  local parked = tonumber(redis.call('ZSCORE', G.parked, g) or 0)
  out[#out + 1] = g
  out[#out + 1] = redis.call('ZCARD', G.lane .. g)
  out[#out + 1] = tonumber(redis.call('HGET', G.active, g) or 0)
  out[#out + 1] = redis.call('SISMEMBER', G.paused, g)
  out[#out + 1] = parked == GROUP_FULL and -2 or parked
  out[#out + 1] = redis.call('HGET', G.limits, g) or ''
end
return out
