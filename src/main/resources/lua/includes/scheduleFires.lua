-- The schedule fires of an enqueueJobs call (ARGV[5 ..], 4 values each: name, the end of the caller's claim, the
-- next fire time (-1: ended), how many of the call's jobs are the fire's). A fire whose claim is still the caller's
-- (the schedule's score is still the claim's end) advances its schedule here; one whose claim another node took
-- creates nothing. Returns lost (job index -> true: not created) and fireOf (job index -> schedule name).
--- @include "chunked"
local function claimFires(scheduleNextKey, scheduleStateKey, fires)
  local lost, fireOf = {}, {}
  if fires == 0 then return lost, fireOf end
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
  return lost, fireOf
end
