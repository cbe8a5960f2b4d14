package io.vertiq.http;

import static io.vertiq.http.Operations.on;

import io.vertiq.VertiqException;
import io.vertiq.config.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** The REST API's metrics per job name (see openapi.yaml, getJobMetrics). */
final class MetricsRoutes {
  private final Node node;

  MetricsRoutes(Node node) {
    this.node = node;
  }

  void mount(RouterBuilder r) {
    on(r, "getJobMetrics", this::byName);
  }

  /** ?period= a duration from 1m to 7d (default 1h). */
  private void byName(RoutingContext ctx) {
    String queue = ctx.pathParam("queue");
    String period = ctx.queryParams().get("period");
    Long ms = period == null ? Long.valueOf(3_600_000) : Durations.parseMillis(period);
    if (ms == null)
      throw VertiqException.invalid(
          "query parameter period: expected a duration such as \"1h\" or \"7d\", got \""
              + period
              + "\"");
    Requests.reply(
        ctx,
        200,
        node.vertiq()
            .queue(queue)
            .metricsByName(ms)
            .map(
                list ->
                    new JsonObject()
                        .put("queue", queue)
                        .put("periodMs", ms)
                        .put(
                            "jobs",
                            new JsonArray(list.stream().map(m -> (Object) m.toJson()).toList()))));
  }
}
