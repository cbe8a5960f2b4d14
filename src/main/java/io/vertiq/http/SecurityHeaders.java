package io.vertiq.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Headers every answer carries: the dashboard runs only its own script and styles, no page may
 * frame it (no clickjacking of its actions), and no browser second-guesses a content type (a JSON
 * payload is never run as HTML).
 */
final class SecurityHeaders {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void add(RoutingContext ctx) {
    ctx.response()
        .headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
