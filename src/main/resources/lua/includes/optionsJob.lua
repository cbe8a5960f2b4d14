-- The hash of a job with options (a plain job has none: its spec is one field of the specs hash), as enqueueJobs
-- reads its values (o: name, payload, pri, retry, timeout, uk, dedupe, trace, group, flow; see there). Only the
-- options set are written; a default priority, and a missing attempt count, mean 0.
local function optionsFields(o, nowS, runAt, now, parentQueue, parentId)
  local fields = {'n', o.name, 'd', o.payload, 'ct', nowS}
  local function put(k, v) fields[#fields + 1] = k; fields[#fields + 1] = v end
  if o.pri ~= '0' then put('p', o.pri) end
  if o.retry ~= '' then put('r', o.retry) end
  if o.timeout ~= '' then put('to', o.timeout) end
  if o.uk ~= '' then
    put('uk', o.uk)
    local window = tonumber((string.gsub(o.dedupe, 'd$', ''))) or 0
    if window > 0 then put('uf', string.format('%d', window)) end
  end
  if runAt > now then put('ra', string.format('%d', runAt)) end
  if o.trace ~= '' then put('tp', o.trace) end
  if o.group ~= '' then put('g', o.group) end
  if parentId then
    put('pq', parentQueue)
    put('pi', parentId)
  end
  if o.flow ~= '' then
    local nul = string.find(o.flow, '\0', 1, true)
    put('fp', string.sub(o.flow, 1, nul - 1))
    put('fo', string.sub(o.flow, nul + 1))
    put('fw', '1')
  end
  return fields
end
