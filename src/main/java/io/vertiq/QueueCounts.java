package io.vertiq;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A queue's jobs per state (ready counts the grouped jobs waiting too), its paused flag, its live
 * groups, its limiter's state (jobs started in the rate window now, -1 when not read; the Redis ms
 * until which a "retry later" holds the whole queue, 0 none), its latency (how long the next job to
 * run has been due, ms: 0 when none waits), its delayed jobs already due (not promoted yet) and its
 * lifetime counters (enqueued, completed, failed, ...).
 */
public record QueueCounts(
    String queue,
    long ready,
    long delayed,
    long active,
    long dead,
    long completed,
    boolean paused,
    long groups,
    long startedInRateWindow,
    long limitedUntil,
    long latencyMs,
    long delayedDue,
    Map<String, Long> totals) {

  public long total(String name) {
    return totals.getOrDefault(name, 0L);
  }

  /** The jobs that could run now: ready (prioritised and grouped ones too) and delayed but due. */
  public long due() {
    return ready + delayedDue;
  }

  public JsonObject toJson() {
    JsonObject t = new JsonObject();
    totals.forEach(t::put);
    return new JsonObject()
        .put("queue", queue)
        .put("paused", paused)
        .put("latencyMs", latencyMs)
        .put(
            "counts",
            new JsonObject()
                .put("ready", ready)
                .put("delayed", delayed)
                .put("active", active)
                .put("dead", dead)
                .put("completed", completed)
                .put("groups", groups)
                .put("delayedDue", delayedDue))
        .put("limiter", limiter())
        .put("totals", t);
  }

  private JsonObject limiter() {
    JsonObject l = new JsonObject();
    if (startedInRateWindow >= 0) l.put("startedInWindow", startedInRateWindow);
    if (limitedUntil > 0) l.put("limitedUntil", limitedUntil);
    return l;
  }
}
