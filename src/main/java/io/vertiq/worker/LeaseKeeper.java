package io.vertiq.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a worker's leases: every lease/3 it renews, in one call, the leases of the running jobs and
 * of those whose outcome is still to be stored (a report held back by a Redis outage must not be
 * overtaken by its lease's expiry), and at a stop it gives the unfinished jobs back to ready at
 * once.
 */
final class LeaseKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private final Vertx vertx;
  private final WorkerStore store;
  private final long leaseMs;
  private long timer = -1;

  LeaseKeeper(Vertx vertx, WorkerStore store, long leaseMs) {
    this.vertx = vertx;
    this.store = store;
    this.leaseMs = leaseMs;
  }

  /**
   * {@code cancelled} gets each running job whose cancel the renewal found (one its worker missed
   * the message of).
   */
  void start(Collection<Run> running, AckBatcher acks, Consumer<String> cancelled) {
    timer = vertx.setPeriodic(Math.max(50, leaseMs / 3), t -> renew(running, acks, cancelled));
  }

  private void renew(Collection<Run> running, AckBatcher acks, Consumer<String> cancelled) {
    List<String> idTokens = new ArrayList<>(running.size() * 2);
    for (Run r : running) {
      idTokens.add(r.id());
      idTokens.add(r.token);
    }
    acks.heldLeases(idTokens);
    if (idTokens.isEmpty()) return;
    store
        .extend(leaseMs, idTokens)
        .onSuccess(e -> e.cancelled().forEach(cancelled))
        .onFailure(
            err ->
                LOG.warn(
                    "queue {}: lease heartbeat failed: {}",
                    store.keys().queue(),
                    err.getMessage()));
  }

  /**
   * Puts the runs' jobs back to ready (a stopping worker's unfinished ones); their late results are
   * not reported.
   */
  Future<Long> release(Collection<Run> runs) {
    List<String> idTokens = new ArrayList<>();
    for (Run r : runs) {
      r.done = true;
      idTokens.add(r.id());
      idTokens.add(r.token);
    }
    if (idTokens.isEmpty()) return Future.succeededFuture(0L);
    LOG.info(
        "queue {}: releasing {} unfinished jobs back to ready", store.keys().queue(), runs.size());
    return store
        .release(idTokens)
        .otherwise(
            err -> {
              LOG.warn(
                  "queue {}: could not release jobs ({}); they return when their lease expires",
                  store.keys().queue(),
                  err.getMessage());
              return 0L;
            });
  }

  void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
