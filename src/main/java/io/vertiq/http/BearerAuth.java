package io.vertiq.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Predicate;

/**
 * Requires "Authorization: Bearer <token>" matching one of the configured tokens, compared in
 * constant time.
 */
final class BearerAuth implements PlatformHandler {
  private final List<byte[]> tokens;
  private final Predicate<String> isPublic;

  /** {@code isPublic} names the paths served without a token. */
  BearerAuth(List<String> tokens, Predicate<String> isPublic) {
    this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    this.isPublic = isPublic;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (isPublic.test(ctx.request().path())) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
      boolean ok = false;
      for (byte[] t : tokens)
        ok |= MessageDigest.isEqual(t, given); // no early exit: same time for every token
      if (ok) {
        ctx.next();
        return;
      }
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    ApiErrors.send(
        ctx,
        401,
        "unauthorized",
        header == null
            ? "missing header Authorization: Bearer <token>"
            : "header Authorization: token not accepted");
  }
}
