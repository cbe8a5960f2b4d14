package io.vertiq.bench;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertx.core.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The latency scenario's handler: notes when each job starts (System.nanoTime by job id, or by the
 * payload's "i" where the scenario numbers its jobs itself: a flow's parents take ids too) and
 * completes at once. A job's start is when its handler is called; an observer of the "active" event
 * learns of it one event-bus delivery later, often on another event loop, which on a busy VM adds
 * that thread's wake-up to the figure.
 */
public final class StartStamps implements JobHandler {
  private static final Future<Object> DONE = Future.succeededFuture();
  private static volatile AtomicLongArray startedAt = new AtomicLongArray(0);
  private static volatile CountDownLatch allStarted = new CountDownLatch(0);

  /** Starts recording jobs 1..n; the latch opens when each of them has started once. */
  static CountDownLatch record(int n) {
    startedAt = new AtomicLongArray(n + 1);
    allStarted = new CountDownLatch(n);
    return allStarted;
  }

  static long startedAt(int id) {
    return startedAt.get(id);
  }

  @Override
  public Future<Object> handle(Job job) {
    long now = System.nanoTime();
    AtomicLongArray at = startedAt;
    int id = job.payload().getInteger("i", Integer.parseInt(job.id()));
    if (id >= 0 && id < at.length() && at.compareAndSet(id, 0, now)) allStarted.countDown();
    return DONE;
  }
}
