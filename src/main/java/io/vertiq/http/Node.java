package io.vertiq.http;

import io.vertiq.Job;
import io.vertiq.JobState;
import io.vertiq.Vertiq;
import io.vertiq.VertiqException;
import io.vertiq.config.Durations;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.VertiqOptions;
import io.vertiq.core.VertiqImpl;
import io.vertiq.observe.Nodes;
import io.vertiq.redis.Keys;
import io.vertiq.worker.WorkerDeployer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP API and the control address need of a running node: the queues, the worker groups,
 * the conf in force and the outcome of the last reload. Owned and updated by the {@link Bootstrap}.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private volatile VertiqOptions options;
  private volatile VertiqImpl vertiq;
  private volatile Redis redis;
  private final WorkerDeployer deployer;
  private volatile JsonObject lastReload = new JsonObject().put("status", "none");
  private final long startedAt = System.currentTimeMillis();

  private final ServedQueues served;

  /** Redis's memory against the high-water mark, as the node's memory watch reads it. */
  private volatile Supplier<JsonObject> memory =
      () -> new JsonObject().put("watch", "off: not started");

  public Node(VertiqOptions options, VertiqImpl vertiq, Redis redis, WorkerDeployer deployer) {
    this.options = options;
    this.vertiq = vertiq;
    this.redis = redis;
    this.deployer = deployer;
    this.served = new ServedQueues(() -> this.redis, options.redis().keyPrefix(), deployer);
  }

  /**
   * Whether a live node runs workers for every one of these queues (see {@link ServedQueues}): the
   * answers of writes carry it as "served", so a producer hears that its jobs wait for a worker.
   */
  public Future<Boolean> served(Collection<String> queues) {
    return served.served(queues);
  }

  public VertiqOptions options() {
    return options;
  }

  public Vertiq vertiq() {
    return vertiq;
  }

  /**
   * The engine behind {@link #vertiq()}, for what the public API does not offer (counts with a rate
   * window).
   */
  public VertiqImpl engine() {
    return vertiq;
  }

  public Redis redis() {
    return redis;
  }

  /** Sets where /ready reads Redis's memory against the high-water mark from. */
  public void memory(Supplier<JsonObject> status) {
    this.memory = status;
  }

  public JsonObject memory() {
    return memory.get();
  }

  public WorkerDeployer deployer() {
    return deployer;
  }

  public JsonObject lastReload() {
    return lastReload;
  }

  public long startedAt() {
    return startedAt;
  }

  private volatile String registryId;

  /** This node's id in the node registry (null before it is listed). */
  public String id() {
    return registryId;
  }

  public void setRegistryId(String id) {
    this.registryId = id;
  }

  /**
   * Every live node on this conf's Redis and prefix, this one included (see {@link NodeRegistry}).
   */
  public Future<JsonObject> nodes() {
    return Nodes.list(redis, options.redis().keyPrefix())
        .map(all -> new JsonObject().put("nodes", all).put("self", registryId));
  }

  public void setOptions(VertiqOptions options) {
    this.options = options;
  }

  public void setClient(Redis redis, VertiqImpl vertiq) {
    this.redis = redis;
    this.vertiq = vertiq;
  }

  public void reloadAccepted(JsonArray changes) {
    lastReload =
        new JsonObject()
            .put("status", "accepted")
            .put("at", System.currentTimeMillis())
            .put("changes", changes);
  }

  public void reloadRejected(List<String> errors) {
    lastReload =
        new JsonObject()
            .put("status", "rejected")
            .put("at", System.currentTimeMillis())
            .put("errors", new JsonArray(errors));
  }

  /**
   * Redeploys one queue's workers with its current options (new group first, then the old one
   * drains).
   */
  public Future<JsonObject> redeploy(String queue) {
    return withOptions(queue, q -> q);
  }

  /**
   * An instance count from a request (HTTP or event bus), or INVALID_ARGUMENT naming {@code path}.
   */
  public static int instances(Object v, String path) {
    if (v instanceof Number n
        && n.doubleValue() == n.longValue()
        && n.longValue() >= 1
        && n.longValue() <= QueueOptions.MAX_INSTANCES) {
      return n.intValue();
    }
    throw VertiqException.invalid(
        path + ": expected an integer from 1 to " + QueueOptions.MAX_INSTANCES + ", got " + v);
  }

  /** Changes a queue's instance count on this node, with the same graceful swap as a redeploy. */
  public Future<JsonObject> scale(String queue, int instances) {
    if (instances < 1 || instances > QueueOptions.MAX_INSTANCES) {
      return Future.failedFuture(
          VertiqException.invalid(
              "instances: expected 1 to " + QueueOptions.MAX_INSTANCES + ", got " + instances));
    }
    return withOptions(queue, q -> new QueueOptions(q.toJson()).setInstances(instances));
  }

  /**
   * Whether an admin action targets every node ("all") or this one ("this", the default), or
   * INVALID_ARGUMENT.
   */
  public static boolean everyNode(Object v, String path) {
    if (v == null || "this".equals(v)) return false;
    if ("all".equals(v)) return true;
    throw VertiqException.invalid(path + ": expected \"this\" or \"all\", got " + v);
  }

  /**
   * Asks every node on this Redis and prefix (this one too) to scale ({@code instances}) or
   * redeploy ({@code instances} null) a queue: one message on the control channel, which every
   * node's subscription hears (see SignalListener) and applies if it runs the queue. Answers how
   * many nodes heard it; each node's result shows in GET /nodes.
   */
  public Future<JsonObject> onEveryNode(String queue, Integer instances) {
    if (queue == null || !VertiqOptions.QUEUE_NAME.matcher(queue).matches()) {
      return Future.failedFuture(
          VertiqException.invalid("queue: expected a queue name, got " + queue));
    }
    String action = instances == null ? "redeploy" : "scale";
    JsonObject msg = new JsonObject().put("action", action).put("queue", queue);
    if (instances != null) msg.put("instances", instances);
    return redis
        .send(
            Request.cmd(Command.PUBLISH)
                .arg(Keys.controlChannel(options.redis().keyPrefix()))
                .arg(msg.encode()))
        .map(n -> msg.put("ok", true).put("nodes", n.toInteger()));
  }

  /**
   * An admin action another node (or this one) asked of every node: applied when this node runs the
   * queue.
   */
  public void applyFromEveryNode(String text) {
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (RuntimeException e) {
      LOG.warn("control message not understood, ignored: {}", e.getMessage());
      return;
    }
    String queue = msg.getString("queue");
    if (queue == null || !deployer.groups().containsKey(queue))
      return; // not a queue this node runs
    Future<JsonObject> done =
        "scale".equals(msg.getString("action")) && msg.getValue("instances") instanceof Integer n
            ? scale(queue, n)
            : "redeploy".equals(msg.getString("action")) ? redeploy(queue) : null;
    if (done == null) {
      LOG.warn("control message for queue {} not understood, ignored: {}", queue, msg.encode());
      return;
    }
    done.onSuccess(
            d ->
                LOG.info(
                    "queue {}: {} asked of every node, done here: {}",
                    queue,
                    msg.getString("action"),
                    d.encode()))
        .onFailure(
            err ->
                LOG.warn(
                    "queue {}: {} asked of every node failed here: {}",
                    queue,
                    msg.getString("action"),
                    err.getMessage()));
  }

  /** Redeploys a queue's group with options derived from those it runs with now. */
  private Future<JsonObject> withOptions(String queue, UnaryOperator<QueueOptions> change) {
    WorkerDeployer.Group g = deployer.groups().get(queue);
    if (g == null)
      return Future.failedFuture(
          VertiqException.notFound("queue " + queue + " has no worker group on this node"));
    return deployer.deploy(queue, change.apply(g.options())).map(x -> deployer.describe(queue));
  }

  /**
   * Longest wait for a job's result one request may ask for (HTTP long-poll, event bus): under the
   * HTTP server's idle timeout (30 s), which would close a silent long-poll's connection first.
   */
  public static final long MAX_RESULT_WAIT_MS = 25_000;

  /**
   * A result wait's "timeout" (ms, or a duration such as "10s"; 0 answers at once), checked against
   * its bound.
   */
  public static long resultWait(Object v, String where) {
    if (v == null) return 0;
    Long ms =
        v instanceof String s && s.matches("\\d{1,9}") ? Long.valueOf(s) : Durations.parseMillis(v);
    if (ms == null || ms < 0 || ms > MAX_RESULT_WAIT_MS) {
      throw VertiqException.invalid(
          where
              + ": expected 0 to "
              + MAX_RESULT_WAIT_MS
              + " ms (a number, or a duration such as \"10s\"), got "
              + v);
    }
    return ms;
  }

  /** A job as a result wait answers: the job, and whether it has finished (completed or dead). */
  public static JsonObject resultOf(Job job) {
    return job.toJson().put("finished", job.state().finished());
  }

  /**
   * What a cancel answers (HTTP and event bus): the state the job was in, and what became of it: a
   * waiting job is deleted, a running one's handler is told and its run ends as cancelled
   * ("stopping").
   */
  public static JsonObject cancelReply(String id, JobState was) {
    return new JsonObject()
        .put("id", id)
        .put("previousState", was.id())
        .put("outcome", was == JobState.ACTIVE ? "stopping" : "deleted");
  }
}
