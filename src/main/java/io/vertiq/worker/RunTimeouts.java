package io.vertiq.worker;

import io.vertiq.config.Durations;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Fails runs past their timeout. One sweep per instance every timeout/10 (10 ms to 1 s) instead of
 * a timer per job: the queue's timeout is met to within a tenth, and a job costs no timer to start
 * and cancel. A job whose own timeout is far below the sweep's resolution gets a timer of its own.
 */
final class RunTimeouts {
  private final Vertx vertx;
  private final long queueTimeoutMs;
  private final long sweepMs;
  private final BiConsumer<Run, Throwable> timedOut;
  private long sweep = -1;

  RunTimeouts(Vertx vertx, long queueTimeoutMs, BiConsumer<Run, Throwable> timedOut) {
    this.vertx = vertx;
    this.queueTimeoutMs = queueTimeoutMs;
    this.sweepMs = Math.max(10, Math.min(1_000, queueTimeoutMs / 10));
    this.timedOut = timedOut;
  }

  void start(Collection<Run> running) {
    sweep = vertx.setPeriodic(sweepMs, t -> sweep(running));
  }

  /** Sets the run's deadline from its job's timeout (or the queue's). */
  void watch(Run r) {
    long timeout = r.job.timeoutMs() > 0 ? r.job.timeoutMs() : queueTimeoutMs;
    r.deadline = r.started + timeout * 1_000_000L;
    if (timeout < sweepMs * 10)
      r.timer = vertx.setTimer(timeout, t -> timedOut.accept(r, exception(r)));
  }

  /** The run ended: its own timer, if any, goes. */
  void unwatch(Run r) {
    if (r.timer >= 0) vertx.cancelTimer(r.timer);
    r.timer = -1;
  }

  private void sweep(Collection<Run> running) {
    if (running.isEmpty()) return;
    long now = System.nanoTime();
    List<Run> overdue = null;
    for (Run r : running) {
      if (r.deadline - now <= 0) {
        if (overdue == null) overdue = new ArrayList<>();
        overdue.add(r);
      }
    }
    if (overdue != null) overdue.forEach(r -> timedOut.accept(r, exception(r)));
  }

  private static TimeoutException exception(Run r) {
    return new TimeoutException(
        "timed out after " + Durations.format((r.deadline - r.started) / 1_000_000L));
  }

  void stop() {
    if (sweep >= 0) vertx.cancelTimer(sweep);
  }
}
