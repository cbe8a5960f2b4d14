package io.vertiq.server;

import io.vertiq.config.ConfigDiff;
import io.vertiq.config.InvalidConfigException;
import io.vertiq.config.VertiqOptions;
import io.vertiq.http.Node;
import io.vertiq.worker.WorkerDeployer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed conf to a running node: an invalid one changes nothing and is reported (the
 * node's last reload, the log); a valid one redeploys only the queues that differ, or every queue
 * on a new Redis pool. Schedules are reconciled either way.
 */
final class ConfReload {
  private static final Logger LOG = LoggerFactory.getLogger(ConfReload.class);

  /** What a reload asks of the node it changes. */
  interface Target {
    /** Opens and checks a pool on the new conf's Redis and moves the node's services to it. */
    Future<Void> swapRedis(VertiqOptions neu);

    /** Makes the conf's schedules the stored ones. */
    Future<Void> reconcileSchedules(VertiqOptions opts);

    /** The conf's queues, after their groups were deployed: the node's services follow them. */
    void queuesApplied(VertiqOptions neu);
  }

  private final Node node;
  private final WorkerDeployer deployer;
  private final Function<JsonObject, VertiqOptions> validate;
  private final Target target;

  ConfReload(
      Node node,
      WorkerDeployer deployer,
      Function<JsonObject, VertiqOptions> validate,
      Target target) {
    this.node = node;
    this.deployer = deployer;
    this.validate = validate;
    this.target = target;
  }

  Future<Void> apply(JsonObject raw) {
    VertiqOptions neu;
    try {
      neu = validate.apply(raw);
    } catch (InvalidConfigException e) {
      LOG.error(
          "conf reload REJECTED, still running on the previous conf:\n  {}",
          String.join("\n  ", e.errors()));
      node.reloadRejected(e.errors());
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      LOG.error("conf reload REJECTED: {}", e.getMessage());
      node.reloadRejected(List.of(String.valueOf(e.getMessage())));
      return Future.succeededFuture();
    }
    VertiqOptions old = node.options();
    ConfigDiff diff = ConfigDiff.between(old, neu);
    if (diff.isEmpty()) return sameQueues(old, neu);
    JsonArray changes = new JsonArray();
    Future<Void> redisSwap = Future.succeededFuture();
    if (diff.redisChanged()) {
      redisSwap = target.swapRedis(neu);
      changes.add("redis: new shared pool, every worker group redeployed");
    }
    return redisSwap
        .compose(v -> redeploy(diff, neu, changes))
        .transform(
            ar -> {
              node.setOptions(neu);
              target.queuesApplied(neu);
              target
                  .reconcileSchedules(neu)
                  .onFailure(
                      err ->
                          LOG.error(
                              "schedules not reconciled with the conf: {}", err.getMessage()));
              if (ar.failed()) {
                LOG.error("conf reload partly failed: {}", ar.cause().getMessage());
                node.reloadRejected(List.of("apply failed: " + ar.cause().getMessage()));
              } else {
                LOG.info("conf reloaded: {}", changes.encode());
                node.reloadAccepted(changes);
              }
              return Future.succeededFuture();
            });
  }

  /** No queue differs: at most the schedules changed, which are reconciled in Redis. */
  private Future<Void> sameQueues(VertiqOptions old, VertiqOptions neu) {
    boolean schedulesChanged = !old.toJson().equals(neu.toJson());
    node.setOptions(neu);
    if (schedulesChanged) {
      return target
          .reconcileSchedules(neu)
          .transform(
              ar -> {
                if (ar.failed())
                  node.reloadRejected(List.of("schedules: " + ar.cause().getMessage()));
                else node.reloadAccepted(new JsonArray().add("schedules reconciled"));
                LOG.info("conf reloaded: schedules reconciled");
                return Future.succeededFuture();
              });
    }
    // the file is back to the conf in force: a rejection reported before no longer holds
    if ("rejected".equals(node.lastReload().getString("status"))) {
      LOG.info("conf reloaded: the file matches the running conf again");
      node.reloadAccepted(new JsonArray());
    }
    return Future.succeededFuture();
  }

  /**
   * Deploys the added queues, redeploys the changed ones (every one on a new pool) and drains the
   * removed ones, saying each in {@code changes}.
   */
  private Future<Void> redeploy(ConfigDiff diff, VertiqOptions neu, JsonArray changes) {
    List<Future<?>> steps = new ArrayList<>();
    for (String name : diff.added()) {
      changes.add("queues." + name + ": deployed");
      steps.add(deployer.deploy(name, neu.queues().get(name)));
    }
    List<String> redeploy = new ArrayList<>(diff.changed());
    if (diff.redisChanged()) {
      neu.queues().keySet().stream()
          .filter(n -> !diff.added().contains(n) && !redeploy.contains(n))
          .forEach(redeploy::add);
    }
    for (String name : redeploy) {
      changes.add("queues." + name + ": redeployed");
      steps.add(deployer.deploy(name, neu.queues().get(name)));
    }
    for (String name : diff.removed()) {
      changes.add("queues." + name + ": drained and removed");
      steps.add(deployer.undeploy(name));
    }
    if (diff.httpChanged()) changes.add("http: changes take effect at the next restart");
    return Future.join(steps).mapEmpty();
  }
}
