package io.vertiq.worker;

import io.vertiq.config.QueueOptions;
import io.vertiq.redis.Keys;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's maintenance loop: one script call per configured queue promotes due delayed jobs,
 * requeues jobs whose lease expired (or kills them after maxStalled) and applies age retention.
 * Every step is atomic and idempotent, so many nodes may run it at once; a queue whose last call is
 * still out is skipped. A pass answers when the next one is needed (the next delayed job or lease
 * expiry, else an idle wait of a few seconds, on Redis time, whichever node made it), and the
 * queue's next pass waits until then, checked each tick: an idle queue costs Redis a pass every few
 * seconds, not one per node per tick.
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
  private final Vertx vertx;
  private final Redis redis;
  private final String prefix;
  private final long intervalMs;
  private final Set<String> inFlight = new HashSet<>();

  /** Per queue, the System.nanoTime() before which its next pass is not needed. */
  private final Map<String, Long> notBefore = new HashMap<>();

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
    long nowNanos = System.nanoTime();
    queues.forEach(
        (name, q) -> {
          Long after = notBefore.get(name);
          if (after != null && nowNanos - after < 0) return;
          if (!inFlight.add(name)) return;
          new MaintainPass(redis, new Keys(prefix, name))
              .run(q, intervalMs)
              .onComplete(
                  ar -> {
                    inFlight.remove(name);
                    if (ar.failed()) {
                      notBefore.remove(name); // again next tick
                      LOG.debug(
                          "maintenance of queue {} failed: {}", name, ar.cause().getMessage());
                    } else {
                      MaintainPass.Maintained r = ar.result();
                      // the first tick from then on: at most a tick late, as when every tick made a
                      // pass
                      long wait = Math.min(r.nextPassMs(), MaintainPass.idlePassMs(q, intervalMs));
                      notBefore.put(name, System.nanoTime() + Math.max(0, wait) * 1_000_000);
                      if (r.flowEnds() > 0) FlowEnds.pushed(vertx, name);
                      if (r.requeued() > 0 || r.deadFromStalls() > 0) {
                        LOG.warn(
                            "queue {}: {} stalled jobs (lease expired) requeued, {} moved to dead",
                            name,
                            r.requeued(),
                            r.deadFromStalls());
                      }
                      if (r.graceLeftMs() > 0 && graceLogged.add(name)) {
                        LOG.warn(
                            "queue {}: no maintenance pass for a while (Redis or every node was away): expired leases get {}ms "
                                + "for live workers to renew them or report their jobs",
                            name,
                            r.graceLeftMs());
                      } else if (r.graceLeftMs() == 0) {
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
