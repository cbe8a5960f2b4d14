package io.vertiq;

import io.vertx.core.json.JsonObject;

/**
 * The id of an enqueued job, and whether it is new or an existing job holding the same unique key.
 */
public record EnqueueResult(String id, boolean created) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("created", created);
  }
}
