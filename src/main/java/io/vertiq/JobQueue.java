package io.vertiq;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One named queue: enqueue (one job or a batch in one round trip), read, remove, retry dead jobs,
 * pause and resume, and counts. Obtained from {@link Vertiq#queue(String)}; cheap, thread-safe and
 * stateless.
 */
public interface JobQueue {
  /** Most jobs one {@link #enqueueBulk} takes: 100,000. */
  int MAX_BULK = 100_000;

  /**
   * How long an idempotency key ({@link NewJob#setIdempotencyKey}) holds from its first enqueue: 24
   * hours. Within it, an enqueue with the same key creates nothing and returns the first job's id,
   * whatever became of that job.
   */
  long IDEMPOTENCY_WINDOW_MS = 86_400_000L;

  String name();

  /**
   * Enqueues one job; with a unique key already held by a waiting, delayed or active job, returns
   * that job's id.
   */
  Future<EnqueueResult> enqueue(NewJob job);

  /**
   * Enqueues a batch of up to {@link #MAX_BULK} jobs: one Redis round trip per 1,000 jobs, sent in
   * order, so a large bulk never holds Redis for long. Results are in the order of {@code jobs}, in
   * a read-only list. All are validated first: one bad job fails the call, naming it
   * ("jobs[3].priority: ..."), and stores nothing. Each call of 1,000 is atomic; when Redis fails
   * between two, the error names the jobs stored before it.
   */
  Future<List<EnqueueResult>> enqueueBulk(List<NewJob> jobs);

  /** The job, or a failed future with code NOT_FOUND. */
  Future<Job> get(String id);

  /** One page of jobs in a state: ready in run order, the others newest first. */
  Future<JobPage> list(JobState state, long offset, int limit);

  /**
   * Makes a delayed job (waiting for its run-at or a retry) ready now; a ready job stays as it is.
   * Returns its state; NOT_FOUND when there is no such job, CONFLICT while it runs or once it is
   * dead or completed.
   */
  Future<JobState> promote(String id);

  /**
   * Changes a waiting job's priority (a delayed one's applies once it is due); errors as {@link
   * #promote}.
   */
  Future<JobState> setPriority(String id, int priority);

  /**
   * Moves a waiting job's run-at time (epoch ms; one not ahead makes it ready now); errors as
   * {@link #promote}.
   */
  Future<JobState> setRunAt(String id, long epochMs);

  /**
   * Cancels a job. A waiting or delayed one is deleted. A running one's handler is told ({@link
   * Job#cancelled()}, on whichever node runs it) and its run ends as cancelled: the job is dead
   * with the error "cancelled", and not retried. Returns the state the job was in (READY, DELAYED
   * or ACTIVE); NOT_FOUND when there is no such job, CONFLICT once it has completed or is dead.
   */
  Future<JobState> cancel(String id);

  /**
   * Sends job {@code id} the signal {@code name} with {@code data} (any JSON value) for {@link
   * Job#waitFor}: a job waiting for it is made ready at once ("woken"); otherwise the signal is
   * kept with the job until it waits for it ("kept"; the last one sent of a name wins). NOT_FOUND
   * for no such job, CONFLICT once it has finished, INVALID_ARGUMENT for a name outside 1 to 128
   * characters of A-Z a-z 0-9 . _ : - or data over the payload limit.
   */
  Future<String> signal(String id, String name, Object data);

  /**
   * The job once it has finished (COMPLETED, with its {@link Job#result()}, or DEAD), waiting for
   * that up to {@code timeoutMs}; a job still unfinished by then comes back as it is (its state
   * says so). NOT_FOUND when there is no such job. The wait ends as the job's run ends when the
   * node running it is this one or the event bus is clustered (by its lifecycle event), else within
   * half a second (a poll).
   */
  Future<Job> awaitResult(String id, long timeoutMs);

  /**
   * Finds jobs by what Redis can answer without reading every job: the job with this id, and the
   * job holding this unique key (two reads). Empty when neither matches. A name is not searched:
   * that would scan every job.
   */
  Future<List<Job>> search(String text);

  /** Most minutes of history answered (see {@link #history}): 7 days. */
  int HISTORY_MINUTES = 10_080;

  /**
   * The queue's last {@code minutes} (1 to {@link #HISTORY_MINUTES}) on Redis time, oldest first:
   * minute by minute up to 1,440 (a day), hour by hour beyond. {"from": the first step's start
   * (epoch ms), "stepMs": 60000 or 3600000, "completed", "failed" (runs that failed: retried or
   * dead), "dead", "waitMs" (the mean wait of the runs started, from due to start; null in a step
   * with none), "waitP50Ms" and "waitP95Ms" (their percentiles, from the workers' wait histograms;
   * null in a step with none)}.
   */
  Future<JsonObject> history(int minutes);

  /** Longest window of {@link #metricsByName}: 7 days. */
  long METRICS_WINDOW_MS = 7 * 86_400_000L;

  /**
   * The metrics per job name over the last {@code windowMs} (1 minute to {@link
   * #METRICS_WINDOW_MS}), on Redis time, the most run first: runs, failures, and the mean and the
   * p50, p95 and p99 of run time. Every node's workers add theirs every few seconds; a window over
   * two hours is read by the hour (a day: this hour and the 24 before it). Kept in Redis with
   * bounded memory: 50 names per minute or hour, the others counted as "(other)".
   */
  Future<List<JobNameMetrics>> metricsByName(long windowMs);

  /** Deletes a job that is not running; false when it did not exist, CONFLICT while it runs. */
  Future<Boolean> remove(String id);

  /**
   * Moves the given dead jobs (all of them when ids is empty) back to ready; returns how many
   * moved.
   */
  Future<Long> retryDead(List<String> ids);

  /** Deletes every dead job; returns how many. */
  Future<Long> clearDead();

  /**
   * Deletes the completed or dead jobs (as {@code state} says) that finished more than {@code
   * olderThanMs} ago (0: all of them); returns how many. Retention does this by itself; this is the
   * operator's "clean now".
   */
  Future<Long> clean(JobState state, long olderThanMs);

  Future<Void> pause();

  Future<Void> resume();

  Future<QueueCounts> counts();

  /**
   * Creates or replaces a schedule of this queue (as in the conf's {@code
   * queues.<q>.schedules.<name>}: "cron" with "tz", or "every"; "job"; optional "startAt", "endAt",
   * "limit", "missed", "maxMissed"); its next fire counts from now. Fails with INVALID_ARGUMENT
   * naming the bad field. Returns the schedule as {@link #schedules()} shows it.
   */
  Future<JsonObject> schedule(String name, JsonObject spec);

  /**
   * Every schedule of the queue: name, spec, source (conf or api), paused, fires so far,
   * nextFireAt.
   */
  Future<JsonArray> schedules();

  /** Deletes a schedule (the jobs it enqueued stay); false when there was none. */
  Future<Boolean> unschedule(String name);

  /**
   * Pauses a schedule (nothing fires) or resumes it (it fires from now on); NOT_FOUND when there is
   * none.
   */
  Future<JsonObject> pauseSchedule(String name, boolean paused);

  /** Enqueues the schedule's job now, outside its times; returns the job's id. */
  Future<EnqueueResult> triggerSchedule(String name);

  /**
   * A page of the queue's groups (those with a waiting or running job, or paused): {"groups":
   * [{"name", "waiting", "active" (runs in progress, counted when the queue has a group concurrency
   * or limits set at run time), "paused", "limited": "rate" (with "limitedUntil") or "concurrency"
   * while a group limit holds it back, and "limits": those set at run time}], "next": the cursor of
   * the next page, or null}. Start with cursor "0".
   */
  Future<JsonObject> groups(String cursor, int limit);

  /** One group's state, as {@link #groups} lists it. */
  Future<JsonObject> group(String name);

  /**
   * Pauses a group (its waiting jobs wait, its running ones finish; the queue's other jobs go on)
   * or resumes it; returns its state.
   */
  Future<JsonObject> pauseGroup(String name, boolean paused);

  /**
   * Sets one group's limits at run time: kept in Redis and applied by every node's next fetch,
   * without a redeploy; a limit left unset falls back to the queue's conf, and the weight shares
   * the starts among backlogged groups. A group its old limit held back gets a fresh look at once.
   * Returns the group's state, as {@link #groups} lists it, with its "limits".
   */
  Future<JsonObject> setGroupLimits(String name, GroupLimits limits);

  /** Returns a group to the queue's limits and weight 1; returns its state. */
  Future<JsonObject> clearGroupLimits(String name);

  /** The last failures (newest first), as {"id", "at", "error"}. */
  Future<List<JsonObject>> recentFailures(int limit);
}
