package io.vertiq.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.List;

/**
 * Binds a handler to an operation of the OpenAPI document by its operationId (see openapi.yaml).
 */
final class Operations {
  private Operations() {}

  static void on(RouterBuilder builder, String operationId, Handler<RoutingContext> handler) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null)
      throw new IllegalStateException("openapi.yaml has no operation " + operationId);
    // the bearer scheme the document declares is enforced by BearerAuth ahead of every route
    // (tokens are optional), and the operation's role by RoleGate
    route.setDoSecurity(false).addHandler(handler);
  }

  /** The role an operation needs, as the document names it: an operation without one is a bug. */
  static Role role(OpenAPIRoute route) {
    Object word = route.getOperation().getExtensions().get(Role.EXTENSION);
    Role r = Role.of(word);
    if (r == null)
      throw new IllegalStateException(
          "openapi.yaml: operation "
              + route.getOperation().getOperationId()
              + " names no role in "
              + Role.EXTENSION
              + " (read, operate or admin), got "
              + word);
    return r;
  }

  /** The operations of the document that no handler serves (the router would answer them 503). */
  static List<String> unserved(RouterBuilder builder) {
    return builder.getRoutes().stream()
        .filter(r -> r.getHandlers().isEmpty())
        .map(r -> r.getOperation().getOperationId())
        .toList();
  }
}
