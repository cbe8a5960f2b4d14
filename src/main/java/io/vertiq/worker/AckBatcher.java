package io.vertiq.worker;

import io.vertiq.config.QueueOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the outcomes of finished runs and reports them to Redis in batches: whatever finished while the
 * previous batch was on the wire goes in the next one, so under load one round trip covers many jobs and
 * at low load a single outcome still goes out on the next event-loop turn. Runs on the worker's context.
 */
final class AckBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(AckBatcher.class);
  /** Values per outcome: id, token, outcome, text, trace, delay. */
  static final int STRIDE = 6;
  private static final int MAX_BATCH = 1000;

  private final Context context;
  private final WorkerStore store;
  private final QueueOptions q;
  private final String events;
  private List<String> pending = new ArrayList<>();
  private boolean flushing;
  private boolean scheduled;
  private long retryDelay;
  private Promise<Void> idle;

  AckBatcher(Context context, WorkerStore store, QueueOptions q, String events) {
    this.context = context;
    this.store = store;
    this.q = q;
    this.events = events;
  }

  void completed(String id, String token, String resultJson) {
    add(id, token, "c", resultJson, "", "0");
  }

  void retry(String id, String token, String error, String trace, long delayMs) {
    add(id, token, "r", error, trace, Long.toString(delayMs));
  }

  void dead(String id, String token, String error, String trace) {
    add(id, token, "d", error, trace, "0");
  }

  private void add(String id, String token, String outcome, String text, String trace, String delay) {
    pending.add(id);
    pending.add(token);
    pending.add(outcome);
    pending.add(text);
    pending.add(trace);
    pending.add(delay);
    if (!flushing && !scheduled) {
      scheduled = true;
      context.runOnContext(v -> {
        scheduled = false;
        flush();
      });
    }
  }

  private void flush() {
    if (flushing) return;
    if (pending.isEmpty()) {
      if (idle != null) idle.tryComplete();
      return;
    }
    List<String> batch;
    if (pending.size() <= MAX_BATCH * STRIDE) {
      batch = pending;
      pending = new ArrayList<>();
    } else {
      batch = new ArrayList<>(pending.subList(0, MAX_BATCH * STRIDE));
      pending = new ArrayList<>(pending.subList(MAX_BATCH * STRIDE, pending.size()));
    }
    flushing = true;
    store.finish(q, batch).onComplete(ar -> {
      flushing = false;
      if (ar.succeeded()) {
        retryDelay = 0;
        publishCompleted(batch);
        flush();
      } else {
        // keep the outcomes and try again: until Redis answers, the leases keep the jobs safe
        batch.addAll(pending);
        pending = batch;
        retryDelay = Math.min(retryDelay == 0 ? 100 : retryDelay * 2, 5_000);
        LOG.warn("queue {}: could not report {} outcomes ({}); retrying in {}ms", store.keys().queue(),
            batch.size() / STRIDE, ar.cause().getMessage(), retryDelay);
        context.owner().setTimer(retryDelay, t -> flush());
      }
    });
  }

  /** One "completed" event per stored batch, once Redis has it (failures are published per job by the worker). */
  private void publishCompleted(List<String> batch) {
    io.vertx.core.json.JsonArray ids = new io.vertx.core.json.JsonArray(new ArrayList<>(batch.size() / STRIDE));
    for (int i = 0; i < batch.size(); i += STRIDE) {
      if ("c".equals(batch.get(i + 2))) ids.add(batch.get(i));
    }
    if (!ids.isEmpty()) {
      context.owner().eventBus().publish(events, new io.vertx.core.json.JsonObject().put("event", "completed")
          .put("queue", store.keys().queue()).put("ids", ids));
    }
  }

  /** Completes when every outcome so far is stored. */
  Future<Void> drained() {
    if (idle == null || idle.future().isComplete()) idle = Promise.promise();
    Future<Void> f = idle.future();
    flush();
    return f;
  }
}
