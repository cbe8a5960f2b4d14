package io.vertiq.http;

import io.vertiq.VertiqException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;

/** What every route reads from its request (body, query parameters) and how it answers. */
final class Requests {
  private Requests() {}

  static void reply(RoutingContext ctx, int status, Future<JsonObject> f) {
    f.onComplete(
        ar -> {
          if (ar.succeeded())
            ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(ar.result().encode());
          else ApiErrors.send(ctx, ar.cause());
        });
  }

  static int intParam(RoutingContext ctx, String name, int def, int max) {
    String v = ctx.queryParams().get(name);
    if (v == null) return def;
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw VertiqException.invalid(
        "query parameter "
            + name
            + ": expected an integer from 1 to "
            + max
            + ", got \""
            + v
            + "\"");
  }

  /**
   * The request's JSON body, as the OpenAPI validation parsed and checked it (see {@link
   * ContractRequests}); 415 without a JSON content type, 400 when there is none.
   */
  static Object json(RoutingContext ctx) {
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    if (validated != null && validated.getBody() != null && !validated.getBody().isNull())
      return validated.getBody().get();
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0)
      throw VertiqException.invalid("body: expected JSON, got nothing");
    JsonBodies.checkContentType(ctx.request().getHeader("content-type"));
    return JsonBodies.checkSyntax(body);
  }

  /**
   * Whether the request came with a body (an optional one: retry every dead job, redeploy on this
   * node).
   */
  static boolean hasBody(RoutingContext ctx) {
    return ctx.body() != null && ctx.body().length() > 0;
  }
}
