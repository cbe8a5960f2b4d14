package io.vertiq.worker;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.RetryPolicy;
import io.vertiq.impl.LifecycleEvents;
import io.vertiq.impl.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker instance of a queue: reserves up to its free slots in one script call, runs the handler with a
 * timeout, keeps leases alive by heartbeat, and hands outcomes to the {@link AckBatcher}. With nothing to do
 * it sleeps on the queue's wake-up list over its own {@link WakeUpListener} connection, never the shared pool.
 * A graceful stop stops fetching, lets running jobs finish within the drain timeout and releases the rest.
 */
public final class WorkerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  /** Longest sleep between fetches when idle; bounds idle traffic to about one BLPOP and one fetch per 2s. */
  static final long IDLE_WAIT_MS = 2_000;

  private final WorkerContext wc;
  private final QueueOptions q;
  private final WorkerStore store;
  private final Map<String, Running> running = new HashMap<>();
  private final boolean blockingHandler;
  private JobHandler handler;
  private AckBatcher acks;
  private WakeUpListener wake;
  private Metrics metrics;
  private LifecycleEvents events;
  private long heartbeat;
  private long timeoutSweep;
  /** How often running jobs are checked against their timeout. */
  private final long sweepMs;
  private boolean fetching;
  private boolean waiting;
  private boolean dispatching;
  private boolean pumpScheduled;
  private boolean stopping;
  private long errorBackoff;
  private long lastErrorLog;
  private Promise<Void> fetchDone;
  private Promise<Void> allDone;

  public WorkerVerticle(WorkerContext wc, QueueOptions q) {
    this.wc = wc;
    this.q = q;
    this.store = wc.store();
    this.blockingHandler = "worker".equals(q.threading());
    this.sweepMs = Math.max(10, Math.min(1_000, q.timeoutMs() / 10));
  }

  /** One job this instance runs; also the job's progress sink, so a run costs no extra object for it. */
  private final class Running implements java.util.function.Function<Object, Future<Void>> {
    final Job job;
    /** The lease epoch of the fetch that brought the job in (see {@link WorkerStore#finish}). */
    final long leaseEpoch;
    final String token;
    /** The start time as the records store it: the fetch's Redis time, one string for all of its jobs. */
    final String startedAt;
    final long started = System.nanoTime();
    long deadline;
    long timer = -1;
    boolean done;

    Running(Job job, long leaseEpoch, String startedAt) {
      this.job = job;
      this.leaseEpoch = leaseEpoch;
      this.token = WorkerStore.token(job);
      this.startedAt = startedAt;
    }

    @Override
    public Future<Void> apply(Object progress) {
      return progress(this, progress);
    }
  }

  @Override
  public Future<?> start() {
    handler = HandlerFactory.create(vertx, q);
    acks = new AckBatcher(context, store, q, new LifecycleEvents(vertx.eventBus(), store.keys().queue()));
    wake = new WakeUpListener(vertx, wc.blockingOptions(), store.keys().wake());
    metrics = Metrics.of(store.keys().queue());
    events = new LifecycleEvents(vertx.eventBus(), store.keys().queue());
    heartbeat = vertx.setPeriodic(Math.max(50, q.leaseMs() / 3), t -> heartbeat());
    timeoutSweep = vertx.setPeriodic(sweepMs, t -> failOverdue());
    context.runOnContext(v -> pump());
    return Future.succeededFuture();
  }

  private void schedulePump() {
    if (pumpScheduled || dispatching) return;
    pumpScheduled = true;
    context.runOnContext(v -> {
      pumpScheduled = false;
      pump();
    });
  }

  private void pump() {
    if (stopping || fetching || waiting) return;
    int free = q.concurrency() - running.size();
    if (free <= 0) return;
    fetching = true;
    fetchDone = Promise.promise();
    store.fetch(free, q.leaseMs()).onComplete(ar -> onFetched(ar, free));
  }

  private void onFetched(io.vertx.core.AsyncResult<WorkerStore.Fetched> ar, int free) {
    fetching = false;
    if (ar.failed()) {
      fetchDone.complete();
      onRedisError("fetch", ar.cause());
      return;
    }
    errorBackoff = 0;
    WorkerStore.Fetched f = ar.result();
    dispatching = true;
    List<String> ids = new ArrayList<>(f.jobs().size());
    for (Job job : f.jobs()) ids.add(job.id());
    events.batch("active", ids);
    String startedAt = Long.toString(f.now()); // every job of a fetch starts at its Redis time
    for (Job job : f.jobs()) run(job, f.leaseEpoch(), startedAt);
    dispatching = false;
    fetchDone.complete();
    if (stopping) {
      checkDrained();
      return;
    }
    if (f.jobs().size() >= free && !f.paused()) {
      pump(); // the batch was full: there may be more
      return;
    }
    long wait = IDLE_WAIT_MS;
    if (f.nextDelayedAt() > 0) wait = Math.max(1, Math.min(wait, f.nextDelayedAt() - f.now()));
    sleep(wait);
  }

  /**
   * Sleeps on the wake-up list with the next fetch queued behind the wait (see {@link WakeUpListener}): the jobs
   * that woke the worker arrive with the wake-up. A fetch that ran as a stop ended the wait is handled like any
   * other (its jobs run and are drained), so none is left leased to nobody.
   */
  private void sleep(long ms) {
    waiting = true;
    int free = q.concurrency() - running.size();
    Request next = free > 0 ? store.fetchRequest(free, q.leaseMs()) : null;
    wake.await(ms, next).onComplete(ar -> {
      waiting = false;
      if (ar.succeeded() && ar.result() != null) {
        fetching = true;
        fetchDone = Promise.promise();
        onFetched(Future.succeededFuture(ar.result()).map(store::parseFetch), free); // a bad reply fails the future
      } else if (stopping) {
        checkDrained();
      } else if (ar.failed()) {
        onRedisError("wait", ar.cause());
      } else {
        pump();
      }
    });
  }

  private void onRedisError(String what, Throwable err) {
    if (stopping) return;
    errorBackoff = Math.min(errorBackoff == 0 ? 100 : errorBackoff * 2, 5_000);
    long now = System.currentTimeMillis();
    if (now - lastErrorLog > 5_000) {
      lastErrorLog = now;
      LOG.warn("queue {}: {} failed ({}); retrying with backoff {}ms", store.keys().queue(), what, err.getMessage(), errorBackoff);
    }
    vertx.setTimer(errorBackoff, t -> pump());
  }

  private void run(Job job, long leaseEpoch, String startedAt) {
    Running r = new Running(job, leaseEpoch, startedAt);
    running.put(job.id(), r);
    metrics.running.incrementAndGet();
    long timeout = job.timeoutMs() > 0 ? job.timeoutMs() : q.timeoutMs();
    r.deadline = r.started + timeout * 1_000_000L;
    if (timeout < sweepMs * 10) {
      // shorter than the sweep resolves well: a timer of its own (a job's own timeout below the queue's)
      r.timer = vertx.setTimer(timeout, t -> finish(r, null, timedOut(r)));
    }
    job.withProgressSink(r);
    Future<Object> f;
    try {
      f = blockingHandler ? vertx.executeBlocking(() -> handler.handle(job), false).compose(x -> x) : handler.handle(job);
      if (f == null) f = Future.failedFuture("handler returned null instead of a Future");
    } catch (Throwable t) {
      f = Future.failedFuture(t);
    }
    // a handler that is done at once (a cache hit, a no-op) is finished here, without a listener to register
    if (f.isComplete()) finish(r, f.result(), f.cause());
    else f.onComplete(ar -> finish(r, ar.result(), ar.cause()));
  }

  private Future<Void> progress(Running r, Object value) {
    if (r.done) return Future.failedFuture(new IllegalStateException("job " + r.job.id() + " has finished"));
    String json = Json.encode(value);
    events.job("progress", r.job.id(), new JsonObject().put("progress", value));
    return store.progress(r.job.id(), r.token, json).mapEmpty();
  }

  private void finish(Running r, Object result, Throwable err) {
    if (r.done) return;
    r.done = true;
    if (r.timer >= 0) vertx.cancelTimer(r.timer);
    running.remove(r.job.id());
    metrics.running.decrementAndGet();
    metrics.duration.record(System.nanoTime() - r.started, java.util.concurrent.TimeUnit.NANOSECONDS);
    Job job = r.job;
    if (err == null) {
      acks.completed(r.leaseEpoch, job.id(), r.token, job.attemptsMade(), r.startedAt, encodeResult(result));
      metrics.completed.increment();
    } else {
      String message = err.getMessage() == null ? err.getClass().getName() : err.getMessage();
      String trace = shortTrace(err);
      RetryPolicy policy = RetryPolicy.decode(job.retryPolicy(), q.retry());
      metrics.failed.increment();
      JsonObject details = new JsonObject().put("error", message).put("attempt", job.attemptsMade());
      events.job("failed", job.id(), details);
      if (policy.exhausted(job.attemptsMade())) {
        acks.dead(r.leaseEpoch, job.id(), r.token, r.startedAt, message, trace);
        metrics.dead.increment();
        events.job("dead", job.id(), details);
      } else {
        long delay = policy.delayAfter(job.attemptsMade());
        acks.retry(r.leaseEpoch, job.id(), r.token, r.startedAt, message, trace, delay);
        metrics.retried.increment();
        events.job("retried", job.id(), details.put("delay", delay));
      }
    }
    if (stopping) checkDrained();
    else schedulePump();
  }

  private static String encodeResult(Object result) {
    if (result == null) return "null"; // the common case, without a JSON generator
    try {
      return Json.encode(result);
    } catch (RuntimeException e) {
      return Json.encode(String.valueOf(result));
    }
  }

  static String shortTrace(Throwable err) {
    StringBuilder sb = new StringBuilder(err.toString());
    StackTraceElement[] st = err.getStackTrace();
    for (int i = 0; i < Math.min(8, st.length); i++) sb.append("\n  at ").append(st[i]);
    return sb.length() > 2000 ? sb.substring(0, 2000) : sb.toString();
  }

  /**
   * Fails runs past their timeout. One sweep per instance every timeout/10 (10 ms to 1 s) instead of a timer per
   * job: the queue's timeout is met to within a tenth, and a job costs no timer to start and cancel.
   */
  private void failOverdue() {
    if (running.isEmpty()) return;
    long now = System.nanoTime();
    List<Running> overdue = null;
    for (Running r : running.values()) {
      if (r.deadline - now <= 0) {
        if (overdue == null) overdue = new ArrayList<>();
        overdue.add(r);
      }
    }
    if (overdue != null) overdue.forEach(r -> finish(r, null, timedOut(r)));
  }

  private static TimeoutException timedOut(Running r) {
    long timeout = (r.deadline - r.started) / 1_000_000L;
    return new TimeoutException("timed out after " + io.vertiq.config.Durations.format(timeout));
  }

  /** Renews the leases of the running jobs and of those whose outcome is still to be stored. */
  private void heartbeat() {
    List<String> idTokens = new ArrayList<>(running.size() * 2);
    for (Running r : running.values()) {
      idTokens.add(r.job.id());
      idTokens.add(r.token);
    }
    acks.heldLeases(idTokens);
    if (idTokens.isEmpty()) return;
    store.extend(q.leaseMs(), idTokens).onFailure(err ->
        LOG.warn("queue {}: lease heartbeat failed: {}", store.keys().queue(), err.getMessage()));
  }

  private void checkDrained() {
    if (allDone != null && running.isEmpty() && !fetching && !waiting) allDone.tryComplete();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    allDone = Promise.promise();
    // a wait ends (and its queued fetch is handled) before the connection closes; then the fetch in flight, if any
    Future<Void> woken = wake.interrupt(store::send, IDLE_WAIT_MS + 1_000);
    long drainTimer = vertx.setTimer(Math.max(1, q.drainTimeoutMs()), t -> allDone.tryComplete());
    Future<Void> quiet = woken.transform(w -> {
      waiting = false; // the wait is over or abandoned, and its connection closed
      return fetching ? fetchDone.future() : Future.<Void>succeededFuture();
    });
    quiet.onComplete(v -> checkDrained());
    // the release waits for the wait and any fetch in flight even after the drain timeout: jobs a fetch brings in
    // late are then among those released, not left running on a stopped worker with their lease
    return Future.all(allDone.future(), quiet)
        .compose(v -> {
          vertx.cancelTimer(drainTimer);
          List<String> release = new ArrayList<>();
          for (Running r : running.values()) {
            r.done = true; // a late result of a released job must not be reported
            if (r.timer >= 0) vertx.cancelTimer(r.timer);
            release.add(r.job.id());
            release.add(r.token);
          }
          if (!release.isEmpty()) {
            LOG.info("queue {}: releasing {} unfinished jobs back to ready", store.keys().queue(), release.size() / 2);
          }
          metrics.running.addAndGet(-running.size());
          running.clear();
          return store.release(release).otherwise(err -> {
            LOG.warn("queue {}: could not release jobs ({}); they return when their lease expires",
                store.keys().queue(), err.getMessage());
            return 0L;
          });
        })
        .compose(n -> acks.drained().timeout(Math.max(1_000, q.drainTimeoutMs()), java.util.concurrent.TimeUnit.MILLISECONDS)
            .otherwise(err -> {
              LOG.warn("queue {}: outcomes not stored before stop ({}); those jobs run again after their lease",
                  store.keys().queue(), err.getMessage());
              return null;
            }))
        .onComplete(v -> {
          vertx.cancelTimer(heartbeat);
          vertx.cancelTimer(timeoutSweep);
        });
  }
}
