--[[
  Prepended to every script when it is loaded (LuaScript): helpers only, nothing runs here.
]]

-- The score of a job in the ready set: (1000 - priority) * 2^42 + id, so ZRANGE from the start gives the highest
-- priority first and FIFO within one. It is computed where a job (re)enters ready rather than stored in each job.
-- %d keeps it exact (it stays below 2^53) and spares Redis printing a Lua number with a floating-point %.17g.
local function readyScore(priority, id)
  return string.format('%d', (1000 - (tonumber(priority) or 0)) * 4398046511104 + tonumber(id))
end

-- The ready score of job `id` under `prefix`, or nil when its hash is gone.
local function readyScoreOf(prefix, id)
  local v = redis.call('HMGET', prefix .. id, 'p', 'ct')
  if not v[2] then return nil end
  return readyScore(v[1], id)
end
