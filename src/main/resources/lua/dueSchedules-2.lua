--[[
  The schedules of a queue due to fire, on Redis time.
  KEYS[1] schedule-next zset (name -> next fire time ms)   KEYS[2] schedule-state hash ("<name>:fires")
  ARGV[1] most schedules returned
  Returns: now, the earliest fire still ahead (-1 none), then for each due schedule (oldest first): name, fire time,
    fires so far.
]]
local nextKey, stateKey = KEYS[1], KEYS[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {now, -1}
local due = redis.call('ZRANGEBYSCORE', nextKey, '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
for i = 1, #due, 2 do
  out[#out + 1] = due[i]
  out[#out + 1] = due[i + 1]
  out[#out + 1] = redis.call('HGET', stateKey, due[i] .. ':fires') or '0'
end
local ahead = redis.call('ZRANGEBYSCORE', nextKey, '(' .. string.format('%d', now), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
if ahead[2] then out[2] = tonumber(ahead[2]) end
return out
