package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a failed job is retried: how many attempts in all, and the wait before each retry (fixed, or
 * exponential from {@code delay} doubling up to {@code max}, with +/- {@code jitter} spread so a
 * burst of failures does not retry in lock-step). After the last attempt the job goes to the dead
 * set.
 */
public final class RetryPolicy {
  public enum Backoff {
    FIXED,
    EXPONENTIAL
  }

  /** Default attempts in all, the first run included. */
  public static final int DEFAULT_ATTEMPTS = 3;

  /** Default base delay: 1s. */
  public static final long DEFAULT_DELAY_MS = 1_000;

  /** Default cap on one wait: 1h. */
  public static final long DEFAULT_MAX_MS = 3_600_000;

  /** Default jitter: 0.2 (each wait is spread by up to 20% either way). */
  public static final double DEFAULT_JITTER = 0.2;

  private static final Set<String> BACKOFF_KEYS = Set.of("type", "delay", "max", "jitter");

  private final int attempts;
  private final Backoff backoff;
  private final long delayMs;
  private final long maxMs;
  private final double jitter;

  public RetryPolicy(int attempts, Backoff backoff, long delayMs, long maxMs, double jitter) {
    this.attempts = attempts;
    this.backoff = backoff;
    this.delayMs = delayMs;
    this.maxMs = Math.max(maxMs, delayMs);
    this.jitter = jitter;
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(
        DEFAULT_ATTEMPTS, Backoff.EXPONENTIAL, DEFAULT_DELAY_MS, DEFAULT_MAX_MS, DEFAULT_JITTER);
  }

  /**
   * Reads {@code attempts} and {@code backoff} from a queue or job section, over the given
   * fallback.
   */
  public static RetryPolicy read(ConfReader r, RetryPolicy fallback) {
    int attempts = r.integer("attempts", fallback.attempts, 1, 1_000_000);
    ConfReader b = r.child("backoff");
    b.rejectUnknown(BACKOFF_KEYS);
    String type =
        b.oneOf("type", fallback.backoff.name().toLowerCase(), Set.of("fixed", "exponential"));
    long delay = b.millis("delay", fallback.delayMs, 0);
    long max = b.millis("max", fallback.maxMs, 0);
    double jitter = b.decimal("jitter", fallback.jitter, 0, 1);
    return new RetryPolicy(attempts, Backoff.valueOf(type.toUpperCase()), delay, max, jitter);
  }

  public int attempts() {
    return attempts;
  }

  public Backoff backoff() {
    return backoff;
  }

  public long delayMs() {
    return delayMs;
  }

  public long maxMs() {
    return maxMs;
  }

  public double jitter() {
    return jitter;
  }

  /** True when a job that has now failed {@code attemptsMade} times may not run again. */
  public boolean exhausted(int attemptsMade) {
    return attemptsMade >= attempts;
  }

  /**
   * The wait before the retry that follows failure number {@code attemptsMade} (1 for the first).
   */
  public long delayAfter(int attemptsMade) {
    double base;
    if (backoff == Backoff.FIXED) {
      base = delayMs;
    } else {
      int exp = Math.min(Math.max(attemptsMade - 1, 0), 62);
      base = Math.min((double) maxMs, delayMs * Math.pow(2, exp));
    }
    if (jitter > 0 && base > 0) {
      base = base * (1 + jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
    }
    return Math.min(maxMs, Math.max(0, Math.round(base)));
  }

  /** The backoff section, as it is written in the conf. */
  public JsonObject backoffJson() {
    return new JsonObject()
        .put("type", backoff.name().toLowerCase())
        .put("delay", Durations.format(delayMs))
        .put("max", Durations.format(maxMs))
        .put("jitter", jitter);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p
        && p.attempts == attempts
        && p.backoff == backoff
        && p.delayMs == delayMs
        && p.maxMs == maxMs
        && Double.compare(p.jitter, jitter) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(attempts, backoff, delayMs, maxMs, jitter);
  }

  @Override
  public String toString() {
    return "attempts " + attempts + ", backoff " + backoffJson().encode();
  }
}
