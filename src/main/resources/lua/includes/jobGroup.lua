-- Two options need no hash of their own: a job whose only option is its group, and a flow's job whose only link is
-- its parent, are stored as a plain job is, their spec in the specs hash, with the option before the spec's tail,
-- each after a byte of its own: "<id>\0<created>\0[\2<parent queue>\0<parent id>\0][\1<group>\0]<payload>\0<name>".
-- (A producer sends a grouped one as "\1<group>\0<payload>\0<name>"; enqueueJobs adds a child's parent.) A group's
-- lane lists such a job by its spec while it is small, as the fifo list lists a plain job (by its id once it came
-- back: released, retried, requeued). Names, ids and groups hold no NUL.

-- What a spec carries before its tail: its group, its parent's queue and id (nil for none), and where the tail starts.
local function specOptions(spec)
  local a = string.find(spec, '\0', 1, true)
  local b = a and string.find(spec, '\0', a + 1, true)
  if not b then return nil, nil, nil, #spec + 1 end
  local from = b + 1
  local group, parentQueue, parentId = nil, nil, nil
  while true do
    local mark = string.byte(spec, from)
    if mark == 1 then
      local g = string.find(spec, '\0', from + 1, true)
      group = string.sub(spec, from + 1, g - 1)
      from = g + 1
    elseif mark == 2 then
      local q = string.find(spec, '\0', from + 1, true)
      local i = string.find(spec, '\0', q + 1, true)
      parentQueue, parentId = string.sub(spec, from + 1, q - 1), string.sub(spec, q + 1, i - 1)
      from = i + 1
    else
      return group, parentQueue, parentId, from
    end
  end
end

-- The group a spec carries, or nil.
local function specGroup(spec)
  return (specOptions(spec))
end

-- A spec's parts: created, group (nil for none), payload, name, parent queue and id (nil for none).
local function specParts(spec)
  local a = string.find(spec, '\0', 1, true)
  local b = string.find(spec, '\0', a + 1, true)
  local group, parentQueue, parentId, from = specOptions(spec)
  local c = string.find(spec, '\0', from, true)
  return string.sub(spec, a + 1, b - 1), group, string.sub(spec, from, c - 1), string.sub(spec, c + 1), parentQueue,
    parentId
end

-- Job `id`'s group: field g of its hash, or the group its spec carries; nil for none.
local function jobGroup(prefix, specs, id)
  local h = redis.call('HMGET', prefix .. id, 'g', 's')
  if h[1] then return h[1] end
  local spec = h[2] or redis.call('HGET', specs, id)
  return spec and specGroup(spec) or nil
end

-- Job `id`'s flow parent, {queue, id} (both nil for none): fields pq and pi of its hash, or those its spec carries.
local function jobParent(prefix, specs, id)
  local p = redis.call('HMGET', prefix .. id, 'pq', 'pi', 's')
  if p[2] then return {p[1], p[2]} end
  local spec = p[3] or redis.call('HGET', specs, id)
  if not spec then return {} end
  local _, parentQueue, parentId = specOptions(spec)
  return {parentQueue, parentId}
end
