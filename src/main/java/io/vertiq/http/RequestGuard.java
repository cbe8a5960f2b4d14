package io.vertiq.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Answers requests the router cannot route with a 400 before they reach it: a path or query with a malformed
 * percent-escape ("/queues/%zz") made vertx-web log a stack trace per request, ahead of the auth check, so an
 * unauthenticated client could flood the log; an HTTP/1.1 request without a Host header failed inside the router
 * (a 500). Everything else goes on to the router.
 */
final class RequestGuard implements Handler<HttpServerRequest> {
  private final Router router;

  RequestGuard(Router router) {
    this.router = router;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String problem = problem(req.path());
    if (problem == null) problem = escapes("query", req.query());
    if (problem == null && req.version() == io.vertx.core.http.HttpVersion.HTTP_1_1 && req.getHeader("host") == null) {
      problem = "header Host: HTTP/1.1 requires it";
    }
    if (problem == null) {
      router.handle(req);
      return;
    }
    req.response().setStatusCode(400).putHeader("content-type", "application/json")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(new JsonObject().put("error", "invalid_argument").put("message", problem).encode());
  }

  /** Why the path cannot be routed, or null. */
  static String problem(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') return "the request path must start with /";
    return escapes("path", path);
  }

  /** Why a part of the URI ("path", "query") cannot be decoded, or null (also for none). */
  static String escapes(String part, String text) {
    if (text == null) return null;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) != '%') continue;
      if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0 || Character.digit(text.charAt(i + 2), 16) < 0) {
        return "the request " + part + " has a malformed percent-escape at character " + i + " (expected % and two hex digits)";
      }
    }
    return null;
  }
}
