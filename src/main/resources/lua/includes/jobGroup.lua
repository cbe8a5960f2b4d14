-- A job whose only option is its group is stored as a plain job is, its spec in the specs hash and no hash of its
-- own, with the group before the spec's tail: "<id>\0<created>\0\1<group>\0<payload>\0<name>" (a producer sends
-- "\1<group>\0<payload>\0<name>", see enqueueJobs); its group's lane lists it by that spec while it is small, as
-- the fifo list lists a plain job (by its id once it came back: released, retried, requeued). A group name holds
-- no NUL.

-- The group a spec carries, or nil.
local function specGroup(spec)
  local a = string.find(spec, '\0', 1, true)
  local b = a and string.find(spec, '\0', a + 1, true)
  if not b or string.byte(spec, b + 1) ~= 1 then return nil end
  return string.sub(spec, b + 2, string.find(spec, '\0', b + 2, true) - 1)
end

-- A spec's parts: created, group (nil for none), payload, name.
local function specParts(spec)
  local a = string.find(spec, '\0', 1, true)
  local b = string.find(spec, '\0', a + 1, true)
  local group = nil
  local from = b + 1
  if string.byte(spec, from) == 1 then
    local g = string.find(spec, '\0', from + 1, true)
    group = string.sub(spec, from + 1, g - 1)
    from = g + 1
  end
  local c = string.find(spec, '\0', from, true)
  return string.sub(spec, a + 1, b - 1), group, string.sub(spec, from, c - 1), string.sub(spec, c + 1)
end

-- Job `id`'s group: field g of its hash, or the group its spec carries; nil for none.
local function jobGroup(prefix, specs, id)
  local h = redis.call('HMGET', prefix .. id, 'g', 's')
  if h[1] then return h[1] end
  local spec = h[2] or redis.call('HGET', specs, id)
  return spec and specGroup(spec) or nil
end
