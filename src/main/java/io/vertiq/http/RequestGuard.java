package io.vertiq.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Answers requests the router cannot route with a 400 before they reach it: a path or query with a
 * malformed percent-escape ("/queues/%zz") made vertx-web log a stack trace per request, ahead of
 * the auth check, so an unauthenticated client could flood the log; an HTTP/1.1 request without a
 * Host header failed inside the router (a 500). Everything else goes on to the router.
 */
final class RequestGuard implements Handler<HttpServerRequest> {
  /** Longest request line the server reads; a longer one is answered by {@link #invalid}. */
  static final int MAX_LINE = 65_536;

  /** Longest request URI routed: a longer one is a 414 with a JSON body. */
  static final int MAX_URI = 8_192;

  private final Router router;

  RequestGuard(Router router) {
    this.router = router;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (req.uri().length() > MAX_URI) {
      reject(
          req,
          414,
          "uri_too_long",
          "the request URI has "
              + req.uri().length()
              + " characters, over the limit of "
              + MAX_URI);
      return;
    }
    String problem = problem(req.path());
    if (problem == null) problem = escapes("query", req.query());
    if (problem == null && req.version() == HttpVersion.HTTP_1_1 && req.getHeader("host") == null) {
      problem = "header Host: HTTP/1.1 requires it";
    }
    if (problem == null) {
      router.handle(req);
      return;
    }
    reject(req, 400, "invalid_argument", problem);
  }

  /**
   * The server's answer to a request its HTTP decoder could not read (a request line over {@link
   * #MAX_LINE}, headers over their limit, a header value with a control character): JSON like every
   * other error, and the connection closed, since what follows on it cannot be trusted.
   */
  static void invalid(HttpServerRequest req) {
    Throwable cause = req.decoderResult() == null ? null : req.decoderResult().cause();
    String text = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
    req.response().putHeader("connection", "close");
    if (text.startsWith("An HTTP line is larger than")) {
      reject(
          req, 414, "uri_too_long", "the request line is over the limit of " + MAX_LINE + " bytes");
    } else if (text.startsWith("HTTP header is larger than")) {
      reject(
          req,
          431,
          "headers_too_large",
          "the request headers are over the limit of "
              + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE
              + " bytes");
    } else {
      reject(
          req,
          400,
          "invalid_argument",
          "the request cannot be read as HTTP"
              + (text.isEmpty()
                  ? ""
                  : ": "
                      + JsonBodies.printable(text.length() > 200 ? text.substring(0, 200) : text)));
    }
  }

  private static void reject(HttpServerRequest req, int status, String code, String message) {
    req.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }

  /** Why the path cannot be routed, or null. */
  static String problem(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/')
      return "the request path must start with /";
    return escapes("path", path);
  }

  /** Why a part of the URI ("path", "query") cannot be decoded, or null (also for none). */
  static String escapes(String part, String text) {
    if (text == null) return null;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) != '%') continue;
      if (i + 2 >= text.length()
          || Character.digit(text.charAt(i + 1), 16) < 0
          || Character.digit(text.charAt(i + 2), 16) < 0) {
        return "the request "
            + part
            + " has a malformed percent-escape at character "
            + i
            + " (expected % and two hex digits)";
      }
    }
    return null;
  }
}
