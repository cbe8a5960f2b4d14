package io.vertiq.http;

import io.vertiq.VertiqException;
import io.vertiq.core.Failures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place HTTP errors are written: {"error": code, "message": text} with the status of the
 * {@link VertiqException.Code}. Only a Redis that cannot serve is a 503 (see {@link Failures}); any
 * other failure is a bug, answered 500 with an id that names its one log line, and no answer
 * carries a stack trace.
 */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  static void send(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) return;
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }

  /** Answers a request with its operation's JSON (200), or with the error it failed with. */
  static void reply(RoutingContext ctx, Future<JsonObject> f) {
    f.onComplete(
        ar -> {
          if (ar.succeeded())
            ctx.response().putHeader("content-type", "application/json").end(ar.result().encode());
          else send(ctx, ar.cause());
        });
  }

  static void send(RoutingContext ctx, Throwable err) {
    VertiqException e = Failures.known(err);
    if (e != null) {
      if (e.code() == VertiqException.Code.UNAVAILABLE) {
        LOG.warn(
            "{} {} answered 503: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
      }
      send(ctx, e.code().status(), e.code().id(), e.getMessage());
      return;
    }
    String id = Failures.newId();
    LOG.error(
        "internal error {}: {} {} failed", id, ctx.request().method(), ctx.request().path(), err);
    send(ctx, 500, "internal", "internal error " + id + " (the service log names it)");
  }

  /**
   * The router's failure handler: thrown errors and the status codes vertx-web sets (413, 404...).
   */
  static void handle(RoutingContext ctx) {
    Throwable err = ctx.failure();
    int status = ctx.statusCode();
    if (err != null && !(err instanceof HttpException)) {
      send(ctx, err);
      return;
    }
    if (err instanceof HttpException he) {
      // a request the OpenAPI document does not allow: worded as our own checks word it
      if (he.getCause() instanceof ValidatorException ve) {
        String message = ContractErrors.message(ve);
        if (ve.type() == ValidatorErrorType.ILLEGAL_VALUE
            && ctx.body() != null
            && ctx.body().buffer() != null) {
          // the validator says only that the body "can't be decoded": say where it stops being JSON
          try {
            JsonBodies.checkSyntax(ctx.body().buffer());
          } catch (VertiqException syntax) {
            message = syntax.getMessage();
          }
        }
        if (message.equals("body: expected a JSON object, got array")
            && ctx.request().path().endsWith("/jobs")) {
          message += " (several jobs go to POST /queues/{queue}/jobs/bulk)";
        }
        send(ctx, 400, "invalid_argument", message);
        return;
      }
      status = he.getStatusCode();
    }
    switch (status) {
      case 413 ->
          send(
              ctx,
              413,
              "payload_too_large",
              "request body is over the limit of the http.bodyLimit setting");
      case 404 -> send(ctx, 404, "not_found", "no such resource: " + ctx.request().path());
      case 405 ->
          send(
              ctx,
              405,
              "method_not_allowed",
              ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 400 ->
          send(
              ctx,
              400,
              "invalid_argument",
              "bad request"
                  + (err != null && err.getMessage() != null ? ": " + err.getMessage() : ""));
      case 401 ->
          send(ctx, 401, "unauthorized", "missing or wrong bearer token (header Authorization)");
      case 415 ->
          send(ctx, 415, "unsupported_media_type", "expected Content-Type: application/json");
      default -> send(ctx, status < 400 ? 500 : status, "error", "request failed");
    }
  }
}
