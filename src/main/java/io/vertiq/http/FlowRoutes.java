package io.vertiq.http;

import static io.vertiq.http.Operations.on;

import io.vertiq.Flow;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.core.EnqueueRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The REST API over flows and batches (see openapi.yaml): a flow and its tree; open, add to, close
 * and read a batch.
 */
final class FlowRoutes {
  private final Node node;

  FlowRoutes(Node node) {
    this.node = node;
  }

  void mount(RouterBuilder r) {
    on(r, "enqueueFlow", this::enqueueFlow);
    on(r, "openBatch", this::openBatch);
    on(
        r,
        "addToBatch",
        ctx ->
            reply(
                ctx,
                201,
                QueueRoutes.withServed(
                    node,
                    List.of(name(ctx)),
                    addToBatch(ctx, ctx.pathParam("id"), Requests.json(ctx)))));
    on(
        r,
        "closeBatch",
        ctx ->
            reply(
                ctx,
                200,
                node.vertiq()
                    .closeBatch(name(ctx), ctx.pathParam("id"))
                    .compose(v -> node.vertiq().batch(name(ctx), ctx.pathParam("id")))));
    on(r, "getBatch", ctx -> reply(ctx, 200, node.vertiq().batch(name(ctx), ctx.pathParam("id"))));
    on(
        r,
        "getFlowTree",
        ctx -> reply(ctx, 200, node.vertiq().flowTree(name(ctx), ctx.pathParam("id"))));
  }

  /**
   * POST /queues/{q}/batches: {"onSuccess": job, "onComplete": job, "jobs": [job, ...] (on this
   * queue), "close": true to close it at once}; answers the batch with its callbacks and the jobs'
   * ids.
   */
  private void openBatch(RoutingContext ctx) {
    if (!(Requests.json(ctx) instanceof JsonObject body))
      throw VertiqException.invalid("body: expected a batch object");
    for (String f : body.fieldNames()) {
      if (!Set.of("onSuccess", "onComplete", "jobs", "close").contains(f)) {
        throw VertiqException.invalid(
            "body." + f + ": unknown field (expected onSuccess, onComplete, jobs, close)");
      }
    }
    // the whole body is read before anything is written: a refused request leaves no batch behind
    NewJob onSuccess = callback(body, "onSuccess");
    NewJob onComplete = callback(body, "onComplete");
    Object close = body.getValue("close", false);
    if (!(close instanceof Boolean))
      throw VertiqException.invalid("body.close: expected true or false, got " + close);
    Object given = body.getValue("jobs", new JsonArray());
    if (!(given instanceof JsonArray array))
      throw VertiqException.invalid("body.jobs: expected an array of jobs");
    List<NewJob> jobs =
        array.isEmpty() ? List.of() : EnqueueRequest.parse(array, "body.jobs").jobs();
    String q = name(ctx);
    Future<JsonObject> done =
        node.vertiq()
            .openBatch(q, onSuccess, onComplete)
            .compose(
                b -> {
                  Future<List<String>> added =
                      jobs.isEmpty()
                          ? Future.succeededFuture(List.of())
                          : node.vertiq().addToBatch(q, b.getString("id"), q, jobs);
                  return added.compose(
                      ids -> {
                        b.put("jobs", new JsonArray(new ArrayList<>(ids)));
                        return (Boolean) close
                            ? node.vertiq()
                                .closeBatch(q, b.getString("id"))
                                .map(v -> b.put("open", false))
                            : Future.succeededFuture(b.put("open", true));
                      });
                });
    reply(ctx, 201, QueueRoutes.withServed(node, List.of(q), done));
  }

  private static NewJob callback(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof JsonObject))
      throw VertiqException.invalid("body." + field + ": expected a job object");
    return EnqueueRequest.parse(v, "body." + field).jobs().get(0);
  }

  /** Jobs for a batch (an array of job objects, on the batch's queue); answers {"ids": [...]}. */
  private Future<JsonObject> addToBatch(RoutingContext ctx, String id, Object jobs) {
    if (!(jobs instanceof JsonArray))
      return Future.failedFuture(VertiqException.invalid("body.jobs: expected an array of jobs"));
    List<NewJob> parsed;
    try {
      parsed = EnqueueRequest.parse(jobs, "body.jobs").jobs();
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    }
    return node.vertiq()
        .addToBatch(name(ctx), id, name(ctx), parsed)
        .map(ids -> new JsonObject().put("ids", new JsonArray(new ArrayList<>(ids))));
  }

  /**
   * POST /flows: a flow, checked whole before anything is written. Its queues may be any valid
   * names, as on every route; "served" says whether workers run for all of them.
   */
  private void enqueueFlow(RoutingContext ctx) {
    Flow flow = Flow.parse(Requests.json(ctx), "body", null);
    reply(ctx, 201, QueueRoutes.withServed(node, flow.queues(), node.vertiq().enqueueFlow(flow)));
  }

  private static String name(RoutingContext ctx) {
    return ctx.pathParam("queue");
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> f) {
    Requests.reply(ctx, status, f);
  }
}
