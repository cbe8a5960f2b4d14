package io.vertiq.worker;

import io.vertiq.config.QueueOptions;
import io.vertiq.observe.Metrics;
import io.vertiq.redis.Keys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys, redeploys and undeploys each queue's group of worker verticles on the shared Redis
 * client, and remembers each group's deployment id. Operations on one queue run one after another.
 * A redeploy starts the new group before the old one stops, so fetching never pauses; the old group
 * then drains gracefully.
 */
public final class WorkerDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerDeployer.class);

  /** One deployed group: the options it runs with and its deployment id. */
  public record Group(
      QueueOptions options,
      String deploymentId,
      long deployedAt,
      int generation,
      List<WorkerVerticle> instances) {}

  private final Vertx vertx;
  private volatile Redis redis;
  private volatile RedisOptions blockingOptions;
  private final String prefix;
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final Map<String, Future<?>> tails = new LinkedHashMap<>();

  public WorkerDeployer(
      Vertx vertx,
      Redis redis,
      RedisOptions blockingOptions,
      String prefix,
      TracingPolicy tracingPolicy) {
    this.vertx = vertx;
    this.redis = redis;
    this.blockingOptions = blockingOptions;
    this.prefix = prefix;
    this.tracingPolicy = tracingPolicy;
  }

  /** How runs are traced when Vert.x has a tracer (see JobTracing). */
  private final TracingPolicy tracingPolicy;

  /**
   * Switches the client used by groups deployed from now on (the caller redeploys every group
   * after).
   */
  public void useRedis(Redis redis, RedisOptions blockingOptions) {
    this.redis = redis;
    this.blockingOptions = blockingOptions;
  }

  /**
   * Deploys every queue's group; if any fails, undeploys those that succeeded and fails naming the
   * queue.
   */
  public Future<Void> deployAll(Map<String, QueueOptions> queues) {
    List<Future<?>> all = new ArrayList<>();
    Map<String, Future<Group>> byQueue = new LinkedHashMap<>();
    queues.forEach(
        (name, q) -> {
          Future<Group> f = deploy(name, q);
          byQueue.put(name, f);
          all.add(f);
        });
    return Future.join(all)
        .transform(
            ar -> {
              if (ar.succeeded()) return Future.succeededFuture();
              StringBuilder why = new StringBuilder();
              byQueue.forEach(
                  (name, f) -> {
                    if (f.failed())
                      why.append(why.length() == 0 ? "" : "; ")
                          .append("queue ")
                          .append(name)
                          .append(": ")
                          .append(f.cause().getMessage());
                  });
              return undeployEvery()
                  .transform(
                      x ->
                          Future.failedFuture(
                              new IllegalStateException(
                                  "worker deployment failed, nothing left deployed: " + why)));
            });
  }

  /**
   * Set by {@link #undeployAll}: a deploy asked after it (a redeploy message arriving at a stop) is
   * refused.
   */
  private volatile boolean stopping;

  /** Deploys (or replaces) the group of one queue. */
  public Future<Group> deploy(String name, QueueOptions q) {
    // a group deployed while Vert.x closes would keep the stop waiting for it
    if (stopping)
      return Future.failedFuture(
          new IllegalStateException("the node is stopping: queue " + name + " not deployed"));
    return serialize(
        name,
        () -> {
          if (stopping)
            return Future.failedFuture(
                new IllegalStateException("the node is stopping: queue " + name + " not deployed"));
          Group old = groups.get(name);
          int generation = old == null ? 1 : old.generation() + 1;
          WorkerContext wc =
              new WorkerContext(
                  new WorkerStore(redis, new Keys(prefix, name)).limits(q.limits()),
                  blockingOptions,
                  tracingPolicy);
          DeploymentOptions opts =
              new DeploymentOptions().setInstances(q.instances()).setThreadingModel(threading(q));
          List<WorkerVerticle> instances = new CopyOnWriteArrayList<>();
          return vertx
              .deployVerticle(
                  () -> {
                    WorkerVerticle w = new WorkerVerticle(wc, q);
                    instances.add(w);
                    return w;
                  },
                  opts)
              .recover(
                  err ->
                      Future.failedFuture(
                          new IllegalStateException(
                              err.getMessage() == null ? err.toString() : err.getMessage(), err)))
              .compose(
                  id -> {
                    Group g = new Group(q, id, System.currentTimeMillis(), generation, instances);
                    Metrics.queueGauge(
                        "vertiq_worker_fetch_age_seconds",
                        name,
                        "Seconds since the least recent fetch loop of the queue's workers on this"
                            + " node heard Redis (a stuck loop grows it)",
                        () -> fetchAgeSeconds(name));
                    groups.put(name, g);
                    LOG.info(
                        "queue {}: deployed {} worker instance(s), concurrency {}, {} threading (generation {})",
                        name,
                        q.instances(),
                        q.concurrency(),
                        q.threading(),
                        generation);
                    if (old == null) return Future.succeededFuture(g);
                    // the new group already fetches; now the old one drains and releases what it
                    // could not finish
                    return vertx
                        .undeploy(old.deploymentId())
                        .otherwise(
                            err -> {
                              LOG.warn(
                                  "queue {}: undeploying the previous group failed: {}",
                                  name,
                                  err.getMessage());
                              return null;
                            })
                        .map(v -> g);
                  });
        });
  }

  /** Drains and removes a queue's group. */
  public Future<Void> undeploy(String name) {
    return serialize(
        name,
        () -> {
          Group g = groups.remove(name);
          if (g == null) return Future.succeededFuture();
          return vertx
              .undeploy(g.deploymentId())
              .onSuccess(v -> LOG.info("queue {}: worker group undeployed", name));
        });
  }

  /**
   * Drains and removes every group, for a stop: no group is deployed after it (see {@link
   * #deploy}).
   */
  public Future<Void> undeployAll() {
    stopping = true;
    return undeployEvery();
  }

  private Future<Void> undeployEvery() {
    List<Future<?>> all = new ArrayList<>();
    for (String name : new ArrayList<>(groups.keySet())) all.add(undeploy(name));
    for (Future<?> t : tails.values()) all.add(t);
    return Future.join(all).mapEmpty();
  }

  /** Longest wait for an instance's list of running jobs. */
  static final long RUNNING_WAIT_MS = 500;

  /**
   * Up to {@code limit} of the jobs this node's instances of a queue run now (id, name, attempt,
   * startedAt).
   */
  public Future<JsonArray> running(String name, int limit) {
    Group g = groups.get(name);
    if (g == null) return Future.succeededFuture(new JsonArray());
    List<Future<JsonArray>> each = new ArrayList<>();
    // an instance whose event loop is held up (a handler that blocks it) is left out rather than
    // delay the heartbeat
    for (WorkerVerticle w : g.instances()) {
      each.add(w.running(limit).timeout(RUNNING_WAIT_MS, TimeUnit.MILLISECONDS));
    }
    return Future.join(each)
        .transform(
            ar -> {
              JsonArray all = new JsonArray();
              for (Future<JsonArray> f : each) {
                if (f.succeeded())
                  f.result()
                      .forEach(
                          j -> {
                            if (all.size() < limit) all.add(j);
                          });
              }
              return Future.succeededFuture(all);
            });
  }

  public Map<String, Group> groups() {
    return Map.copyOf(groups);
  }

  private double fetchAgeSeconds(String name) {
    Group g = groups.get(name);
    if (g == null) return 0;
    long now = System.currentTimeMillis();
    long oldest = now;
    for (WorkerVerticle w : g.instances()) oldest = Math.min(oldest, w.heardAt());
    return (now - oldest) / 1000.0;
  }

  /**
   * How long a fetch loop may go without hearing Redis before it counts as stuck: its idle wait (5
   * s) and a command's timeout, with room for a slow machine.
   */
  public static final long FETCH_STALE_MS = FetchLoop.IDLE_WAIT_MS + 10_000;

  /**
   * Per queue, whether every instance's fetch loop is alive (see {@link WorkerVerticle#fetching})
   * and how long ago the least recent one heard Redis: {"queue": {"fetching": true, "heardMsAgo":
   * 1200}}.
   */
  public JsonObject fetchLoops() {
    long now = System.currentTimeMillis();
    JsonObject out = new JsonObject();
    groups.forEach(
        (name, g) -> {
          boolean all = true;
          long oldest = now;
          for (WorkerVerticle w : g.instances()) {
            all &= w.fetching(now, FETCH_STALE_MS);
            oldest = Math.min(oldest, w.heardAt());
          }
          out.put(name, new JsonObject().put("fetching", all).put("heardMsAgo", now - oldest));
        });
    return out;
  }

  public JsonObject describe(String name) {
    Group g = groups.get(name);
    if (g == null) return null;
    return new JsonObject()
        .put("instances", g.options().instances())
        .put("concurrency", g.options().concurrency())
        .put("threading", g.options().threading())
        .put("generation", g.generation())
        .put("deployedAt", g.deployedAt())
        .put("deploymentId", g.deploymentId());
  }

  private static ThreadingModel threading(QueueOptions q) {
    return switch (q.threading()) {
      case "worker" -> ThreadingModel.WORKER;
      case "virtual-thread" -> ThreadingModel.VIRTUAL_THREAD;
      default -> ThreadingModel.EVENT_LOOP;
    };
  }

  @SuppressWarnings("unchecked")
  private synchronized <T> Future<T> serialize(String name, Supplier<Future<T>> op) {
    Future<?> prev = tails.getOrDefault(name, Future.succeededFuture());
    Future<T> next = prev.transform(x -> op.get());
    tails.put(name, next);
    next.onComplete(
        x -> {
          synchronized (this) {
            if (tails.get(name) == next) tails.remove(name);
          }
        });
    return next;
  }
}
