package io.vertiq.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Refuses an operation to a token below the role the document names for it (x-vertiq-role), with
 * 403, before the request's body is read or checked: a read token learns nothing from a write's
 * validation, and its body is never buffered. It runs ahead of the router's own matching, so it
 * matches the request to an operation itself, from the document's path templates (literal paths
 * first: /jobs/bulk before /jobs/{id}). A request that matches no operation goes on to its 404.
 */
final class RoleGate implements PlatformHandler {
  private record Op(HttpMethod method, Pattern path, int params, String id, Role role) {}

  private final List<Op> ops = new ArrayList<>();

  RoleGate(List<OpenAPIRoute> routes) {
    for (OpenAPIRoute r : routes) {
      String template = r.getOperation().getOpenAPIPath();
      int params = template.split("\\{", -1).length - 1;
      StringBuilder regex = new StringBuilder();
      for (String part : template.split("(?=\\{)|(?<=\\})")) {
        regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
      }
      ops.add(
          new Op(
              r.getOperation().getHttpMethod(),
              Pattern.compile(regex.toString()),
              params,
              r.getOperation().getOperationId(),
              Operations.role(r)));
    }
    ops.sort(Comparator.comparingInt(Op::params));
  }

  /** The operation a request asks for (with the role it needs), or null when it names none. */
  Op match(HttpMethod method, String path) {
    for (Op op : ops) if (op.method.equals(method) && op.path.matcher(path).matches()) return op;
    return null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Role caller = ctx.get(Role.KEY);
    Op op = caller == null ? null : match(ctx.request().method(), ctx.request().path());
    if (op == null || caller.allows(op.role)) {
      ctx.next();
      return;
    }
    ApiErrors.send(
        ctx,
        403,
        "forbidden",
        "operation "
            + op.id
            + " needs a token of role "
            + op.role.word()
            + " or above; this token's role is "
            + caller.word());
  }
}
