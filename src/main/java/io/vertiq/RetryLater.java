package io.vertiq;

import io.vertiq.config.Durations;
import java.time.Duration;

/**
 * What a handler fails its run with when the job cannot run now but nothing is wrong with it (the
 * downstream answered 429 or asked to come back later): the job waits that long in Redis and runs
 * again, and the run uses no attempt of its retry policy. With {@link #queueWide()} every worker of
 * the queue, on every node, takes no job of the queue until then either.
 *
 * <pre>
 * return Future.failedFuture(RetryLater.in(Duration.ofSeconds(30)).queueWide());
 * </pre>
 */
public final class RetryLater extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long delayMs;
  private final boolean queueWide;

  private RetryLater(long delayMs, boolean queueWide) {
    super(
        "retry later: in " + delayMs + "ms" + (queueWide ? ", the whole queue" : ""),
        null,
        false,
        false);
    if (delayMs < 0 || delayMs > Durations.MAX_MS) {
      throw new IllegalArgumentException("delay: expected 0 to 365 days, got " + delayMs + "ms");
    }
    this.delayMs = delayMs;
    this.queueWide = queueWide;
  }

  /** This job runs again after {@code delay}. */
  public static RetryLater in(Duration delay) {
    return new RetryLater(delay.toMillis(), false);
  }

  /** The same, and the whole queue waits as long. */
  public RetryLater queueWide() {
    return new RetryLater(delayMs, true);
  }

  public long delayMs() {
    return delayMs;
  }

  public boolean isQueueWide() {
    return queueWide;
  }
}
