package io.vertiq.worker;

import io.vertiq.observe.RunTimesTally;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a worker instance's run times per job name to Redis every {@link #EVERY_MS} and once more
 * when it stops, so the metrics per job name cost one call per instance per few seconds. The counts
 * of a flush that fails are dropped: they are metrics, and holding them would grow without bound
 * while Redis is away.
 */
final class RunTimesFlush {
  private static final Logger LOG = LoggerFactory.getLogger(RunTimesFlush.class);

  /** How often the counts go to Redis: the metrics page is this far behind at most. */
  static final long EVERY_MS = 5_000;

  private final Vertx vertx;
  private final WorkerStore store;
  private final RunTimesTally tally = new RunTimesTally();
  private long timer = -1;

  RunTimesFlush(Vertx vertx, WorkerStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  RunTimesTally tally() {
    return tally;
  }

  /** Called on the instance's context: the timer fires there, where the tally is counted. */
  void start() {
    timer = vertx.setPeriodic(EVERY_MS, t -> flush());
  }

  Future<Void> stop() {
    vertx.cancelTimer(timer);
    return flush();
  }

  private Future<Void> flush() {
    if (tally.isEmpty()) return Future.succeededFuture();
    return store
        .runTimes(tally.drain(), tally.drainWaits())
        .otherwise(
            err -> {
              LOG.debug(
                  "queue {}: run times per job name not stored ({})",
                  store.keys().queue(),
                  err.getMessage());
              return null;
            });
  }
}
