-- The score of a job in the ready set: (1000 - priority) * 2^42 + id, so ZRANGE from the start gives the highest
-- priority first and FIFO within one. It is computed where a job (re)enters ready rather than stored in each job.
-- %d keeps it exact (it stays below 2^53) and spares Redis printing a Lua number with a floating-point %.17g.
local function readyScore(priority, id)
  return string.format('%d', (1000 - (tonumber(priority) or 0)) * 4398046511104 + tonumber(id))
end

-- Ready scores below this belong to jobs of priority 0 and above (an exclusive ZRANGE BYSCORE bound):
-- (1000 - (-1)) * 2^42, the first score of priority -1.
local PRIORITY_0_END = '(4402444557615104'
