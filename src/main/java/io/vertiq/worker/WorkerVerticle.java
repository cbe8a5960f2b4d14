package io.vertiq.worker;

import io.vertiq.JobHandler;
import io.vertiq.config.QueueOptions;
import io.vertiq.core.JobImpl;
import io.vertiq.observe.JobTracing;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.observe.Metrics;
import io.vertiq.redis.Backoff;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker instance of a queue: the fetch loop. It reserves up to its free slots in one script
 * call, runs the handler, and hands each run's end to the {@link OutcomePolicy}; {@link
 * RunTimeouts} fails runs past their timeout and the {@link LeaseKeeper} renews and, at a stop,
 * releases their leases. With nothing to do it sleeps on the queue's wake-up list over its own
 * {@link WakeUpListener} connection, never the shared pool. A graceful stop stops fetching, lets
 * running jobs finish within the drain timeout and releases the rest.
 */
public final class WorkerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  /**
   * Longest sleep between fetches when idle: one BLPOP and one fetch per 5 s. Anything that makes
   * work wakes a sleeping worker with a token (enqueue, an earlier delayed job, resume, a run's end
   * under a limit, maintenance's promotions), so this is only the backstop for a token missed; it
   * also bounds a stop on Redis Cluster, where CLIENT UNBLOCK cannot reach the wait.
   */
  static final long IDLE_WAIT_MS = 5_000;

  private final WorkerContext wc;
  private final QueueOptions q;
  private final WorkerStore store;
  private final DurableCalls durableCalls;
  private final Map<String, Run> running = new HashMap<>();
  private final boolean blockingHandler;
  private final Backoff errorBackoff = new Backoff();

  /**
   * Every run's progress goes here: one object for all runs, not a method reference made per job.
   */
  private BiFunction<Run, Object, Future<Void>> progressSink;

  private JobHandler handler;
  private AckBatcher acks;
  private OutcomePolicy outcomes;
  private RunTimesFlush runTimes;
  private LeaseKeeper leases;
  private RunTimeouts timeouts;
  private WakeUpListener wake;
  private Metrics metrics;
  private LifecycleEvents events;

  /** Null unless Vert.x has a tracer (see JobTracing). */
  private JobTracing tracing;

  /** Where the fetch loop is: one of these at a time. */
  private enum Loop {
    /** Neither fetching nor waiting: a pump may fetch. */
    IDLE,
    /** A fetch is on the wire; {@link #fetchDone} completes when its jobs are dispatched. */
    FETCHING,
    /** Waiting on the wake-up list, the next fetch queued behind the wait. */
    WAITING,
    /** Waiting on a local timer for a rate limit's next slot (see {@link #pace}). */
    PACED
  }

  /**
   * Longest wait kept by a local timer rather than a blocking pop: Redis checks blocked clients'
   * timeouts on its own timer (10 times a second by default), so a shorter BLPOP timeout ends up to
   * 100 ms late, which a smooth rate limit of 50/s (a slot every 20 ms) cannot afford.
   */
  private static final long PACE_MAX_MS = 100;

  private long paceTimer = -1;

  /**
   * When the fetch loop last heard Redis (a fetch, or a wait that answered), wall ms: a loop that
   * stopped hearing it (Redis away, a connection that never came back) shows here (see {@link
   * #heardAt}).
   */
  private volatile long heardAt = System.currentTimeMillis();

  /** Runs in progress, readable from other threads (the /ready check). */
  private volatile int runningNow;

  private Loop loop = Loop.IDLE;
  private boolean dispatching;
  private boolean pumpScheduled;
  private boolean stopping;
  private long lastErrorLog;
  private Promise<Void> fetchDone;
  private Promise<Void> allDone;
  private MessageConsumer<String> cancels;

  public WorkerVerticle(WorkerContext wc, QueueOptions q) {
    this.wc = wc;
    this.q = q;
    this.store = wc.store();
    this.durableCalls = new DurableCalls(store, q);
    this.blockingHandler = "worker".equals(q.threading());
  }

  /**
   * The local address a queue's worker instances hear cancels on (ids of its jobs; the node's
   * signal listener sends).
   */
  public static String cancelAddress(String queue) {
    return "vertiq.internal.cancel." + queue;
  }

  @Override
  public Future<?> start() {
    handler = HandlerFactory.create(vertx, q);
    tracing = JobTracing.of(vertx, wc.tracingPolicy());
    events = new LifecycleEvents(vertx.eventBus(), store.keys().queue());
    metrics = Metrics.of(store.keys().queue());
    acks = new AckBatcher(context, store, q, events);
    progressSink = new RunReports(store, durableCalls, events);
    runTimes = new RunTimesFlush(vertx, store);
    runTimes.start();
    outcomes = new OutcomePolicy(q, acks, metrics, events, runTimes.tally());
    wake = new WakeUpListener(vertx, wc.blockingOptions(), store.keys().wake());
    leases = new LeaseKeeper(vertx, store, q.leaseMs());
    leases.start(running.values(), acks, this::cancel);
    // a cancel of a running job reaches every node (SignalListener); the instance that runs it ends
    // its run
    cancels =
        vertx
            .eventBus()
            .<String>localConsumer(cancelAddress(store.keys().queue()), m -> cancel(m.body()));
    timeouts = new RunTimeouts(vertx, q.timeoutMs(), (r, err) -> finish(r, null, err));
    timeouts.start(running.values());
    context.runOnContext(v -> pump());
    return Future.succeededFuture();
  }

  private void schedulePump() {
    if (pumpScheduled || dispatching) return;
    pumpScheduled = true;
    context.runOnContext(
        v -> {
          pumpScheduled = false;
          pump();
        });
  }

  private void pump() {
    if (stopping || loop != Loop.IDLE) return;
    int free = q.concurrency() - running.size();
    if (free <= 0) return;
    loop = Loop.FETCHING;
    fetchDone = Promise.promise();
    store.fetch(free, q.leaseMs()).onComplete(ar -> onFetched(ar, free));
  }

  private void onFetched(AsyncResult<WorkerStore.Fetched> ar, int free) {
    loop = Loop.IDLE;
    if (ar.failed()) {
      fetchDone.complete();
      onRedisError("fetch", ar.cause());
      return;
    }
    errorBackoff.reset();
    heardAt = System.currentTimeMillis();
    WorkerStore.Fetched f = ar.result();
    dispatching = true;
    List<String> ids = new ArrayList<>(f.jobs().size());
    for (JobImpl job : f.jobs()) ids.add(job.id());
    events.batch("active", ids);
    String startedAt = Long.toString(f.now()); // every job of a fetch starts at its Redis time
    for (JobImpl job : f.jobs()) {
      long waitMs = f.now() - Math.max(job.createdAt(), job.runAt()); // since it was due
      acks.started(waitMs);
      runTimes.tally().recordWait(waitMs);
      run(job, f.leaseEpoch(), startedAt);
    }
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
    // a rate limit that held the fetch back: sleep until its window has room (a run ending ends the
    // wait under a
    // global concurrency, by a wake-up token, as an enqueue does)
    if (f.limitedUntil() > 0) wait = Math.max(1, Math.min(wait, f.limitedUntil() - f.now()));
    if (wait <= PACE_MAX_MS) pace(wait);
    else sleep(wait);
  }

  /**
   * A short wait (a rate limit's next slot, a delayed job due soon) on a local timer: a wake-up
   * token meanwhile is not read, which costs at most this wait.
   */
  private void pace(long ms) {
    loop = Loop.PACED;
    paceTimer =
        vertx.setTimer(
            ms,
            t -> {
              paceTimer = -1;
              if (loop != Loop.PACED) return;
              loop = Loop.IDLE;
              if (stopping) checkDrained();
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
    loop = Loop.WAITING;
    int free = q.concurrency() - running.size();
    Request next = free > 0 ? store.fetchRequest(free, q.leaseMs()) : null;
    wake.await(ms, next)
        .onComplete(
            ar -> {
              loop = Loop.IDLE;
              if (ar.succeeded()) heardAt = System.currentTimeMillis();
              if (ar.succeeded() && ar.result() != null) {
                loop = Loop.FETCHING;
                fetchDone = Promise.promise();
                onFetched(
                    Future.succeededFuture(ar.result()).map(store::parseFetch),
                    free); // a bad reply fails the future
              } else if (stopping) {
                checkDrained();
              } else if (ar.failed()) {
                onRedisError("wait", ar.cause());
              } else {
                pump();
              }
            });
  }

  /**
   * Up to {@code limit} of the jobs this instance runs now, read on its own event loop (the node
   * registry shows them: the dashboard's Nodes table).
   */
  Future<JsonArray> running(int limit) {
    if (context == null) return Future.succeededFuture(new JsonArray());
    Promise<JsonArray> p = Promise.promise();
    context.runOnContext(
        v -> {
          JsonArray out = new JsonArray();
          for (Run r : running.values()) {
            if (out.size() >= limit) break;
            out.add(
                new JsonObject()
                    .put("id", r.id())
                    .put("name", r.job.name())
                    .put("attempt", r.job.attemptsMade())
                    .put("startedAt", Long.parseLong(r.startedAt)));
          }
          p.complete(out);
        });
    return p.future();
  }

  /** When the fetch loop last heard Redis, wall ms. */
  long heardAt() {
    return heardAt;
  }

  /**
   * Whether the loop is fine not fetching: every slot is taken (it fetches when one frees), or it
   * heard Redis within {@code staleMs}.
   */
  boolean fetching(long now, long staleMs) {
    return runningNow >= q.concurrency() || now - heardAt <= staleMs;
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

  private void run(JobImpl job, long leaseEpoch, String startedAt) {
    Run r = new Run(job, leaseEpoch, startedAt, progressSink);
    running.put(job.id(), r);
    runningNow = running.size();
    metrics.running.incrementAndGet();
    timeouts.watch(r);
    job.withProgressSink(r);
    if (tracing != null) {
      r.span =
          tracing.runStarted(
              context,
              new JobTracing.Run(store.keys().queue(), job.id(), job.name(), job.attemptsMade()),
              job.traceParent());
      // the handler runs on the span's own context: what it does through Vert.x is part of the
      // run's trace
      if (r.span != null) {
        r.span.context().dispatch(v -> invoke(r, job));
        return;
      }
    }
    invoke(r, job);
  }

  private void invoke(Run r, JobImpl job) {
    Future<Object> f;
    try {
      f =
          blockingHandler
              ? vertx.executeBlocking(() -> handler.handle(job), false).compose(x -> x)
              : handler.handle(job);
      if (f == null) f = Future.failedFuture("handler returned null instead of a Future");
    } catch (Throwable t) {
      f = Future.failedFuture(t);
    }
    // a handler that is done at once (a cache hit, a no-op) is finished here, without a listener to
    // register
    if (f.isComplete()) finish(r, f.result(), f.cause());
    else f.onComplete(ar -> finish(r, ar.result(), ar.cause()));
  }

  /**
   * Ends the run of a job whose cancel was asked, if this instance runs it: the handler is told
   * (Job#cancelled) and the run ends now as cancelled, as a timeout ends it; what the handler does
   * afterwards is not reported.
   */
  private void cancel(String id) {
    Run r = running.get(id);
    if (r == null || r.done) return;
    finish(
        r,
        null,
        new CancelledRun()); // first: what the handler does when told is not the run's outcome
    r.job.signalCancel();
  }

  private void finish(Run r, Object result, Throwable err) {
    if (r.done) return;
    r.done = true;
    if (r.span != null) tracing.runEnded(r.span, err);
    timeouts.unwatch(r);
    // a log line the handler did not wait for is stored before the outcome: once the outcome is
    // stored the run no
    // longer holds the job, and the append would be refused. The run stays counted as running (a
    // stop drains it).
    Future<Void> logged;
    synchronized (r) {
      logged = r.logged;
    }
    if (logged != null && !logged.isComplete()) logged.onComplete(x -> ended(r, result, err));
    else ended(r, result, err);
  }

  private void ended(Run r, Object result, Throwable err) {
    running.remove(r.id());
    runningNow = running.size();
    metrics.running.decrementAndGet();
    outcomes.ended(r, result, err);
    if (stopping) checkDrained();
    else schedulePump();
  }

  private void checkDrained() {
    if (allDone != null && running.isEmpty() && loop == Loop.IDLE) allDone.tryComplete();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    // long jobs stop between two items and go back to ready with their cursor (see Job#iterate)
    running.values().forEach(run -> run.job.signalStopping());
    if (cancels != null) cancels.unregister();
    allDone = Promise.promise();
    // a wait ends (and its queued fetch is handled) before the connection closes; then the fetch in
    // flight, if any
    if (loop == Loop.PACED) {
      vertx.cancelTimer(paceTimer);
      loop = Loop.IDLE;
    }
    Future<Void> woken = wake.interrupt(store::send, IDLE_WAIT_MS + 1_000);
    long drainTimer = vertx.setTimer(Math.max(1, q.drainTimeoutMs()), t -> allDone.tryComplete());
    Future<Void> quiet =
        woken.transform(
            w -> {
              if (loop == Loop.WAITING)
                loop = Loop.IDLE; // the wait is over or abandoned, and its connection closed
              return loop == Loop.FETCHING ? fetchDone.future() : Future.<Void>succeededFuture();
            });
    quiet.onComplete(v -> checkDrained());
    // the release waits for the wait and any fetch in flight even after the drain timeout: jobs a
    // fetch brings in
    // late are then among those released, not left running on a stopped worker with their lease
    return Future.all(allDone.future(), quiet)
        .compose(
            v -> {
              vertx.cancelTimer(drainTimer);
              running.values().forEach(timeouts::unwatch);
              Future<Long> released = leases.release(new ArrayList<>(running.values()));
              metrics.running.addAndGet(-running.size());
              running.clear();
              return released;
            })
        .compose(
            n ->
                acks.drained()
                    .timeout(Math.max(1_000, q.drainTimeoutMs()), TimeUnit.MILLISECONDS)
                    .otherwise(
                        err -> {
                          LOG.warn(
                              "queue {}: outcomes not stored before stop ({}); those jobs run again after their lease",
                              store.keys().queue(),
                              err.getMessage());
                          return null;
                        }))
        .compose(v -> runTimes.stop())
        .onComplete(
            v -> {
              leases.stop();
              timeouts.stop();
            });
  }
}
