package io.vertiq.redis;

/**
 * The retry delay of a loop that meets a failing Redis (a fetch, a report, a reconnect): 100 ms
 * doubling to a ceiling (5 s unless said), back to the start after a success. One object per loop;
 * not thread-safe.
 */
public final class Backoff {
  /** The first delay: 100 ms. */
  public static final long FIRST_MS = 100;

  /** The default ceiling: 5 s. */
  public static final long MAX_MS = 5_000;

  private final long maxMs;
  private long current;

  public Backoff() {
    this(MAX_MS);
  }

  public Backoff(long maxMs) {
    this.maxMs = maxMs;
  }

  /** The delay before the next try: the first, or twice the last, at most the ceiling. */
  public long next() {
    current = current == 0 ? FIRST_MS : Math.min(current * 2, maxMs);
    return current;
  }

  /** After a success: the next failure starts from the first delay again. */
  public void reset() {
    current = 0;
  }
}
