package io.vertiq.http;

import io.vertiq.config.HttpConfig;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Requires "Authorization: Bearer <token>" matching one of the configured tokens, compared in
 * constant time, and puts the token's {@link Role} in the routing context: each operation's route
 * checks it (see Operations), as only the route knows which operation was asked for.
 */
final class BearerAuth implements PlatformHandler {
  private final List<byte[]> tokens = new ArrayList<>();
  private final List<Role> roles = new ArrayList<>();
  private final Predicate<String> isPublic;

  /** {@code isPublic} names the paths served without a token. */
  BearerAuth(HttpConfig c, Predicate<String> isPublic) {
    add(c.tokens(), Role.ADMIN);
    add(c.operateTokens(), Role.OPERATE);
    add(c.readTokens(), Role.READ);
    this.isPublic = isPublic;
  }

  private void add(List<String> list, Role role) {
    for (String t : list) {
      tokens.add(t.getBytes(StandardCharsets.UTF_8));
      roles.add(role);
    }
  }

  /** The role of the header's bearer token, or null for no header, another scheme or no match. */
  private Role roleOf(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    Role role = null;
    for (int i = 0; i < tokens.size(); i++) // no early exit: same time for every token
    if (MessageDigest.isEqual(tokens.get(i), given)) role = roles.get(i);
    return role;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    Role role = roleOf(header);
    if (role != null) ctx.put(Role.KEY, role);
    // a public path is served either way; a token there only shows more (see Readiness)
    if (role != null || isPublic.test(ctx.request().path())) {
      ctx.next();
      return;
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
