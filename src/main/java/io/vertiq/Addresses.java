package io.vertiq;

/**
 * The event-bus contract: every address Vertiq listens on or publishes to, with the message bodies.
 * Failures are replied with {@code message.fail(status, text)}, status being the HTTP status of the
 * {@link VertiqException.Code} (400 invalid, 404 not found, 413 too large, 503 Redis unavailable).
 */
public final class Addresses {
  private Addresses() {}

  /**
   * Request/reply: enqueue. Body {@code {"queue": "emails", "jobs": [<job>...]}} or a single job as
   * {@code {"queue": "emails", "name": ..., "payload": {...}, "delay": "5s", "priority": 0,
   * "attempts": 3, "backoff": {...}, "timeout": "30s", "uniqueKey": "..."}}. Reply {@code {"id":
   * "42", "created": true}}, or for "jobs" {@code {"results": [{"id", "created"}...]}}.
   */
  public static final String ENQUEUE = "vertiq.enqueue";

  /**
   * Publish: lifecycle events of one queue, at {@code vertiq.events.<queue>}. Body {@code {"event":
   * type, "queue": q, ...}}. Batches carry {@code "ids": [...]}: enqueued (per enqueue call),
   * active (per fetch), completed (per batch of outcomes stored in Redis), unblocked (flow parents
   * and batches whose children have all ended). Single jobs carry {@code "id"}: progress (with
   * "progress"), failed, retried (with "delay" in ms) and dead, each with "error" and "attempt";
   * deferred ("retry later", with "delay"); cancelled. Batching keeps them cheap enough to leave on
   * at tens of thousands of jobs per second.
   */
  public static final String EVENTS_PREFIX = "vertiq.events.";

  /**
   * Request/reply: control. Body {@code {"action": "pause"|"resume"|"redeploy"|"scale"|"stats",
   * "queue": q, "instances": n (scale only)}}; for schedules {@code "action": "schedules"} (list),
   * {@code "schedule"} (create or replace: "name", "spec" as HTTP takes it), {@code "unschedule"},
   * {@code "pauseSchedule"}, {@code "resumeSchedule"} or {@code "triggerSchedule"}, each with
   * "name"; for groups {@code "groups"} (a page: "cursor", "limit"), {@code "group"}, {@code
   * "pauseGroup"}, {@code "resumeGroup"}, {@code "setGroupLimits"} ("limits": as PUT
   * .../groups/{group}/limits takes them) or {@code "clearGroupLimits"}, each with "group"; {@code
   * "promote"}, {@code "setPriority"} ("priority"), {@code "setRunAt"} ("runAt"), {@code "cancel"}
   * or {@code "result"} (waits up to "timeout" ms, at most 25,000, for the job to finish: the job
   * with "finished"; give the request a longer send timeout), each with "id"; {@code "flow"}
   * ("flow": as POST /flows takes it) and {@code "flowTree"} ("id"); {@code "openBatch"}
   * ("onSuccess", "onComplete": jobs), {@code "addToBatch"} ("id", "jobs", "jobsQueue"), {@code
   * "closeBatch"} and {@code "batch"} ("id"); {@code "nodes"} (no queue) lists every live node.
   * Reply {@code {"ok": true, ...}} with the action's details.
   */
  public static final String CONTROL = "vertiq.control";

  public static String events(String queue) {
    return EVENTS_PREFIX + queue;
  }
}
