package io.vertiq.worker;

import io.vertiq.config.QueueOptions;
import io.vertiq.core.JobImpl;
import io.vertiq.observe.JobTracing;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.observe.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker instance of a queue: its runs. Its {@link FetchLoop} brings jobs in; each runs through
 * {@link HandlerCalls}, and its end goes to the {@link OutcomePolicy}; {@link RunTimeouts} fails
 * runs past their timeout and the {@link LeaseKeeper} renews and, at a stop, releases their leases.
 * A graceful stop stops fetching, lets running jobs finish within the drain timeout and releases
 * the rest.
 */
public final class WorkerVerticle extends VerticleBase implements FetchLoop.Runs {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  private final WorkerContext wc;
  private final QueueOptions q;
  private final WorkerStore store;
  private final DurableCalls durableCalls;
  private final Map<String, Run> running = new HashMap<>();

  /**
   * Every run's progress goes here: one object for all runs, not a method reference made per job.
   */
  private BiFunction<Run, Object, Future<Void>> progressSink;

  private HandlerCalls calls;
  private FetchLoop fetchLoop;
  private AckBatcher acks;
  private OutcomePolicy outcomes;
  private RunTimesFlush runTimes;
  private LeaseKeeper leases;
  private RunTimeouts timeouts;
  private Metrics metrics;
  private LifecycleEvents events;

  /** Runs in progress, readable from other threads (the /ready check). */
  private volatile int runningNow;

  private boolean stopping;
  private Promise<Void> allDone;
  private MessageConsumer<String> cancels;

  public WorkerVerticle(WorkerContext wc, QueueOptions q) {
    this.wc = wc;
    this.q = q;
    this.store = wc.store();
    this.durableCalls = new DurableCalls(store, q);
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
    String queue = store.keys().queue();
    calls =
        new HandlerCalls(
            vertx,
            queue,
            HandlerFactory.create(vertx, q),
            "worker".equals(q.threading()),
            JobTracing.of(vertx, wc.tracingPolicy()));
    events = new LifecycleEvents(vertx.eventBus(), queue);
    metrics = Metrics.of(queue);
    acks = new AckBatcher(context, store, q, events);
    progressSink = new RunReports(store, durableCalls, events);
    runTimes = new RunTimesFlush(vertx, store);
    runTimes.start();
    outcomes = new OutcomePolicy(q, acks, metrics, events, runTimes.tally());
    WakeUpListener wake = new WakeUpListener(vertx, wc.blockingOptions(), store.keys().wake());
    fetchLoop = new FetchLoop(vertx, context, store, wake, q.leaseMs(), this);
    leases = new LeaseKeeper(vertx, store, q.leaseMs());
    leases.start(running.values(), acks, this::cancel);
    // a cancel of a running job reaches every node (SignalListener); the instance that runs it ends
    // its run
    cancels = vertx.eventBus().<String>localConsumer(cancelAddress(queue), m -> cancel(m.body()));
    timeouts = new RunTimeouts(vertx, q.timeoutMs(), (r, err) -> finish(r, null, err));
    timeouts.start(running.values());
    context.runOnContext(v -> fetchLoop.pump());
    return Future.succeededFuture();
  }

  @Override
  public int free() {
    return q.concurrency() - running.size();
  }

  @Override
  public void dispatch(WorkerStore.Fetched f) {
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
  }

  @Override
  public void loopIdle() {
    checkDrained();
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
            out.add(r.describe());
          }
          p.complete(out);
        });
    return p.future();
  }

  /** When the fetch loop last heard Redis, wall ms. */
  long heardAt() {
    return fetchLoop == null ? System.currentTimeMillis() : fetchLoop.heardAt();
  }

  /**
   * Whether the loop is fine not fetching: every slot is taken (it fetches when one frees), or it
   * heard Redis within {@code staleMs}.
   */
  boolean fetching(long now, long staleMs) {
    return runningNow >= q.concurrency() || now - heardAt() <= staleMs;
  }

  private void run(JobImpl job, long leaseEpoch, String startedAt) {
    Run r = new Run(job, leaseEpoch, startedAt, progressSink);
    running.put(job.id(), r);
    runningNow = running.size();
    metrics.running.incrementAndGet();
    timeouts.watch(r);
    job.withProgressSink(r);
    calls.start(context, r, this::finish);
  }

  /**
   * Ends the run of a job whose cancel was asked, if this instance runs it: the handler is told
   * (Job#cancelled) and the run ends now as cancelled, as a timeout ends it; what the handler does
   * afterwards is not reported.
   */
  private void cancel(String id) {
    Run r = running.get(id);
    if (r == null || r.done) return;
    // first: what the handler does when told is not the run's outcome
    finish(r, null, new CancelledRun());
    r.job.signalCancel();
  }

  private void finish(Run r, Object result, Throwable err) {
    if (r.done) return;
    r.done = true;
    calls.ended(r, err);
    timeouts.unwatch(r);
    // a log line the handler did not wait for is stored before the outcome: once the outcome is
    // stored the run no longer holds the job, and the append would be refused. The run stays
    // counted as running (a stop drains it).
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
    else fetchLoop.schedulePump();
  }

  private void checkDrained() {
    if (allDone != null && running.isEmpty() && fetchLoop.idle()) allDone.tryComplete();
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
    Future<Void> quiet = fetchLoop.stop();
    long drainTimer = vertx.setTimer(Math.max(1, q.drainTimeoutMs()), t -> allDone.tryComplete());
    quiet.onComplete(v -> checkDrained());
    // the release waits for the wait and any fetch in flight even after the drain timeout: jobs a
    // fetch brings in late are then among those released, not left running on a stopped worker
    // with their lease
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
