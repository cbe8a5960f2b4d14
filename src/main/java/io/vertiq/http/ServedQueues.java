package io.vertiq.http;

import io.vertiq.observe.Nodes;
import io.vertiq.worker.WorkerDeployer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether any live node runs workers for a queue, as the answers of writes say it ("served":
 * false): every route accepts any valid queue name, since deploys happen in any order and a queue
 * may be scaled to zero, but a producer should hear that its job waits for a worker. This node's
 * own groups answer at once; for the others the node registry is read at most once per {@link
 * #MAX_AGE_MS}, shared by every request, so an enqueue pays no extra round trip on the common path.
 */
final class ServedQueues {
  static final long MAX_AGE_MS = 2_000;
  private final Supplier<Redis> redis;
  private final String prefix;
  private final WorkerDeployer deployer;
  private Set<String> known = Set.of();
  private long readAt;
  private Future<Set<String>> reading;

  ServedQueues(Supplier<Redis> redis, String prefix, WorkerDeployer deployer) {
    this.redis = redis;
    this.prefix = prefix;
    this.deployer = deployer;
  }

  /** Whether a live node (this one first) runs workers for every one of {@code queues}. */
  synchronized Future<Boolean> served(Collection<String> queues) {
    if (deployer.groups().keySet().containsAll(queues)) return Future.succeededFuture(true);
    long now = System.currentTimeMillis();
    if (now - readAt < MAX_AGE_MS) return Future.succeededFuture(servedBy(known, queues));
    if (reading == null) {
      reading =
          Nodes.list(redis.get(), prefix)
              .map(
                  nodes -> {
                    Set<String> all = new HashSet<>();
                    nodes.forEach(
                        n -> {
                          JsonObject q = ((JsonObject) n).getJsonObject("queues", new JsonObject());
                          for (String name : q.fieldNames()) {
                            if (q.getJsonObject(name, new JsonObject()).getInteger("instances", 0)
                                > 0) all.add(name);
                          }
                        });
                    return all;
                  })
              .andThen(
                  ar -> {
                    synchronized (this) {
                      if (ar.succeeded()) {
                        known = ar.result();
                        readAt = System.currentTimeMillis();
                      }
                      reading = null;
                    }
                  });
    }
    // a registry that cannot be read is no reason to refuse or delay the write: say served, as
    // before
    return reading.map(all -> servedBy(all, queues)).otherwise(true);
  }

  private boolean servedBy(Set<String> all, Collection<String> queues) {
    for (String q : queues) if (!all.contains(q) && !deployer.groups().containsKey(q)) return false;
    return true;
  }
}
