package io.vertiq.http;

import static io.vertiq.http.Operations.on;

import io.vertiq.JobQueue;
import io.vertiq.VertiqException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.List;

/**
 * The REST API over a queue's schedules (see openapi.yaml): list, create or replace, read, delete,
 * pause, resume, trigger.
 */
final class ScheduleRoutes {
  private final Node node;

  ScheduleRoutes(Node node) {
    this.node = node;
  }

  void mount(RouterBuilder r) {
    on(
        r,
        "listSchedules",
        ctx ->
            reply(ctx, queue(ctx).schedules().map(all -> new JsonObject().put("schedules", all))));
    on(
        r,
        "putSchedule",
        ctx -> {
          Object body = Requests.json(ctx);
          if (!(body instanceof JsonObject spec))
            throw VertiqException.invalid("body: expected a schedule object");
          String q = ctx.pathParam("queue");
          reply(
              ctx,
              queue(ctx)
                  .schedule(ctx.pathParam("name"), spec)
                  .compose(s -> node.served(List.of(q)).map(served -> s.put("served", served))));
        });
    on(
        r,
        "getSchedule",
        ctx ->
            reply(
                ctx,
                queue(ctx)
                    .schedules()
                    .compose(
                        all -> {
                          for (Object o : all)
                            if (ctx.pathParam("name").equals(((JsonObject) o).getString("name")))
                              return Future.succeededFuture((JsonObject) o);
                          return Future.failedFuture(notFound(ctx));
                        })));
    on(
        r,
        "deleteSchedule",
        ctx ->
            reply(
                ctx,
                queue(ctx)
                    .unschedule(ctx.pathParam("name"))
                    .compose(
                        found ->
                            found
                                ? Future.succeededFuture(
                                    new JsonObject()
                                        .put("deleted", true)
                                        .put("name", ctx.pathParam("name")))
                                : Future.failedFuture(notFound(ctx)))));
    on(
        r,
        "pauseSchedule",
        ctx -> reply(ctx, queue(ctx).pauseSchedule(ctx.pathParam("name"), true)));
    on(
        r,
        "resumeSchedule",
        ctx -> reply(ctx, queue(ctx).pauseSchedule(ctx.pathParam("name"), false)));
    on(
        r,
        "triggerSchedule",
        ctx ->
            reply(ctx, queue(ctx).triggerSchedule(ctx.pathParam("name")).map(res -> res.toJson())));
  }

  private JobQueue queue(RoutingContext ctx) {
    return node.vertiq().queue(ctx.pathParam("queue"));
  }

  private static VertiqException notFound(RoutingContext ctx) {
    return VertiqException.notFound(
        "schedule " + ctx.pathParam("name") + " not found in queue " + ctx.pathParam("queue"));
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> f) {
    ApiErrors.reply(ctx, f);
  }
}
