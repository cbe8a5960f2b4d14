package io.vertiq.worker;

import io.vertiq.config.QueueOptions;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.redis.Backoff;
import io.vertiq.redis.FinishJobs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the outcomes of finished runs and reports them to Redis in batches: whatever finished
 * while the previous batch was on the wire goes in the next one, so under load one round trip
 * covers many jobs and at low load a single outcome still goes out on the next event-loop turn.
 * Runs on the worker's context.
 */
final class AckBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(AckBatcher.class);

  /** Values per completed run and per failed run (see {@link FinishJobs}). */
  static final int DONE_STRIDE = FinishJobs.DONE_STRIDE;

  static final int FAILED_STRIDE = FinishJobs.FAILED_STRIDE;
  private static final int MAX_BATCH = 1000;

  /**
   * Outcomes waiting to be stored: completed runs apart, so each costs the script 3 arguments, not
   * 7.
   */
  static final class Outcomes {
    private static final long NONE = Long.MAX_VALUE;
    final List<String> done = new ArrayList<>();
    final List<String> failed = new ArrayList<>();

    /**
     * The lowest lease epoch of the runs held here (see {@link WorkerStore#finish}), or {@link
     * WorkerStore#UNKNOWN_EPOCH} once a batch came back after an error: it may have been stored, so
     * its leases must be read. One figure for all, not one per run: a lower one only costs the
     * script a lease read.
     */
    long leaseEpoch = NONE;

    /**
     * The waits (ready to started, ms) of the runs started since the last report, for the queue's
     * history.
     */
    long waitSumMs;

    long waitCount;

    void add(long epoch) {
      leaseEpoch = Math.min(leaseEpoch, epoch);
    }

    boolean isEmpty() {
      return done.isEmpty() && failed.isEmpty();
    }

    int size() {
      return done.size() / DONE_STRIDE + failed.size() / FAILED_STRIDE;
    }

    /** Moves up to {@code max} outcomes into a new batch. */
    Outcomes take(int max) {
      Outcomes batch = new Outcomes();
      int f = Math.min(failed.size(), max * FAILED_STRIDE);
      batch.failed.addAll(failed.subList(0, f));
      failed.subList(0, f).clear();
      int d = Math.min(done.size(), (max - f / FAILED_STRIDE) * DONE_STRIDE);
      batch.done.addAll(done.subList(0, d));
      done.subList(0, d).clear();
      batch.leaseEpoch = leaseEpoch;
      batch.waitSumMs = waitSumMs;
      batch.waitCount = waitCount;
      waitSumMs = 0;
      waitCount = 0;
      if (isEmpty()) leaseEpoch = NONE;
      return batch;
    }

    /** Adds the id and token of every run held here to {@code idTokens}. */
    void idTokens(List<String> idTokens) {
      for (int i = 0; i < done.size(); i += DONE_STRIDE) {
        idTokens.add(done.get(i));
        idTokens.add(done.get(i + 1));
      }
      for (int i = 0; i < failed.size(); i += FAILED_STRIDE) {
        idTokens.add(failed.get(i));
        idTokens.add(failed.get(i + 1));
      }
    }

    void putBack(Outcomes batch) {
      done.addAll(0, batch.done);
      failed.addAll(0, batch.failed);
      waitSumMs += batch.waitSumMs;
      waitCount += batch.waitCount;
      leaseEpoch = WorkerStore.UNKNOWN_EPOCH;
    }
  }

  private final Context context;
  private final WorkerStore store;
  private final QueueOptions q;
  private final LifecycleEvents events;
  private final Outcomes pending = new Outcomes();

  /** The batch on the wire, if any. */
  private Outcomes sending;

  private boolean flushing;
  private boolean scheduled;
  private final Backoff retryDelay = new Backoff();
  private Promise<Void> idle;

  AckBatcher(Context context, WorkerStore store, QueueOptions q, LifecycleEvents events) {
    this.context = context;
    this.store = store;
    this.q = q;
    this.events = events;
  }

  /**
   * A run started after waiting {@code waitMs} since it was due: counted with the next report (the
   * history's wait).
   */
  void started(long waitMs) {
    pending.waitSumMs += Math.max(0, waitMs);
    pending.waitCount++;
  }

  void completed(
      long leaseEpoch, String id, String token, int attempt, String startedAt, String resultJson) {
    pending.add(leaseEpoch);
    CompletedRuns.add(pending.done, id, token, attempt, startedAt, resultJson, q.compression());
    scheduleFlush();
  }

  void retry(
      long leaseEpoch,
      String id,
      String token,
      String startedAt,
      String error,
      String trace,
      long delayMs) {
    failed(leaseEpoch, id, token, FinishJobs.Failure.RETRY, error, trace, delayMs, startedAt);
  }

  /**
   * The handler said "retry later" ({@link io.vertiq.RetryLater}): no attempt used; the queue waits
   * too if asked.
   */
  void later(
      long leaseEpoch,
      String id,
      String token,
      String startedAt,
      String reason,
      long delayMs,
      boolean queueWide) {
    failed(
        leaseEpoch,
        id,
        token,
        queueWide ? FinishJobs.Failure.DEFER_QUEUE : FinishJobs.Failure.DEFER,
        reason,
        "",
        delayMs,
        startedAt);
  }

  void dead(
      long leaseEpoch, String id, String token, String startedAt, String error, String trace) {
    failed(leaseEpoch, id, token, FinishJobs.Failure.DEAD, error, trace, 0, startedAt);
  }

  private void failed(
      long leaseEpoch,
      String id,
      String token,
      FinishJobs.Failure outcome,
      String text,
      String trace,
      long delayMs,
      String startedAt) {
    pending.add(leaseEpoch);
    FinishJobs.failed(pending.failed, id, token, outcome, text, trace, delayMs, startedAt);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (!flushing && !scheduled) {
      scheduled = true;
      context.runOnContext(
          v -> {
            scheduled = false;
            flush();
          });
    }
  }

  /**
   * Runs that ended after their lease expired: their jobs were given to another run, so they ran
   * (or will run) twice. Said once per batch, since it means the lease is too short for the handler
   * or this process stalled; a batch sent again after an error is expected to have stale entries
   * and says nothing.
   */
  private void warnStale(Outcomes batch, long stale) {
    if (stale == 0 || batch.leaseEpoch == WorkerStore.UNKNOWN_EPOCH) return;
    LOG.warn(
        "queue {}: {} runs ended after their lease had expired, and their jobs were taken back to"
            + " run again; a longer lease (queues.{}.lease) avoids it if the handler is slow, not"
            + " the process",
        store.keys().queue(),
        stale,
        store.keys().queue());
  }

  private void flush() {
    if (flushing) return;
    if (pending.isEmpty()) {
      if (idle != null) idle.tryComplete();
      return;
    }
    Outcomes batch = pending.take(MAX_BATCH);
    flushing = true;
    sending = batch;
    store
        .finish(q, batch.done, batch.failed, batch.leaseEpoch, batch.waitSumMs, batch.waitCount)
        .onComplete(
            ar -> {
              flushing = false;
              sending = null;
              if (ar.succeeded()) {
                retryDelay.reset();
                warnStale(batch, ar.result().stale());
                publishCompleted(batch);
                // parents of this queue whose last child ended in this batch (see finishJobs)
                if (!ar.result().unblocked().isEmpty())
                  events.batch("unblocked", ar.result().unblocked());
                if (ar.result().flowEnds() > 0)
                  FlowEnds.pushed(context.owner(), store.keys().queue());
                flush();
              } else {
                // keep the outcomes and try again: until Redis answers, the leases keep the jobs
                // safe
                pending.putBack(batch);
                long delay = retryDelay.next();
                LOG.warn(
                    "queue {}: could not report {} outcomes ({}); retrying in {}ms",
                    store.keys().queue(),
                    batch.size(),
                    ar.cause().getMessage(),
                    delay);
                context.owner().setTimer(delay, t -> flush());
              }
            });
  }

  /**
   * One "completed" event per stored batch, once Redis has it (failures are published per job by
   * the worker).
   */
  private void publishCompleted(Outcomes batch) {
    List<String> ids = new ArrayList<>(batch.done.size() / DONE_STRIDE);
    for (int i = 0; i < batch.done.size(); i += DONE_STRIDE) ids.add(batch.done.get(i));
    events.batch("completed", ids);
  }

  /**
   * The runs whose outcome is not stored yet, as id and token pairs: their leases are renewed with
   * the running jobs', so a report held back by a Redis outage is not overtaken by the lease's
   * expiry (the job would run again).
   */
  void heldLeases(List<String> idTokens) {
    pending.idTokens(idTokens);
    if (sending != null) sending.idTokens(idTokens);
  }

  /** Completes when every outcome so far is stored. */
  Future<Void> drained() {
    if (idle == null || idle.future().isComplete()) idle = Promise.promise();
    Future<Void> f = idle.future();
    flush();
    return f;
  }
}
