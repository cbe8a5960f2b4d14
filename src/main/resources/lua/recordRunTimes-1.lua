--[[
  Adds a worker's run times per job name to the queue's minute and hour hashes (the metrics per job name: runs,
  failures and a histogram of run times, read back by QueueReads#metricsByName). A worker sends what it counted
  every few seconds, so this costs one call per worker per few seconds, none per job.
  Each hash is "<ARGV[1]>m<minute>" (kept 2 hours) or "<ARGV[1]>h<hour>" (kept 8 days), on Redis time, in the
  queue's slot; a field is "<name> NUL r" (runs), "<name> NUL f" (failures), "<name> NUL t" (run time summed, µs)
  or "<name> NUL <bucket>" (runs in that bucket, see io.vertiq.observe.RunTimeHistogram). Memory is bounded: past
  ARGV[2] names in one hash the others are counted as "(other)".
  The same call adds the waits of the runs started (from due to start, a histogram of µs as above) to the queue's
  history: fields "w<bucket>" of the minute's history hash ("<ARGV[3]><minute>", which finishJobs writes, kept 25
  hours) and of the hour's ("<ARGV[3]>h<hour>", kept 8 days, where finishJobs counts the hour's runs as in the
  minute's): the 7-day charts read 168 hour hashes, not 10,080 minute ones.
  KEYS[1] the queue's stats hash (it names the slot the hashes are in; not written)
  ARGV[1] the key prefix   ARGV[2] most names per hash   ARGV[3] the history key prefix
  ARGV[4] W (wait buckets), then W pairs of bucket and runs
  then per name: name, runs, failures, summed µs, B (buckets), then B pairs of bucket and runs
]]
local slotKey = KEYS[1] -- routes the call to the queue's slot (on a cluster); not read or written
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local keys = {
  {ARGV[1] .. 'm' .. string.format('%d', math.floor(now / 60000)), 7200},
  {ARGV[1] .. 'h' .. string.format('%d', math.floor(now / 3600000)), 8 * 86400 + 3600}}
local most = tonumber(ARGV[2])
local w = tonumber(ARGV[4])
local first = 5 + 2 * w -- the first name's entry

-- the name as this hash counts it: its own while the hash has room for one more
local function nameIn(key, name)
  if redis.call('HEXISTS', key, name .. '\0r') == 1 then return name end
  if redis.call('HINCRBY', key, '\0names', 1) <= most then return name end
  return '(other)'
end

for _, k in ipairs(keys) do
  local key, i = k[1], first
  while i <= #ARGV do
    local name = nameIn(key, ARGV[i])
    redis.call('HINCRBY', key, name .. '\0r', ARGV[i + 1])
    if ARGV[i + 2] ~= '0' then redis.call('HINCRBY', key, name .. '\0f', ARGV[i + 2]) end
    redis.call('HINCRBY', key, name .. '\0t', ARGV[i + 3])
    local b = tonumber(ARGV[i + 4])
    for j = 0, b - 1 do
      redis.call('HINCRBY', key, name .. '\0' .. ARGV[i + 5 + 2 * j], ARGV[i + 6 + 2 * j])
    end
    i = i + 5 + 2 * b
  end
  redis.call('EXPIRE', key, k[2])
end

local history = {
  {ARGV[3] .. string.format('%d', math.floor(now / 60000)), 90000},
  {ARGV[3] .. 'h' .. string.format('%d', math.floor(now / 3600000)), 8 * 86400 + 3600}}
if w > 0 then
  for _, h in ipairs(history) do
    for j = 0, w - 1 do
      redis.call('HINCRBY', h[1], 'w' .. ARGV[5 + 2 * j], ARGV[6 + 2 * j])
    end
    redis.call('EXPIRE', h[1], h[2])
  end
end
return 1
