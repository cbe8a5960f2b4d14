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
