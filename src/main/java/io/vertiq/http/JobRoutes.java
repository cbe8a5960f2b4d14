package io.vertiq.http;

import static io.vertiq.http.Operations.on;
import static io.vertiq.http.Requests.json;
import static io.vertiq.http.Requests.reply;

import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * The REST API over one job (see openapi.yaml): read, delete, promote, change, signal, cancel, and
 * the long-poll for its result.
 */
final class JobRoutes {
  private final Node node;

  JobRoutes(Node node) {
    this.node = node;
  }

  void mount(RouterBuilder r) {
    on(
        r,
        "getJob",
        ctx -> reply(ctx, 200, queue(ctx).get(ctx.pathParam("id")).map(j -> j.toJson())));
    on(
        r,
        "deleteJob",
        ctx ->
            reply(
                ctx,
                200,
                queue(ctx)
                    .remove(ctx.pathParam("id"))
                    .compose(
                        found ->
                            found
                                ? Future.succeededFuture(
                                    new JsonObject()
                                        .put("deleted", true)
                                        .put("id", ctx.pathParam("id")))
                                : Future.failedFuture(
                                    VertiqException.notFound(
                                        "job "
                                            + ctx.pathParam("id")
                                            + " not found in queue "
                                            + ctx.pathParam("queue"))))));
    on(
        r,
        "promoteJob",
        ctx -> reply(ctx, 200, stateOf(ctx, queue(ctx).promote(ctx.pathParam("id")))));
    on(r, "changeJob", this::changeJob);
    on(
        r,
        "signalJob",
        ctx ->
            reply(
                ctx,
                200,
                queue(ctx)
                    .signal(ctx.pathParam("id"), ctx.pathParam("signal"), json(ctx))
                    .map(
                        outcome ->
                            new JsonObject()
                                .put("id", ctx.pathParam("id"))
                                .put("signal", ctx.pathParam("signal"))
                                .put("outcome", outcome))));
    on(
        r,
        "cancelJob",
        ctx ->
            reply(
                ctx,
                200,
                queue(ctx)
                    .cancel(ctx.pathParam("id"))
                    .map(was -> Node.cancelReply(ctx.pathParam("id"), was))));
    // a long-poll: answers as the job finishes, or at the timeout with the job as it is then
    // ("finished": false)
    on(
        r,
        "awaitJobResult",
        ctx -> {
          long wait = Node.resultWait(ctx.queryParams().get("timeout"), "query parameter timeout");
          reply(ctx, 200, queue(ctx).awaitResult(ctx.pathParam("id"), wait).map(Node::resultOf));
        });
  }

  /** PATCH of a waiting job: exactly one of "priority" and "runAt". */
  private void changeJob(RoutingContext ctx) {
    JobQueue q = queue(ctx);
    Object body = json(ctx);
    if (!(body instanceof JsonObject change)
        || change.size() != 1
        || !(change.containsKey("priority") || change.containsKey("runAt"))) {
      throw VertiqException.invalid("body: expected {\"priority\": n} or {\"runAt\": epoch ms}");
    }
    String id = ctx.pathParam("id");
    Object v = change.getValue(change.containsKey("priority") ? "priority" : "runAt");
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue()) {
      throw VertiqException.invalid(
          "body." + change.fieldNames().iterator().next() + ": expected an integer, got " + v);
    }
    if (change.containsKey("priority")) {
      if (n.longValue() < NewJob.MIN_PRIORITY || n.longValue() > NewJob.MAX_PRIORITY) {
        throw VertiqException.invalid(
            "body.priority: expected "
                + NewJob.MIN_PRIORITY
                + " to "
                + NewJob.MAX_PRIORITY
                + ", got "
                + v);
      }
      reply(ctx, 200, stateOf(ctx, q.setPriority(id, n.intValue())));
    } else {
      reply(ctx, 200, stateOf(ctx, q.setRunAt(id, n.longValue())));
    }
  }

  private static Future<JsonObject> stateOf(RoutingContext ctx, Future<JobState> f) {
    return f.map(s -> new JsonObject().put("id", ctx.pathParam("id")).put("state", s.id()));
  }

  private JobQueue queue(RoutingContext ctx) {
    return node.vertiq().queue(ctx.pathParam("queue")); // throws INVALID_ARGUMENT naming the queue
  }
}
