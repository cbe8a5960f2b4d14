package io.vertiq.worker;

import io.vertiq.RetryLater;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.RetryPolicy;
import io.vertiq.core.StoredRetry;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.observe.Metrics;
import io.vertiq.observe.RunTimesTally;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * What happens after a run: completed, retried after the backoff, or dead after its last attempt
 * (the job's own retry policy over its queue's); the metrics (and the run time per job name) and
 * the lifecycle events of each; the outcome handed to the {@link AckBatcher}, which stores it. The
 * fetch loop only says how a run ended.
 */
final class OutcomePolicy {
  private final QueueOptions q;
  private final AckBatcher acks;
  private final Metrics metrics;
  private final LifecycleEvents events;
  private final RunTimesTally runTimes;

  OutcomePolicy(
      QueueOptions q,
      AckBatcher acks,
      Metrics metrics,
      LifecycleEvents events,
      RunTimesTally runTimes) {
    this.q = q;
    this.runTimes = runTimes;
    this.acks = acks;
    this.metrics = metrics;
    this.events = events;
  }

  void ended(Run r, Object result, Throwable err) {
    long nanos = System.nanoTime() - r.started;
    metrics.duration.record(nanos, TimeUnit.NANOSECONDS);
    // a "retry later" is not a failure of the job (it used no attempt)
    runTimes.record(r.job.name(), nanos, err != null && !(err instanceof RetryLater));
    if (err == null) {
      acks.completed(
          r.leaseEpoch, r.id(), r.token, r.job.attemptsMade(), r.startedAt, encodeResult(result));
      metrics.completed.increment();
      return;
    }
    if (err instanceof CancelledRun) {
      // not a failure of the job: dead at once, without a retry; a dead job can still be retried by
      // hand
      acks.dead(r.leaseEpoch, r.id(), r.token, r.startedAt, CancelledRun.MESSAGE, "");
      metrics.dead.increment();
      events.job("cancelled", r.id(), new JsonObject());
      return;
    }
    if (err instanceof RetryLater later) {
      acks.later(
          r.leaseEpoch,
          r.id(),
          r.token,
          r.startedAt,
          later.getMessage(),
          later.delayMs(),
          later.isQueueWide());
      events.job(
          "deferred",
          r.id(),
          new JsonObject().put("delay", later.delayMs()).put("queueWide", later.isQueueWide()));
      return;
    }
    String message = err.getMessage() == null ? err.getClass().getName() : err.getMessage();
    String trace = shortTrace(err);
    RetryPolicy policy = StoredRetry.retryPolicy(r.job.retryText(), q.retry());
    // runs deferred by "retry later" used no attempt of the policy
    int attempt = r.job.attemptsMade() - r.job.deferrals();
    metrics.failed.increment();
    JsonObject details = new JsonObject().put("error", message).put("attempt", attempt);
    events.job("failed", r.id(), details);
    if (policy.exhausted(attempt)) {
      acks.dead(r.leaseEpoch, r.id(), r.token, r.startedAt, message, trace);
      metrics.dead.increment();
      events.job("dead", r.id(), details);
    } else {
      long delay = policy.delayAfter(attempt);
      acks.retry(r.leaseEpoch, r.id(), r.token, r.startedAt, message, trace, delay);
      metrics.retried.increment();
      events.job("retried", r.id(), details.put("delay", delay));
    }
  }

  private static String encodeResult(Object result) {
    if (result == null) return "null"; // the common case, without a JSON generator
    try {
      return Json.encode(result);
    } catch (RuntimeException e) {
      return Json.encode(String.valueOf(result));
    }
  }

  static String shortTrace(Throwable err) {
    StringBuilder sb = new StringBuilder(err.toString());
    StackTraceElement[] st = err.getStackTrace();
    for (int i = 0; i < Math.min(8, st.length); i++) sb.append("\n  at ").append(st[i]);
    return sb.length() > 2000 ? sb.substring(0, 2000) : sb.toString();
  }
}
