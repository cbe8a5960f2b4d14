package io.vertiq;

import io.vertx.core.Future;
import java.util.List;

/**
 * One named queue: enqueue (one job or a batch in one round trip), read, remove, retry dead jobs, pause and
 * resume, and counts. Obtained from {@link Vertiq#queue(String)}; cheap, thread-safe and stateless.
 */
public interface JobQueue {
  String name();

  /** Enqueues one job; with a unique key already held by a waiting, delayed or active job, returns that job's id. */
  Future<EnqueueResult> enqueue(NewJob job);

  /**
   * Enqueues a batch in one Redis round trip; results are in the order of {@code jobs}, in a read-only list. All are
   * validated first: one bad job fails the call, naming it ("jobs[3].priority: ...").
   */
  Future<List<EnqueueResult>> enqueueBulk(List<NewJob> jobs);

  /** The job, or a failed future with code NOT_FOUND. */
  Future<Job> get(String id);

  /** One page of jobs in a state: ready in run order, the others newest first. */
  Future<JobPage> list(JobState state, long offset, int limit);

  /** Deletes a job that is not running; false when it did not exist, CONFLICT while it runs. */
  Future<Boolean> remove(String id);

  /** Moves the given dead jobs (all of them when ids is empty) back to ready; returns how many moved. */
  Future<Long> retryDead(List<String> ids);

  /** Deletes every dead job; returns how many. */
  Future<Long> clearDead();

  Future<Void> pause();

  Future<Void> resume();

  Future<QueueCounts> counts();

  /** The last failures (newest first), as {"id", "at", "error"}. */
  Future<List<io.vertx.core.json.JsonObject>> recentFailures(int limit);
}
