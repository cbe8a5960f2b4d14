package io.vertiq.worker;

import io.vertiq.config.QueueOptions;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertiq.redis.Keys;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's maintenance loop: each tick, one script call per configured queue promotes due delayed jobs,
 * requeues jobs whose lease expired (or kills them after maxStalled) and applies age retention. Every step is
 * atomic and idempotent, so many nodes may run it at once; a queue whose last call is still out is skipped.
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
  private final Vertx vertx;
  private final Redis redis;
  private final String prefix;
  private final long intervalMs;
  private final Set<String> inFlight = new HashSet<>();
  /** Queues whose current post-outage grace was logged already. */
  private final Set<String> graceLogged = new HashSet<>();
  private volatile Map<String, QueueOptions> queues = Map.of();
  private long timer = -1;

  public Maintenance(Vertx vertx, Redis redis, String prefix, long intervalMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
    this.intervalMs = intervalMs;
  }

  public void start(Map<String, QueueOptions> queues) {
    update(queues);
    timer = vertx.setPeriodic(intervalMs, t -> tick());
  }

  public void update(Map<String, QueueOptions> queues) {
    this.queues = new HashMap<>(queues);
  }

  private void tick() {
    queues.forEach((name, q) -> {
      if (!inFlight.add(name)) return;
      new WorkerStore(redis, new Keys(prefix, name)).maintain(q, intervalMs).onComplete(ar -> {
        inFlight.remove(name);
        if (ar.failed()) {
          LOG.debug("maintenance of queue {} failed: {}", name, ar.cause().getMessage());
        } else {
          long[] r = ar.result();
          if (r[5] > 0) FlowRelay.trigger(vertx, name);
          if (r[1] > 0 || r[2] > 0) {
            LOG.warn("queue {}: {} stalled jobs (lease expired) requeued, {} moved to dead", name, r[1], r[2]);
          }
          if (r[4] > 0 && graceLogged.add(name)) {
            LOG.warn("queue {}: no maintenance pass for a while (Redis or every node was away): expired leases get {}ms "
                + "for live workers to renew them or report their jobs", name, r[4]);
          } else if (r[4] == 0) {
            graceLogged.remove(name);
          }
        }
      });
    });
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
  }
}
