package io.vertiq.server;

import static io.vertiq.http.Node.cancelReply;
import static io.vertiq.http.Node.everyNode;
import static io.vertiq.http.Node.instances;
import static io.vertiq.http.Node.resultOf;
import static io.vertiq.http.Node.resultWait;

import io.vertiq.Flow;
import io.vertiq.GroupLimits;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.core.EnqueueRequest;
import io.vertiq.http.Node;
import io.vertiq.limit.GroupStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The actions of the control address (see {@link io.vertiq.Addresses#CONTROL}): every admin action
 * of the HTTP API, for event-bus callers, each answered with its result and "ok", or failed with a
 * named code.
 */
final class ControlActions {
  private final Node node;

  ControlActions(Node node) {
    this.node = node;
  }

  /** A page size from an event-bus request, or INVALID_ARGUMENT naming the field. */
  private static int pageLimit(Object v) {
    int max = GroupStore.MAX_PAGE;
    if (v instanceof Number n
        && n.doubleValue() == n.intValue()
        && n.intValue() >= 1
        && n.intValue() <= max) return n.intValue();
    throw VertiqException.invalid("limit: expected an integer from 1 to " + max + ", got " + v);
  }

  private static final String ACTIONS =
      "pause, resume, redeploy, scale, stats, schedules, schedule, unschedule,"
          + " pauseSchedule, resumeSchedule, triggerSchedule, groups, group, pauseGroup, resumeGroup, setGroupLimits, clearGroupLimits, promote, setPriority, setRunAt, cancel, result, history, flow, flowTree, openBatch, addToBatch, closeBatch, batch, signal or nodes";

  /**
   * A job given in an event-bus request's field (null when absent), or INVALID_ARGUMENT naming the
   * field.
   */
  private static NewJob job(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof JsonObject))
      throw VertiqException.invalid(field + ": expected a job object");
    return EnqueueRequest.parse(v, field).jobs().get(0);
  }

  /** The "jobs" array of an event-bus request. */
  private static List<NewJob> jobs(JsonObject body) {
    if (!(body.getValue("jobs") instanceof JsonArray a))
      throw VertiqException.invalid("jobs: expected an array of jobs");
    return EnqueueRequest.parse(a, "jobs").jobs();
  }

  /**
   * A flow from an event-bus request ("flow": as POST /flows takes it), its queues checked against
   * the conf.
   */
  private Future<JsonObject> enqueueFlow(Object v) {
    Flow flow;
    try {
      flow = Flow.parse(v, "flow", null); // any queue name, as on every route
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    }
    return node.engine().enqueueFlow(flow).map(t -> t.put("ok", true));
  }

  /** The control address's actions (see {@link io.vertiq.Addresses#CONTROL}). */
  Future<JsonObject> apply(JsonObject body) {
    String action = body.getString("action");
    String queue = body.getString("queue");
    if (action == null)
      return Future.failedFuture(VertiqException.invalid("action: expected " + ACTIONS));
    if (action.equals("nodes"))
      return node.nodes().map(n -> n.put("ok", true)); // not about one queue
    if (action.equals("flow")) return enqueueFlow(body.getValue("flow")); // its queues are in it
    JobQueue q = node.vertiq().queue(queue);
    return switch (action) {
      case "pause" ->
          q.pause()
              .map(v -> new JsonObject().put("ok", true).put("queue", queue).put("paused", true));
      case "resume" ->
          q.resume()
              .map(v -> new JsonObject().put("ok", true).put("queue", queue).put("paused", false));
      case "redeploy" ->
          everyNode(body.getValue("nodes"), "nodes")
              ? node.onEveryNode(queue, null)
              : node.redeploy(queue)
                  .map(d -> new JsonObject().put("ok", true).put("queue", queue).put("workers", d));
      case "scale" -> {
        int n = instances(body.getValue("instances"), "instances");
        yield everyNode(body.getValue("nodes"), "nodes")
            ? node.onEveryNode(queue, n)
            : node.scale(queue, n)
                .map(d -> new JsonObject().put("ok", true).put("queue", queue).put("workers", d));
      }
      case "stats" ->
          q.counts()
              .map(c -> c.toJson().put("ok", true).put("workers", node.deployer().describe(queue)));
      case "schedules" ->
          q.schedules()
              .map(
                  all ->
                      new JsonObject().put("ok", true).put("queue", queue).put("schedules", all));
      case "schedule" ->
          body.getValue("spec") instanceof JsonObject spec
              ? q.schedule(body.getString("name"), spec).map(s -> s.put("ok", true))
              : Future.failedFuture(VertiqException.invalid("spec: expected the schedule object"));
      case "unschedule" ->
          q.unschedule(body.getString("name")).map(found -> new JsonObject().put("ok", found));
      case "pauseSchedule", "resumeSchedule" ->
          q.pauseSchedule(body.getString("name"), action.equals("pauseSchedule"))
              .map(s -> s.put("ok", true));
      case "triggerSchedule" ->
          q.triggerSchedule(body.getString("name")).map(r -> r.toJson().put("ok", true));
      case "history" ->
          body.getValue("minutes", 60) instanceof Integer m
              ? q.history(m).map(h -> h.put("ok", true))
              : Future.failedFuture(
                  VertiqException.invalid(
                      "minutes: expected an integer from 1 to " + JobQueue.HISTORY_MINUTES));
      case "flowTree" ->
          node.engine().flowTree(queue, body.getString("id")).map(t -> t.put("ok", true));
      case "openBatch" ->
          node.engine()
              .openBatch(queue, job(body, "onSuccess"), job(body, "onComplete"))
              .map(b -> b.put("ok", true));
      case "addToBatch" ->
          node.engine()
              .addToBatch(
                  queue, body.getString("id"), body.getString("jobsQueue", queue), jobs(body))
              .map(
                  ids ->
                      new JsonObject()
                          .put("ok", true)
                          .put("ids", new JsonArray(new ArrayList<>(ids))));
      case "closeBatch" ->
          node.engine()
              .closeBatch(queue, body.getString("id"))
              .compose(v -> node.engine().batch(queue, body.getString("id")))
              .map(b -> b.put("ok", true));
      case "batch" -> node.engine().batch(queue, body.getString("id")).map(b -> b.put("ok", true));
      case "signal" ->
          q.signal(body.getString("id"), body.getString("signal"), body.getValue("data"))
              .map(o -> new JsonObject().put("ok", true).put("outcome", o));
      case "cancel" ->
          q.cancel(body.getString("id"))
              .map(s -> cancelReply(body.getString("id"), s).put("ok", true));
      case "result" ->
          q.awaitResult(body.getString("id"), resultWait(body.getValue("timeout"), "timeout"))
              .map(j -> resultOf(j).put("ok", true));
      case "promote" ->
          q.promote(body.getString("id"))
              .map(s -> new JsonObject().put("ok", true).put("state", s.id()));
      case "setPriority" ->
          body.getValue("priority") instanceof Integer p
              ? q.setPriority(body.getString("id"), p)
                  .map(s -> new JsonObject().put("ok", true).put("state", s.id()))
              : Future.failedFuture(VertiqException.invalid("priority: expected an integer"));
      case "setRunAt" ->
          body.getValue("runAt") instanceof Number t
              ? q.setRunAt(body.getString("id"), t.longValue())
                  .map(s -> new JsonObject().put("ok", true).put("state", s.id()))
              : Future.failedFuture(VertiqException.invalid("runAt: expected epoch milliseconds"));
      case "groups" ->
          q.groups(
                  String.valueOf(body.getValue("cursor", "0")),
                  pageLimit(body.getValue("limit", 100)))
              .map(p -> p.put("ok", true));
      case "group" -> q.group(body.getString("group")).map(g -> g.put("ok", true));
      case "pauseGroup", "resumeGroup" ->
          q.pauseGroup(body.getString("group"), action.equals("pauseGroup"))
              .map(g -> g.put("ok", true));
      case "setGroupLimits" ->
          q.setGroupLimits(
                  body.getString("group"),
                  GroupLimits.fromJson(body.getJsonObject("limits"), "limits"))
              .map(g -> g.put("ok", true));
      case "clearGroupLimits" ->
          q.clearGroupLimits(body.getString("group")).map(g -> g.put("ok", true));
      default ->
          Future.failedFuture(
              VertiqException.invalid(
                  "action: unknown action \"" + action + "\" (expected " + ACTIONS + ")"));
    };
  }
}
