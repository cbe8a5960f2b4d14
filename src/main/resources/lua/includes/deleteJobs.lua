--- @include "chunked"

-- Deletes jobs: their hashes, specs and kept completed runs.
local function deleteJobs(prefix, specs, done, ids)
  if #ids == 0 then return end
  local keys = {}
  for i, id in ipairs(ids) do keys[i] = prefix .. id end
  callChunked('DEL', nil, keys)
  callChunked('HDEL', specs, ids)
  callChunked('HDEL', done, ids)
end
