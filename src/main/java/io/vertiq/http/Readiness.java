package io.vertiq.http;

import io.vertiq.redis.TimedRedis;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * GET /ready: Redis answers, every worker group of the conf is deployed and hearing Redis, Redis
 * memory is under the high-water mark. A kubelet's probe carries no token, so with tokens
 * configured the path is still served to anyone, but only a caller with a token (any role) sees the
 * checks' data (queue names, memory figures, the last reload); others get the same status code and
 * each check's id and state.
 */
final class Readiness {
  private final HealthChecks checks;

  Readiness(Vertx vertx, Node node) {
    checks = HealthChecks.create(vertx);
    // the PING gives up before the check's own timeout does: a check that times out counts as a
    // failed procedure, which the handler answers 500, where an unreachable Redis is a 503
    // (tryComplete: a late PONG finds it done)
    checks.register(
        "redis",
        2_000,
        p ->
            new TimedRedis(vertx, node.redis(), 1_500)
                .send(Request.cmd(Command.PING))
                .onSuccess(r -> p.tryComplete(Status.OK()))
                .onFailure(
                    err ->
                        p.tryComplete(
                            Status.KO(
                                new JsonObject().put("error", String.valueOf(err.getMessage()))))));
    checks.register(
        "workers",
        p -> {
          List<String> missing = new ArrayList<>(node.options().queues().keySet());
          missing.removeAll(node.deployer().groups().keySet());
          // every group's fetch loop must be hearing Redis: one that stopped (a connection that
          // never came back) is not ready, though Redis answers the PING
          JsonObject loops = node.deployer().fetchLoops();
          List<String> stuck = new ArrayList<>();
          loops.forEach(
              e -> {
                if (!((JsonObject) e.getValue()).getBoolean("fetching")) stuck.add(e.getKey());
              });
          JsonObject data =
              new JsonObject()
                  .put("groups", node.deployer().groups().size())
                  .put("fetchLoops", loops);
          if (!missing.isEmpty()) data.put("notDeployed", missing);
          if (!stuck.isEmpty()) data.put("notFetching", stuck);
          p.complete(missing.isEmpty() && stuck.isEmpty() ? Status.OK(data) : Status.KO(data));
        });
    // above the high-water mark enqueues are refused (the workers drain): not ready for producers
    checks.register(
        "memory",
        p -> {
          JsonObject m = node.memory();
          p.complete(m.getBoolean("aboveHighWater", false) ? Status.KO(m) : Status.OK(m));
        });
    // a rejected reload leaves the node running on the previous conf: ready, but say so
    checks.register("config", p -> p.complete(Status.OK(node.lastReload())));
  }

  /**
   * The route's handler: the whole answer without tokens configured or to a caller whose token
   * BearerAuth accepted, the states alone to anyone else.
   */
  Handler<RoutingContext> handler(boolean authEnabled) {
    HealthCheckHandler full = HealthCheckHandler.createWithHealthChecks(checks);
    if (!authEnabled) return full;
    HealthCheckHandler states =
        HealthCheckHandler.createWithHealthChecks(checks)
            .resultMapper(r -> Future.succeededFuture(withoutData(r)));
    return ctx -> (ctx.get(Role.KEY) != null ? full : states).handle(ctx);
  }

  /** A check's result with its id and state and no data, and the same of each check under it. */
  private static CheckResult withoutData(CheckResult r) {
    // the whole's status is null: its state is its checks'
    Status s = r.getStatus();
    CheckResult out =
        new CheckResult()
            .setId(r.getId())
            .setStatus(
                s == null
                    ? null
                    : new Status().setOk(s.isOk()).setProcedureInError(s.isProcedureInError()));
    if (r.getChecks() != null) {
      List<CheckResult> kids = new ArrayList<>();
      for (CheckResult c : r.getChecks()) kids.add(withoutData(c));
      out.setChecks(kids);
    }
    return out;
  }
}
