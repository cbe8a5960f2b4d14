package io.vertiq.http;

import static io.vertiq.http.Operations.on;

import io.vertiq.GroupLimits;
import io.vertiq.JobQueue;
import io.vertiq.VertiqException;
import io.vertiq.config.QueueOptions;
import io.vertiq.limit.GroupStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * The REST API over a queue's groups (see openapi.yaml): list with their state, read one, pause,
 * resume, set and clear its limits at run time.
 */
final class GroupRoutes {
  private final Node node;

  GroupRoutes(Node node) {
    this.node = node;
  }

  void mount(RouterBuilder r) {
    on(
        r,
        "listGroups",
        ctx -> {
          String cursor = ctx.queryParams().get("cursor");
          int limit = Requests.intParam(ctx, "limit", 100, GroupStore.MAX_PAGE);
          ApiErrors.reply(
              ctx,
              queue(ctx)
                  .groups(cursor == null ? "0" : cursor, limit)
                  .map(page -> page.put("limits", limits(ctx))));
        });
    on(r, "getGroup", ctx -> ApiErrors.reply(ctx, queue(ctx).group(ctx.pathParam("group"))));
    on(
        r,
        "pauseGroup",
        ctx -> ApiErrors.reply(ctx, queue(ctx).pauseGroup(ctx.pathParam("group"), true)));
    on(
        r,
        "resumeGroup",
        ctx -> ApiErrors.reply(ctx, queue(ctx).pauseGroup(ctx.pathParam("group"), false)));
    on(
        r,
        "setGroupLimits",
        ctx -> {
          Object body = Requests.json(ctx);
          if (!(body instanceof JsonObject json))
            throw VertiqException.invalid("body: expected an object of group limits");
          GroupLimits limits = GroupLimits.fromJson(json, "body");
          ApiErrors.reply(ctx, queue(ctx).setGroupLimits(ctx.pathParam("group"), limits));
        });
    on(
        r,
        "clearGroupLimits",
        ctx -> ApiErrors.reply(ctx, queue(ctx).clearGroupLimits(ctx.pathParam("group"))));
  }

  private JobQueue queue(RoutingContext ctx) {
    return node.vertiq().queue(ctx.pathParam("queue"));
  }

  /** The queue's group limits in this node's conf: concurrency and rateLimit, those set. */
  private JsonObject limits(RoutingContext ctx) {
    QueueOptions q = node.options().queues().get(ctx.pathParam("queue"));
    JsonObject all = q == null ? new JsonObject() : q.limits().toJson();
    return all.getJsonObject("groups", new JsonObject());
  }
}
