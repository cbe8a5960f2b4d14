package io.vertiq.http;

import io.vertiq.Flow;
import io.vertiq.Job;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.config.Durations;
import io.vertiq.core.EnqueueRequest;
import io.vertiq.limit.GroupStore;
import io.vertiq.redis.Keys;

import io.vertiq.observe.Nodes;

import io.vertiq.JobQueue;
import io.vertiq.Vertiq;
import io.vertiq.VertiqException;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.VertiqOptions;
import io.vertiq.core.VertiqImpl;
import io.vertiq.worker.WorkerDeployer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;

/**
 * What the HTTP API and the control address need of a running node: the queues, the worker groups, the
 * conf in force and the outcome of the last reload. Owned and updated by the {@link Bootstrap}.
 */
public final class Node {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Node.class);
  private volatile VertiqOptions options;
  private volatile VertiqImpl vertiq;
  private volatile Redis redis;
  private final WorkerDeployer deployer;
  private volatile JsonObject lastReload = new JsonObject().put("status", "none");
  private final long startedAt = System.currentTimeMillis();

  private final ServedQueues served;

  public Node(VertiqOptions options, VertiqImpl vertiq, Redis redis, WorkerDeployer deployer) {
    this.options = options;
    this.vertiq = vertiq;
    this.redis = redis;
    this.deployer = deployer;
    this.served = new ServedQueues(() -> this.redis, options.redis().keyPrefix(), deployer);
  }

  /**
   * Whether a live node runs workers for every one of these queues (see {@link ServedQueues}): the answers of
   * writes carry it as "served", so a producer hears that its jobs wait for a worker.
   */
  public Future<Boolean> served(java.util.Collection<String> queues) {
    return served.served(queues);
  }

  public VertiqOptions options() { return options; }
  public Vertiq vertiq() { return vertiq; }
  /** The engine behind {@link #vertiq()}, for what the public API does not offer (counts with a rate window). */
  public VertiqImpl engine() { return vertiq; }
  public Redis redis() { return redis; }
  public WorkerDeployer deployer() { return deployer; }
  public JsonObject lastReload() { return lastReload; }
  public long startedAt() { return startedAt; }
  private volatile String registryId;
  /** This node's id in the node registry (null before it is listed). */
  public String id() { return registryId; }
  public void setRegistryId(String id) { this.registryId = id; }

  /** Every live node on this conf's Redis and prefix, this one included (see {@link NodeRegistry}). */
  public Future<JsonObject> nodes() {
    return Nodes.list(redis, options.redis().keyPrefix())
        .map(all -> new JsonObject().put("nodes", all).put("self", registryId));
  }

  public void setOptions(VertiqOptions options) { this.options = options; }
  public void setClient(Redis redis, VertiqImpl vertiq) { this.redis = redis; this.vertiq = vertiq; }

  public void reloadAccepted(JsonArray changes) {
    lastReload = new JsonObject().put("status", "accepted").put("at", System.currentTimeMillis()).put("changes", changes);
  }

  public void reloadRejected(java.util.List<String> errors) {
    lastReload = new JsonObject().put("status", "rejected").put("at", System.currentTimeMillis())
        .put("errors", new JsonArray(errors));
  }

  /** Redeploys one queue's workers with its current options (new group first, then the old one drains). */
  public Future<JsonObject> redeploy(String queue) {
    return withOptions(queue, q -> q);
  }


  /** An instance count from a request (HTTP or event bus), or INVALID_ARGUMENT naming {@code path}. */
  public static int instances(Object v, String path) {
    if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 1 && n.longValue() <= QueueOptions.MAX_INSTANCES) {
      return n.intValue();
    }
    throw VertiqException.invalid(path + ": expected an integer from 1 to " + QueueOptions.MAX_INSTANCES + ", got " + v);
  }

  /** A page size from an event-bus request, or INVALID_ARGUMENT naming the field. */
  private static int pageLimit(Object v) {
    int max = GroupStore.MAX_PAGE;
    if (v instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= 1 && n.intValue() <= max) return n.intValue();
    throw VertiqException.invalid("limit: expected an integer from 1 to " + max + ", got " + v);
  }

  /** Changes a queue's instance count on this node, with the same graceful swap as a redeploy. */
  public Future<JsonObject> scale(String queue, int instances) {
    if (instances < 1 || instances > QueueOptions.MAX_INSTANCES) {
      return Future.failedFuture(VertiqException.invalid("instances: expected 1 to " + QueueOptions.MAX_INSTANCES + ", got " + instances));
    }
    return withOptions(queue, q -> new QueueOptions(q.toJson()).setInstances(instances));
  }

  /** Whether an admin action targets every node ("all") or this one ("this", the default), or INVALID_ARGUMENT. */
  public static boolean everyNode(Object v, String path) {
    if (v == null || "this".equals(v)) return false;
    if ("all".equals(v)) return true;
    throw VertiqException.invalid(path + ": expected \"this\" or \"all\", got " + v);
  }

  /**
   * Asks every node on this Redis and prefix (this one too) to scale ({@code instances}) or redeploy ({@code instances}
   * null) a queue: one message on the control channel, which every node's subscription hears (see SignalListener)
   * and applies if it runs the queue. Answers how many nodes heard it; each node's result shows in GET /nodes.
   */
  public Future<JsonObject> onEveryNode(String queue, Integer instances) {
    if (queue == null || !VertiqOptions.QUEUE_NAME.matcher(queue).matches()) {
      return Future.failedFuture(VertiqException.invalid("queue: expected a queue name, got " + queue));
    }
    String action = instances == null ? "redeploy" : "scale";
    JsonObject msg = new JsonObject().put("action", action).put("queue", queue);
    if (instances != null) msg.put("instances", instances);
    return redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PUBLISH)
            .arg(Keys.controlChannel(options.redis().keyPrefix())).arg(msg.encode()))
        .map(n -> msg.put("ok", true).put("nodes", n.toInteger()));
  }

  /** An admin action another node (or this one) asked of every node: applied when this node runs the queue. */
  public void applyFromEveryNode(String text) {
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (RuntimeException e) {
      LOG.warn("control message not understood, ignored: {}", e.getMessage());
      return;
    }
    String queue = msg.getString("queue");
    if (queue == null || !deployer.groups().containsKey(queue)) return; // not a queue this node runs
    Future<JsonObject> done = "scale".equals(msg.getString("action")) && msg.getValue("instances") instanceof Integer n
        ? scale(queue, n) : "redeploy".equals(msg.getString("action")) ? redeploy(queue) : null;
    if (done == null) {
      LOG.warn("control message for queue {} not understood, ignored: {}", queue, msg.encode());
      return;
    }
    done.onSuccess(d -> LOG.info("queue {}: {} asked of every node, done here: {}", queue, msg.getString("action"), d.encode()))
        .onFailure(err -> LOG.warn("queue {}: {} asked of every node failed here: {}", queue, msg.getString("action"), err.getMessage()));
  }

  /** Redeploys a queue's group with options derived from those it runs with now. */
  private Future<JsonObject> withOptions(String queue, java.util.function.UnaryOperator<QueueOptions> change) {
    WorkerDeployer.Group g = deployer.groups().get(queue);
    if (g == null) return Future.failedFuture(VertiqException.notFound("queue " + queue + " has no worker group on this node"));
    return deployer.deploy(queue, change.apply(g.options())).map(x -> deployer.describe(queue));
  }

  private static final String ACTIONS = "pause, resume, redeploy, scale, stats, schedules, schedule, unschedule,"
      + " pauseSchedule, resumeSchedule, triggerSchedule, groups, group, pauseGroup, resumeGroup, promote, setPriority, setRunAt, cancel, result, history, flow, flowTree, openBatch, addToBatch, closeBatch, batch or nodes";

  /**
   * Longest wait for a job's result one request may ask for (HTTP long-poll, event bus): under the HTTP server's idle
   * timeout (30 s), which would close a silent long-poll's connection first.
   */
  public static final long MAX_RESULT_WAIT_MS = 25_000;

  /** A result wait's "timeout" (ms, or a duration such as "10s"; 0 answers at once), checked against its bound. */
  public static long resultWait(Object v, String where) {
    if (v == null) return 0;
    Long ms = v instanceof String s && s.matches("\\d{1,9}") ? Long.valueOf(s) : Durations.parseMillis(v);
    if (ms == null || ms < 0 || ms > MAX_RESULT_WAIT_MS) {
      throw VertiqException.invalid(where + ": expected 0 to " + MAX_RESULT_WAIT_MS + " ms (a number, or a duration such as \"10s\"), got " + v);
    }
    return ms;
  }

  /** A job as a result wait answers: the job, and whether it has finished (completed or dead). */
  public static JsonObject resultOf(Job job) {
    return job.toJson().put("finished", job.state().finished());
  }

  /**
   * What a cancel answers (HTTP and event bus): the state the job was in, and what became of it: a waiting job is
   * deleted, a running one's handler is told and its run ends as cancelled ("stopping").
   */
  public static JsonObject cancelReply(String id, JobState was) {
    return new JsonObject().put("id", id).put("previousState", was.id())
        .put("outcome", was == JobState.ACTIVE ? "stopping" : "deleted");
  }

  /** A job given in an event-bus request's field (null when absent), or INVALID_ARGUMENT naming the field. */
  private static NewJob job(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof JsonObject)) throw VertiqException.invalid(field + ": expected a job object");
    return EnqueueRequest.parse(v, field).jobs().get(0);
  }

  /** The "jobs" array of an event-bus request. */
  private static java.util.List<NewJob> jobs(JsonObject body) {
    if (!(body.getValue("jobs") instanceof io.vertx.core.json.JsonArray a)) throw VertiqException.invalid("jobs: expected an array of jobs");
    return EnqueueRequest.parse(a, "jobs").jobs();
  }

  /** A flow from an event-bus request ("flow": as POST /flows takes it), its queues checked against the conf. */
  private Future<JsonObject> enqueueFlow(Object v) {
    Flow flow;
    try {
      flow = Flow.parse(v, "flow", null); // any queue name, as on every route
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    }
    return vertiq.enqueueFlow(flow).map(t -> t.put("ok", true));
  }

  /** The control address's actions (see {@link io.vertiq.Addresses#CONTROL}). */
  public Future<JsonObject> control(JsonObject body) {
    String action = body.getString("action");
    String queue = body.getString("queue");
    if (action == null) return Future.failedFuture(VertiqException.invalid("action: expected " + ACTIONS));
    if (action.equals("nodes")) return nodes().map(n -> n.put("ok", true)); // not about one queue
    if (action.equals("flow")) return enqueueFlow(body.getValue("flow")); // its queues are in it
    JobQueue q = vertiq.queue(queue);
    return switch (action) {
      case "pause" -> q.pause().map(v -> new JsonObject().put("ok", true).put("queue", queue).put("paused", true));
      case "resume" -> q.resume().map(v -> new JsonObject().put("ok", true).put("queue", queue).put("paused", false));
      case "redeploy" -> everyNode(body.getValue("nodes"), "nodes") ? onEveryNode(queue, null)
          : redeploy(queue).map(d -> new JsonObject().put("ok", true).put("queue", queue).put("workers", d));
      case "scale" -> {
        int n = instances(body.getValue("instances"), "instances");
        yield everyNode(body.getValue("nodes"), "nodes") ? onEveryNode(queue, n)
            : scale(queue, n).map(d -> new JsonObject().put("ok", true).put("queue", queue).put("workers", d));
      }
      case "stats" -> q.counts().map(c -> c.toJson().put("ok", true).put("workers", deployer.describe(queue)));
      case "schedules" -> q.schedules().map(all -> new JsonObject().put("ok", true).put("queue", queue).put("schedules", all));
      case "schedule" -> body.getValue("spec") instanceof JsonObject spec
          ? q.schedule(body.getString("name"), spec).map(s -> s.put("ok", true))
          : Future.failedFuture(VertiqException.invalid("spec: expected the schedule object"));
      case "unschedule" -> q.unschedule(body.getString("name")).map(found -> new JsonObject().put("ok", found));
      case "pauseSchedule", "resumeSchedule" ->
          q.pauseSchedule(body.getString("name"), action.equals("pauseSchedule")).map(s -> s.put("ok", true));
      case "triggerSchedule" -> q.triggerSchedule(body.getString("name")).map(r -> r.toJson().put("ok", true));
      case "history" -> body.getValue("minutes", 60) instanceof Integer m
          ? q.history(m).map(h -> h.put("ok", true))
          : Future.failedFuture(VertiqException.invalid("minutes: expected an integer from 1 to " + JobQueue.HISTORY_MINUTES));
      case "flowTree" -> vertiq.flowTree(queue, body.getString("id")).map(t -> t.put("ok", true));
      case "openBatch" -> vertiq.openBatch(queue, job(body, "onSuccess"), job(body, "onComplete")).map(b -> b.put("ok", true));
      case "addToBatch" -> vertiq.addToBatch(queue, body.getString("id"), body.getString("jobsQueue", queue), jobs(body))
          .map(ids -> new JsonObject().put("ok", true).put("ids", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(ids))));
      case "closeBatch" -> vertiq.closeBatch(queue, body.getString("id")).compose(v -> vertiq.batch(queue, body.getString("id")))
          .map(b -> b.put("ok", true));
      case "batch" -> vertiq.batch(queue, body.getString("id")).map(b -> b.put("ok", true));
      case "cancel" -> q.cancel(body.getString("id")).map(s -> cancelReply(body.getString("id"), s).put("ok", true));
      case "result" -> q.awaitResult(body.getString("id"), resultWait(body.getValue("timeout"), "timeout"))
          .map(j -> resultOf(j).put("ok", true));
      case "promote" -> q.promote(body.getString("id")).map(s -> new JsonObject().put("ok", true).put("state", s.id()));
      case "setPriority" -> body.getValue("priority") instanceof Integer p
          ? q.setPriority(body.getString("id"), p).map(s -> new JsonObject().put("ok", true).put("state", s.id()))
          : Future.failedFuture(VertiqException.invalid("priority: expected an integer"));
      case "setRunAt" -> body.getValue("runAt") instanceof Number t
          ? q.setRunAt(body.getString("id"), t.longValue()).map(s -> new JsonObject().put("ok", true).put("state", s.id()))
          : Future.failedFuture(VertiqException.invalid("runAt: expected epoch milliseconds"));
      case "groups" -> q.groups(String.valueOf(body.getValue("cursor", "0")), pageLimit(body.getValue("limit", 100)))
          .map(p -> p.put("ok", true));
      case "group" -> q.group(body.getString("group")).map(g -> g.put("ok", true));
      case "pauseGroup", "resumeGroup" ->
          q.pauseGroup(body.getString("group"), action.equals("pauseGroup")).map(g -> g.put("ok", true));
      default -> Future.failedFuture(VertiqException.invalid("action: unknown action \"" + action + "\" (expected "
          + ACTIONS + ")"));
    };
  }
}
