package io.vertiq.http;

import static io.vertiq.http.Operations.on;

import io.vertiq.VertiqException;
import io.vertiq.redis.ServerInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * The REST API over the node (see openapi.yaml): redeploy and scale a queue's workers, the last
 * reload, the nodes, the Redis server, the caller's role.
 */
final class AdminRoutes {
  private final Node node;

  AdminRoutes(Node node) {
    this.node = node;
  }

  void mount(RouterBuilder r) {
    on(r, "redeployQueue", this::redeploy);
    on(r, "scaleQueue", this::scale);
    on(r, "getReload", ctx -> ctx.json(node.lastReload()));
    on(r, "listNodes", ctx -> reply(ctx, 200, node.nodes()));
    on(r, "whoAmI", AdminRoutes::whoAmI);
    on(r, "getRedis", ctx -> reply(ctx, 200, ServerInfo.overview(node.redis())));
  }

  /** The caller's role; with no token configured anyone is admin. */
  private static void whoAmI(RoutingContext ctx) {
    Role role = ctx.get(Role.KEY);
    ctx.json(
        new JsonObject()
            .put("role", role == null ? Role.ADMIN.word() : role.word())
            .put("auth", role != null));
  }

  private void scale(RoutingContext ctx) {
    Object body = Requests.json(ctx);
    if (!(body instanceof JsonObject o))
      throw VertiqException.invalid("body: expected {\"instances\": n}");
    int n = Node.instances(o.getValue("instances"), "body.instances");
    reply(
        ctx,
        200,
        Node.everyNode(o.getValue("nodes"), "body.nodes")
            ? node.onEveryNode(name(ctx), n)
            : node.scale(name(ctx), n));
  }

  /** This node's group, or with {"nodes": "all"} every node's (no body: this node). */
  private void redeploy(RoutingContext ctx) {
    Object body = Requests.hasBody(ctx) ? Requests.json(ctx) : new JsonObject();
    if (!(body instanceof JsonObject o))
      throw VertiqException.invalid("body: expected nothing or {\"nodes\": \"all\"}");
    reply(
        ctx,
        200,
        Node.everyNode(o.getValue("nodes"), "body.nodes")
            ? node.onEveryNode(name(ctx), null)
            : node.redeploy(name(ctx)));
  }

  private static String name(RoutingContext ctx) {
    return ctx.pathParam("queue");
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> f) {
    Requests.reply(ctx, status, f);
  }
}
