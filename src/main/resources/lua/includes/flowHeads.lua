-- The flow parent of an enqueueJobs call's jobs, from its argument: "" for none; "<parent queue> NUL <parent id>"
-- (they are its children, and their ends are told to it: see finishJobs and flowDeliver); or "<parent queue> NUL
-- <parent id> NUL self": the call is flows on one queue, one after another, each a head (whose parent is that one,
-- none when both are empty) and then as many jobs as its flow's children count, which are its children.
-- F.parentQueue and F.parentId are the parent of the job being added (nil: none).
local function flowParentOf(arg)
  local F = {self = false, left = 0, kids = {}}
  if arg == '' then return F end
  local nul = string.find(arg, '\0', 1, true)
  F.parentQueue, F.parentId = string.sub(arg, 1, nul - 1), string.sub(arg, nul + 1)
  local second = string.find(F.parentId, '\0', 1, true)
  if second then
    F.self = true
    F.parentId = string.sub(F.parentId, 1, second - 1)
    if F.parentId == '' then F.parentQueue, F.parentId = nil, nil end
  end
  F.rootQueue, F.rootId = F.parentQueue, F.parentId -- in self mode, the parent of every head
  return F
end

-- In self mode, after job `id` (its flow value `flow`, "" for none) was added: a head makes the jobs after it its
-- children; its last child writes the head's list of them (fk), and the next job is a head again.
local function flowHeadsAdded(F, prefix, id, flow)
  if not F.self then return end
  if F.left == 0 then
    local count = flow ~= '' and tonumber(string.sub(flow, 1, string.find(flow, '\0', 1, true) - 1)) or 0
    if count > 0 then
      F.queue = F.queue or string.match(prefix, '{(.*)}:j:$')
      F.parentQueue, F.parentId, F.head, F.left, F.kids = F.queue, id, id, count, {}
    end
  else
    F.kids[#F.kids + 1] = F.queue .. '\0' .. id
    F.left = F.left - 1
    if F.left == 0 then
      redis.call('HSET', prefix .. F.head, 'fk', table.concat(F.kids, '\n') .. '\n')
      F.parentQueue, F.parentId = F.rootQueue, F.rootId
    end
  end
end
