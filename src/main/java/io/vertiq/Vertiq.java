package io.vertiq;

import io.vertiq.config.RedisConfig;
import io.vertiq.config.VertiqOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * Entry point of the Java API: queues on a Redis client. The client is the caller's (normally the
 * shared pool the bootstrap owns); Vertiq never closes it.
 *
 * <pre>
 * Vertiq vq = Vertiq.create(vertx, redis);
 * vq.queue("emails").enqueue(NewJob.of("welcome", new JsonObject().put("to", "a@b.c")).setDelayMs(5_000));
 * </pre>
 */
public interface Vertiq {
  /** Default key prefix ("vq") and payload limit (512 KiB). */
  static Vertiq create(Vertx vertx, Redis redis) {
    return create(vertx, redis, RedisConfig.DEFAULT_PREFIX, VertiqOptions.DEFAULT_MAX_PAYLOAD);
  }

  static Vertiq create(Vertx vertx, Redis redis, String keyPrefix, int maxPayloadBytes) {
    return VertiqProvider.get().create(vertx, redis, keyPrefix, maxPayloadBytes);
  }

  /**
   * Runs the service in an application's own Vert.x, as the fat jar runs it on a conf file: the
   * worker groups of {@code conf}'s queues, maintenance, the event-bus API, and the HTTP API when
   * {@code conf.http} enables it (the conf is validated the same way: an invalid one fails the
   * future, naming every bad field). Undeploy the returned id to stop it; running jobs drain first.
   */
  static Future<String> deploy(Vertx vertx, JsonObject conf) {
    return VertiqProvider.get().deploy(vertx, conf);
  }

  /**
   * The queue of that name; fails with INVALID_ARGUMENT for a name outside [A-Za-z0-9._:-]{1,128}.
   */
  JobQueue queue(String name);

  /** Every queue that was ever enqueued to or configured, sorted by name. */
  Future<List<String>> queueNames();

  /** Records queue names as known (the bootstrap does this for the configured queues). */
  Future<Void> register(List<String> names);

  String keyPrefix();

  /**
   * Enqueues a flow (see {@link Flow}): every job of the tree, each parent waiting for its
   * children. Answers the tree of ids, {"queue", "id", "children": [...]}. Every job is checked
   * before anything is written (INVALID_ARGUMENT naming the first problem); the jobs are then
   * written parent first, one call per parent and queue. Should a write fail midway (Redis
   * unreachable), the jobs written so far are deleted again, as far as Redis lets.
   */
  Future<JsonObject> enqueueFlow(Flow flow);

  /**
   * A flow as it stands, from one of its jobs down: {"queue", "id", "name", "state", "result" or
   * "error", "children": [...]}; NOT_FOUND when the job does not exist.
   */
  Future<JsonObject> flowTree(String queue, String id);

  /**
   * Opens a batch on {@code queue}: jobs added to it ({@link #addToBatch}) are tracked together;
   * once it is closed ({@link #closeBatch}) and every job has ended, {@code onComplete} is enqueued
   * (its {@link Job#childrenResults()} holds the counts), and {@code onSuccess} too when no job is
   * dead (else it is deleted). Either may be null. Each callback runs once, however many nodes end
   * the batch's last jobs at once. Answers {"queue", "id", "onSuccess", "onComplete"} (the
   * callbacks' ids: they wait, in state WAITING, on the batch's queue).
   */
  Future<JsonObject> openBatch(String queue, NewJob onSuccess, NewJob onComplete);

  /**
   * Adds jobs (on any queue) to an open batch; their ids. NOT_FOUND for no such batch, CONFLICT
   * once it is closed.
   */
  Future<List<String>> addToBatch(
      String queue, String batchId, String jobsQueue, List<NewJob> jobs);

  /** Closes a batch: it takes no more jobs, and ends once those it has have ended. */
  Future<Void> closeBatch(String queue, String batchId);

  /**
   * A batch's state: {"open", "done", "pending", "succeeded", "failed", "onSuccess", "onComplete"}.
   */
  Future<JsonObject> batch(String queue, String batchId);
}
