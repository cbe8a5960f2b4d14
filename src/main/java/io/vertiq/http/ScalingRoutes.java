package io.vertiq.http;

import static io.vertiq.http.Operations.on;
import static io.vertiq.http.Requests.reply;

import io.vertiq.QueueCounts;
import io.vertiq.observe.Nodes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an autoscaler reads of a queue (GET /queues/{queue}/scaling, the JSON KEDA's metrics-api
 * scaler takes): the work that could run now (ready, prioritised, grouped, and delayed jobs already
 * due), how long the oldest has waited, the runs against the slots of every live node, and the
 * rates in and out since the previous read.
 */
final class ScalingRoutes {
  private final Node node;

  /** A queue's lifetime totals at a time, and the rates computed from the read before. */
  private record Sample(long at, long enqueued, long completed, double in, double out) {}

  private final Map<String, Sample> samples = new ConcurrentHashMap<>();

  ScalingRoutes(Node node) {
    this.node = node;
  }

  void mount(RouterBuilder r) {
    on(
        r,
        "getQueueScaling",
        ctx -> {
          String name = ctx.pathParam("queue");
          Future<QueueCounts> counts = node.vertiq().queue(name).counts();
          Future<JsonArray> nodes = Nodes.list(node.redis(), node.options().redis().keyPrefix());
          reply(
              ctx,
              200,
              Future.all(counts, nodes).map(v -> of(name, counts.result(), nodes.result())));
        });
  }

  private JsonObject of(String name, QueueCounts c, JsonArray nodes) {
    long capacity = 0;
    for (Object o : nodes) {
      JsonObject q = ((JsonObject) o).getJsonObject("queues", new JsonObject()).getJsonObject(name);
      if (q != null)
        capacity += (long) q.getInteger("instances", 0) * q.getInteger("concurrency", 0);
    }
    Sample s = sample(name, c);
    JsonObject j =
        new JsonObject()
            .put("queue", name)
            .put("due", c.due())
            .put("latencyMs", c.latencyMs())
            .put("running", c.active())
            .put("capacity", capacity)
            .put("enqueuedPerSec", round(s.in()))
            .put("completedPerSec", round(s.out()))
            .put("paused", c.paused());
    // no slot anywhere (scaled to zero): the autoscaler reads the due jobs, not a ratio
    if (capacity > 0) j.put("saturation", round((double) c.active() / capacity));
    return j;
  }

  private Sample sample(String name, QueueCounts c) {
    long now = System.currentTimeMillis();
    long enq = c.total("enqueued");
    long done = c.total("completed");
    return samples.compute(
        name,
        (k, prev) -> {
          if (prev == null || now - prev.at() < 1_000) {
            return prev == null ? new Sample(now, enq, done, 0, 0) : prev; // too soon: last rates
          }
          double secs = (now - prev.at()) / 1000.0;
          return new Sample(
              now, enq, done, (enq - prev.enqueued()) / secs, (done - prev.completed()) / secs);
        });
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
