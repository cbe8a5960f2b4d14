package io.vertiq.worker;

import io.vertiq.core.JobImpl;
import io.vertiq.observe.JobTracing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One run of a job on a worker instance: the job, what its report needs (lease epoch, token, start)
 * and its deadline. It is also the job's progress sink, so a run costs no extra object for it.
 */
final class Run implements Function<Object, Future<Void>> {
  final JobImpl job;

  /** The lease epoch of the fetch that brought the job in (see {@link WorkerStore#finish}). */
  final long leaseEpoch;

  final String token;

  /**
   * The start time as the records store it: the fetch's Redis time, one string for all of its jobs.
   */
  final String startedAt;

  final long started = System.nanoTime();

  /** System.nanoTime() past which the run has timed out. */
  long deadline;

  /** A timer of the run's own (a timeout far below the queue's), or -1. */
  long timer = -1;

  boolean done;

  /** The run's last log append, the next waits for it (see RunReports); null before the first. */
  Future<Void> logged;

  /** The run's span when tracing is on and the job carries a trace (see JobTracing), else null. */
  JobTracing.Consumer span;

  private final BiFunction<Run, Object, Future<Void>> progress;

  Run(
      JobImpl job,
      long leaseEpoch,
      String startedAt,
      BiFunction<Run, Object, Future<Void>> progress) {
    this.job = job;
    this.progress = progress;
    this.leaseEpoch = leaseEpoch;
    this.token = WorkerStore.token(job);
    this.startedAt = startedAt;
  }

  @Override
  public Future<Void> apply(Object value) {
    return progress.apply(this, value);
  }

  String id() {
    return job.id();
  }

  /** The run as the node registry lists it: the job, its attempt and when it started. */
  JsonObject describe() {
    return new JsonObject()
        .put("id", job.id())
        .put("name", job.name())
        .put("attempt", job.attemptsMade())
        .put("startedAt", Long.parseLong(startedAt));
  }
}
