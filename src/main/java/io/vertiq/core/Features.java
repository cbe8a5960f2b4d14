package io.vertiq.core;

import io.vertiq.Flow;
import io.vertiq.GroupLimits;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.redis.Keys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What the feature packages add to the API the engine serves: a queue's schedules (schedule), its
 * groups (limit), flows and batches (flow). The engine calls them through these small interfaces,
 * and the server wires the implementations in (see io.vertiq.server.Engines), so core imports no
 * feature.
 */
public record Features(
    BiFunction<Redis, Keys, Schedules> schedules,
    BiFunction<Redis, Keys, Groups> groups,
    Function<VertiqImpl, Flows> flows) {
  /** A queue's schedules in Redis. */
  public interface Schedules {
    Future<JsonObject> put(String name, JsonObject spec, String source);

    Future<Boolean> remove(String name);

    Future<JsonObject> setPaused(String name, boolean paused);

    Future<JsonArray> list();

    /**
     * The job a fire of the schedule enqueues (NOT_FOUND naming the schedule when there is none).
     */
    Future<NewJob> job(String name);
  }

  /** A queue's groups in Redis. */
  public interface Groups {
    Future<JsonObject> page(String cursor, int limit);

    Future<JsonObject> get(String name);

    Future<JsonObject> setPaused(String name, boolean paused);

    Future<JsonObject> setLimits(String name, GroupLimits limits);
  }

  /** Flows and batches, over every queue. */
  public interface Flows {
    Future<JsonObject> enqueue(Flow flow);

    Future<JsonObject> tree(String queue, String id);

    Future<JsonObject> openBatch(String queue, NewJob onSuccess, NewJob onComplete);

    Future<List<String>> addToBatch(
        String queue, String batchId, String jobsQueue, List<NewJob> jobs);

    Future<Void> closeBatch(String queue, String batchId);

    Future<JsonObject> batch(String queue, String batchId);
  }

  /** An engine with none of them: each of their calls fails naming what is missing. */
  public static final Features NONE =
      new Features(
          (r, k) -> {
            throw missing("schedules");
          },
          (r, k) -> {
            throw missing("groups");
          },
          v -> {
            throw missing("flows and batches");
          });

  private static VertiqException missing(String what) {
    return new VertiqException(
        VertiqException.Code.UNAVAILABLE, what + " are not wired into this engine");
  }
}
