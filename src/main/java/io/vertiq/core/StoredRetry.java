package io.vertiq.core;

import io.vertiq.NewJob;
import io.vertiq.config.Durations;
import io.vertiq.config.RetryPolicy;
import io.vertx.core.json.JsonObject;

/**
 * A job's own retry policy as its hash stores it (field {@link JobCodec#RETRY}), and what it means
 * beside its queue's policy.
 */
public final class StoredRetry {
  private StoredRetry() {}

  /**
   * A job's own retry policy as stored: "attempts:type:delay:max:jitter", each part empty when the
   * job did not set it (it follows the queue's), or "" when it set none.
   */
  public static String retry(NewJob j) {
    Integer attempts = j.attempts();
    JsonObject backoff = j.backoff();
    if (attempts == null && backoff == null) return "";
    String a = attempts == null ? "" : attempts.toString();
    if (backoff == null) return a + "::::";
    String type = backoff.getString("type");
    Long delay = Durations.parseMillis(backoff.getValue("delay"));
    Long max = Durations.parseMillis(backoff.getValue("max"));
    Object jitter = backoff.getValue("jitter");
    return a
        + ":"
        + (type == null ? "" : "fixed".equals(type) ? "f" : "e")
        + ":"
        + (delay == null ? "" : delay)
        + ":"
        + (max == null ? "" : max)
        + ":"
        + (jitter == null ? "" : jitter);
  }

  /** The policy a job runs with: its own stored parts over its queue's. */
  public static RetryPolicy retryPolicy(String stored, RetryPolicy queue) {
    String[] p = retryParts(stored);
    if (p == null) return queue;
    try {
      return new RetryPolicy(
          p[0].isEmpty() ? queue.attempts() : Integer.parseInt(p[0]),
          p[1].isEmpty()
              ? queue.backoff()
              : "f".equals(p[1]) ? RetryPolicy.Backoff.FIXED : RetryPolicy.Backoff.EXPONENTIAL,
          p[2].isEmpty() ? queue.delayMs() : Long.parseLong(p[2]),
          p[3].isEmpty() ? queue.maxMs() : Long.parseLong(p[3]),
          p[4].isEmpty() ? queue.jitter() : Double.parseDouble(p[4]));
    } catch (RuntimeException e) {
      return queue;
    }
  }

  /** The job's own attempts from its stored policy, or null. */
  public static Integer attempts(String stored) {
    String[] p = retryParts(stored);
    return p == null || p[0].isEmpty() ? null : Integer.valueOf(p[0]);
  }

  /**
   * The job's own backoff from its stored policy, as the API takes it (only the parts it set), or
   * null.
   */
  public static JsonObject backoff(String stored) {
    String[] p = retryParts(stored);
    if (p == null || (p[1].isEmpty() && p[2].isEmpty() && p[3].isEmpty() && p[4].isEmpty()))
      return null;
    JsonObject b = new JsonObject();
    if (!p[1].isEmpty()) b.put("type", "f".equals(p[1]) ? "fixed" : "exponential");
    if (!p[2].isEmpty()) b.put("delay", Durations.format(Long.parseLong(p[2])));
    if (!p[3].isEmpty()) b.put("max", Durations.format(Long.parseLong(p[3])));
    if (!p[4].isEmpty()) b.put("jitter", Double.parseDouble(p[4]));
    return b;
  }

  private static String[] retryParts(String stored) {
    if (stored == null || stored.isEmpty()) return null;
    String[] p = stored.split(":", -1);
    return p.length == 5 ? p : null;
  }
}
