package io.vertiq.worker;

import io.vertiq.redis.Backoff;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker instance's fetch loop: when to ask Redis for jobs and how to wait when there are none.
 * It reserves up to the instance's free slots in one script call and hands the jobs to its {@link
 * Runs}. With nothing to do it sleeps on the queue's wake-up list over its own {@link
 * WakeUpListener} connection, never the shared pool; a wait shorter than {@link #PACE_MAX_MS} is a
 * local timer. A Redis error is retried with backoff.
 */
final class FetchLoop {
  private static final Logger LOG = LoggerFactory.getLogger(FetchLoop.class);

  /**
   * Longest sleep between fetches when idle: one BLPOP and one fetch per 5 s. Anything that makes
   * work wakes a sleeping worker with a token (enqueue, an earlier delayed job, resume, a run's end
   * under a limit, maintenance's promotions), so this is only the backstop for a token missed; it
   * also bounds a stop on Redis Cluster, where CLIENT UNBLOCK cannot reach the wait.
   */
  static final long IDLE_WAIT_MS = 5_000;

  /**
   * Longest wait kept by a local timer rather than a blocking pop: Redis checks blocked clients'
   * timeouts on its own timer (10 times a second by default), so a shorter BLPOP timeout ends up to
   * 100 ms late, which a smooth rate limit of 50/s (a slot every 20 ms) cannot afford.
   */
  private static final long PACE_MAX_MS = 100;

  /** What the loop fetches for: the instance's runs. */
  interface Runs {
    /** Slots free now. */
    int free();

    /** Starts a run for each of a fetch's jobs. */
    void dispatch(WorkerStore.Fetched fetched);

    /** The loop went idle during a stop: the instance may now be drained. */
    void loopIdle();
  }

  /** Where the loop is: one of these at a time. */
  private enum State {
    /** Neither fetching nor waiting: a pump may fetch. */
    IDLE,
    /** A fetch is on the wire; {@link #fetchDone} completes when its jobs are dispatched. */
    FETCHING,
    /** Waiting on the wake-up list, the next fetch queued behind the wait. */
    WAITING,
    /** Waiting on a local timer for a rate limit's next slot (see {@link #pace}). */
    PACED
  }

  private final Vertx vertx;
  private final Context context;
  private final WorkerStore store;
  private final WakeUpListener wake;
  private final long leaseMs;
  private final Runs runs;
  private final Backoff errorBackoff = new Backoff();

  private State state = State.IDLE;
  private long paceTimer = -1;

  /**
   * When the loop last heard Redis (a fetch, or a wait that answered), wall ms: a loop that stopped
   * hearing it (Redis away, a connection that never came back) shows here.
   */
  private volatile long heardAt = System.currentTimeMillis();

  private boolean dispatching;
  private boolean pumpScheduled;
  private boolean stopping;
  private long lastErrorLog;
  private Promise<Void> fetchDone;

  FetchLoop(
      Vertx vertx,
      Context context,
      WorkerStore store,
      WakeUpListener wake,
      long leaseMs,
      Runs runs) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.wake = wake;
    this.leaseMs = leaseMs;
    this.runs = runs;
  }

  /** Fetches on the next turn of the event loop, unless a fetch or a dispatch is under way. */
  void schedulePump() {
    if (pumpScheduled || dispatching) return;
    pumpScheduled = true;
    context.runOnContext(
        v -> {
          pumpScheduled = false;
          pump();
        });
  }

  /** Fetches now when the loop is idle and a slot is free. */
  void pump() {
    if (stopping || state != State.IDLE) return;
    int free = runs.free();
    if (free <= 0) return;
    state = State.FETCHING;
    fetchDone = Promise.promise();
    store.fetch(free, leaseMs).onComplete(ar -> onFetched(ar, free));
  }

  private void onFetched(AsyncResult<WorkerStore.Fetched> ar, int free) {
    state = State.IDLE;
    if (ar.failed()) {
      fetchDone.complete();
      onRedisError("fetch", ar.cause());
      return;
    }
    errorBackoff.reset();
    heardAt = System.currentTimeMillis();
    WorkerStore.Fetched f = ar.result();
    dispatching = true;
    runs.dispatch(f);
    dispatching = false;
    fetchDone.complete();
    if (stopping) {
      runs.loopIdle();
      return;
    }
    if (f.jobs().size() >= free && !f.paused()) {
      pump(); // the batch was full: there may be more
      return;
    }
    long wait = IDLE_WAIT_MS;
    if (f.nextDelayedAt() > 0) wait = Math.max(1, Math.min(wait, f.nextDelayedAt() - f.now()));
    // a rate limit that held the fetch back: sleep until its window has room (a run ending ends the
    // wait under a global concurrency, by a wake-up token, as an enqueue does)
    if (f.limitedUntil() > 0) wait = Math.max(1, Math.min(wait, f.limitedUntil() - f.now()));
    if (wait <= PACE_MAX_MS) pace(wait);
    else sleep(wait);
  }

  /**
   * A short wait (a rate limit's next slot, a delayed job due soon) on a local timer: a wake-up
   * token meanwhile is not read, which costs at most this wait.
   */
  private void pace(long ms) {
    state = State.PACED;
    paceTimer =
        vertx.setTimer(
            ms,
            t -> {
              paceTimer = -1;
              if (state != State.PACED) return;
              state = State.IDLE;
              if (stopping) runs.loopIdle();
              else pump();
            });
  }

  /**
   * Sleeps on the wake-up list with the next fetch queued behind the wait (see {@link
   * WakeUpListener}): the jobs that woke the worker arrive with the wake-up. A fetch that ran as a
   * stop ended the wait is handled like any other (its jobs run and are drained), so none is left
   * leased to nobody.
   */
  private void sleep(long ms) {
    state = State.WAITING;
    int free = runs.free();
    Request next = free > 0 ? store.fetchRequest(free, leaseMs) : null;
    wake.await(ms, next)
        .onComplete(
            ar -> {
              state = State.IDLE;
              if (ar.succeeded()) heardAt = System.currentTimeMillis();
              if (ar.succeeded() && ar.result() != null) {
                state = State.FETCHING;
                fetchDone = Promise.promise();
                // a bad reply fails the future
                onFetched(Future.succeededFuture(ar.result()).map(store::parseFetch), free);
              } else if (stopping) {
                runs.loopIdle();
              } else if (ar.failed()) {
                onRedisError("wait", ar.cause());
              } else {
                pump();
              }
            });
  }

  private void onRedisError(String what, Throwable err) {
    if (stopping) return;
    long delay = errorBackoff.next();
    long now = System.currentTimeMillis();
    if (now - lastErrorLog > 5_000) {
      lastErrorLog = now;
      LOG.warn(
          "queue {}: {} failed ({}); retrying with backoff {}ms",
          store.keys().queue(),
          what,
          err.getMessage(),
          delay);
    }
    vertx.setTimer(delay, t -> pump());
  }

  /** Whether the loop is neither fetching nor waiting. */
  boolean idle() {
    return state == State.IDLE;
  }

  /** When the loop last heard Redis, wall ms. */
  long heardAt() {
    return heardAt;
  }

  /**
   * Stops fetching: a paced wait ends, a wait on the wake-up list is interrupted (and its queued
   * fetch handled before the connection closes). Completes when no fetch is on the wire.
   */
  Future<Void> stop() {
    stopping = true;
    if (state == State.PACED) {
      vertx.cancelTimer(paceTimer);
      state = State.IDLE;
    }
    Future<Void> woken = wake.interrupt(store::send, IDLE_WAIT_MS + 1_000);
    return woken.transform(
        w -> {
          // the wait is over or abandoned, and its connection closed
          if (state == State.WAITING) state = State.IDLE;
          return state == State.FETCHING ? fetchDone.future() : Future.<Void>succeededFuture();
        });
  }
}
