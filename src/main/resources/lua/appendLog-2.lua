--[[
  Appends a line to a running job's log (field lg of its hash, a JSON array of {"at": ms, "line": text}, oldest
  first), unless the job is gone or another run holds it now; the oldest lines go past ARGV[4] lines or ARGV[5]
  bytes. The log lives in the job's hash, so it is kept and deleted with the job (its retention).
  KEYS[1] job hash   KEYS[2] active zset
  ARGV[1] id   ARGV[2] token (see tokenAttempt)   ARGV[3] the line   ARGV[4] most lines   ARGV[5] most bytes
  Returns 1 when stored.
]]
--- @include "lease"
local jobKey, activeKey = KEYS[1], KEYS[2]
if not holds(redis.call('ZSCORE', activeKey, ARGV[1]), ARGV[2]) then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lines = cjson.decode(redis.call('HGET', jobKey, 'lg') or '[]')
lines[#lines + 1] = {at = now, line = ARGV[3]}
local most, bytes = tonumber(ARGV[4]), tonumber(ARGV[5])
while #lines > most do table.remove(lines, 1) end
local text = cjson.encode(lines)
while #text > bytes and #lines > 1 do
  table.remove(lines, 1)
  text = cjson.encode(lines)
end
redis.call('HSET', jobKey, 'lg', text)
return 1
