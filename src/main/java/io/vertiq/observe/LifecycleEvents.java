package io.vertiq.observe;

import io.vertiq.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Publishes one queue's lifecycle events at {@code vertiq.events.<queue>}, in the shapes {@link
 * Addresses} documents: batches ({@code "ids"}) where jobs move in batches, single jobs ({@code
 * "id"}) for the rest.
 */
public final class LifecycleEvents {
  private final EventBus bus;
  private final String queue;
  private final String address;

  public LifecycleEvents(EventBus bus, String queue) {
    this.bus = bus;
    this.queue = queue;
    this.address = Addresses.events(queue);
  }

  /**
   * enqueued, active or completed: one message for many jobs; nothing when {@code ids} is empty.
   * Takes {@code ids} over (a fresh list per batch, or a read-only one): the message wraps it
   * without a copy, and each consumer gets its own copy from the event bus.
   */
  public void batch(String event, List<String> ids) {
    if (ids.isEmpty()) return;
    bus.publish(
        address,
        new JsonObject().put("event", event).put("queue", queue).put("ids", new JsonArray(ids)));
  }

  /** progress, failed, retried or dead: one job, with the fields of {@code details}. */
  public void job(String event, String id, JsonObject details) {
    bus.publish(address, details.copy().put("event", event).put("queue", queue).put("id", id));
  }
}
