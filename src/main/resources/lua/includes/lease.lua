-- A run's lease in the active zset is scored deadline ms * 1000 + attempt % 1000: the lease itself says which run
-- holds the job, so reporting, renewing or releasing a run needs no read of the job's hash. (Exact: the score
-- stays below 2^53; a clash needs a report from the run 1000 attempts earlier.)
local function leaseScore(deadlineMs, attempt)
  return string.format('%d', deadlineMs * 1000 + attempt % 1000)
end

-- The attempt in a run's token, as the decimal string it is: "<attempt>", then "u" when the job holds a unique key
-- and "g" when it has a group (see groups). (No pattern match: this runs for every entry a finish reports.)
local function tokenAttemptText(token)
  local last = string.byte(token, -1)
  if last == 103 then -- 'g'
    token = string.sub(token, 1, -2)
    last = string.byte(token, -1)
  end
  if last == 117 then return string.sub(token, 1, -2) end -- 'u'
  return token
end

-- Whether a run's token says its job holds a unique key, and whether it has a group.
local function tokenFlags(token)
  local last = string.byte(token, -1)
  if last == 103 then return string.byte(token, -2) == 117, true end
  return last == 117, false
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
