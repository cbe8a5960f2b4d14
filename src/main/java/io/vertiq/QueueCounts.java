package io.vertiq;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** A queue's jobs per state, its paused flag, and its lifetime counters (enqueued, completed, failed, ...). */
public record QueueCounts(String queue, long ready, long delayed, long active, long dead, long completed,
    boolean paused, Map<String, Long> totals) {

  public long total(String name) {
    return totals.getOrDefault(name, 0L);
  }

  public JsonObject toJson() {
    JsonObject t = new JsonObject();
    totals.forEach(t::put);
    return new JsonObject().put("queue", queue).put("paused", paused)
        .put("counts", new JsonObject().put("ready", ready).put("delayed", delayed).put("active", active)
            .put("dead", dead).put("completed", completed))
        .put("totals", t);
  }
}
