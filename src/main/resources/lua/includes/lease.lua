-- A run's lease in the active zset is scored deadline ms * 1000 + attempt % 1000: the lease itself says which run
-- holds the job, so reporting, renewing or releasing a run needs no read of the job's hash. (Exact: the score
-- stays below 2^53; a clash needs a report from the run 1000 attempts earlier.)
local function leaseScore(deadlineMs, attempt)
  return string.format('%d', deadlineMs * 1000 + attempt % 1000)
end

-- A run's token: "<attempt>", then "f" when the job is a flow's child (its end is told to its parent, see
-- flowChildDone), then "u" when the job holds a unique key, then ":<group>" when it has a group (see groups; a group
-- may hold ':', the attempt never does). A flow child's token starts with "NUL <parent queue> NUL <parent id> NUL":
-- its finish tells the parent without reading the child's hash for it (names and ids hold no NUL). Returns the
-- attempt as the decimal string it is, whether the job holds a unique key, its group (nil for none), whether it is a
-- flow's child, and its parent's queue and id when the token carries them. (No pattern match: this runs for every
-- entry a finish reports.)
local function tokenParts(token)
  local parentQueue, parentId = nil, nil
  if string.byte(token, 1) == 0 then
    local a = string.find(token, '\0', 2, true)
    local b = string.find(token, '\0', a + 1, true)
    parentQueue, parentId = string.sub(token, 2, a - 1), string.sub(token, a + 1, b - 1)
    token = string.sub(token, b + 1)
  end
  local colon = string.find(token, ':', 1, true)
  local group = nil
  if colon then
    group = string.sub(token, colon + 1)
    token = string.sub(token, 1, colon - 1)
  end
  local unique = string.byte(token, -1) == 117 -- 'u'
  if unique then token = string.sub(token, 1, -2) end
  if string.byte(token, -1) == 102 then -- 'f'
    return string.sub(token, 1, -2), unique, group, true, parentQueue, parentId
  end
  return token, unique, group, false
end

-- The attempt in a run's token, as the decimal string it is.
local function tokenAttemptText(token)
  return (tokenParts(token))
end

-- The attempt number in a run's token (nil for a malformed one).
local function tokenAttempt(token)
  return tonumber(tokenAttemptText(token))
end

-- Whether the lease score (a string from Redis, or false when the job has no lease) belongs to the run `token`.
local function holds(score, token)
  local attempt = tokenAttempt(token)
  return score and attempt and tonumber(score) % 1000 == attempt % 1000 or false
end

-- The lease score below which every lease has expired at `now` ms.
local function expiredBelow(now)
  return string.format('%d', now * 1000 + 999)
end
