package io.vertiq.core;

import io.vertiq.EnqueueResult;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.observe.JobTracing;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.observe.Metrics;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * One queue's enqueues: single ones (those made on one event loop in one turn share a script call),
 * bulks (split into ordered calls of {@link #JOBS_PER_CALL}), a flow's jobs and schedules' fires.
 * Each call is one enqueueJobs script call; the jobs it created are counted and announced
 * ("enqueued").
 */
final class Enqueuer {
  private final VertiqImpl vq;
  private final Keys keys;
  private final LifecycleEvents events;
  private final String[] enqueueKeys;
  private Metrics metrics;

  Enqueuer(VertiqImpl vq, Keys keys, LifecycleEvents events) {
    this.vq = vq;
    this.keys = keys;
    this.events = events;
    this.enqueueKeys = keys.enqueue();
  }

  /** The queue's meters, looked up once (every transport's enqueues are counted here). */
  private Metrics metrics() {
    if (metrics == null) metrics = Metrics.of(keys.queue());
    return metrics;
  }

  private String name() {
    return keys.queue();
  }

  /** A call's arguments, payloads compressed as the queue's conf says. */
  private FlowEnqueuer flows;

  /** The enqueues of flows' jobs on this queue (see {@link FlowEnqueuer}). */
  synchronized FlowEnqueuer flows() {
    if (flows == null) flows = new FlowEnqueuer(this, vq, keys);
    return flows;
  }

  EnqueueArgs newArgs() {
    return new EnqueueArgs(vq.maxPayloadBytes(), vq.compression(name()));
  }

  /** Most single enqueues that share one script call. */
  static final int MAX_COALESCED = 1000;

  /**
   * Most jobs of a bulk in one script call: a larger bulk is split, so no call holds Redis for
   * long.
   */
  public static final int JOBS_PER_CALL = 1000;

  /** Most jobs of one bulk enqueue (see the README's limits). */
  static final int MAX_BULK = JobQueue.MAX_BULK;

  /**
   * Single enqueues made on one event loop during one turn share a script call: the first schedules
   * a flush on the next turn, the others join it. Callers still get their own result, on their own
   * context, and a lone enqueue waits for nothing but the end of the current turn.
   */
  private final class Coalesced {
    final Context context;
    final EnqueueArgs args = newArgs();
    final List<Promise<EnqueueResult>> waiting = new ArrayList<>();

    Coalesced(Context context) {
      this.context = context;
    }

    void flush() {
      if (context.get(this.key()) == this) context.remove(this.key());
      args.close();
      if (waiting.isEmpty()) return; // every job of the turn was invalid, and its caller told so
      send(args)
          .onComplete(
              ar -> {
                for (int i = 0; i < waiting.size(); i++) {
                  if (ar.succeeded()) waiting.get(i).complete(ar.result().get(i));
                  else waiting.get(i).fail(ar.cause());
                }
              });
    }

    Object key() {
      return Enqueuer.this;
    }
  }

  public Future<EnqueueResult> enqueue(NewJob job) {
    VertiqException no = vq.refusal();
    if (no != null) return Future.failedFuture(no);
    return vq.tracing() == null
        ? enqueue(job, null)
        : traced(1, trace -> enqueue(job, trace), r -> List.of(r.id()));
  }

  /**
   * Runs an enqueue of {@code jobs} jobs with the trace context of its span (see JobTracing), which
   * begins on the caller's context (its trace is the parent) and ends with the caller's result,
   * naming the ids made; with no trace current (and the policy asking one) the enqueue runs
   * without.
   */
  <T> Future<T> traced(
      int jobs, Function<String, Future<T>> enqueue, Function<T, List<String>> ids) {
    JobTracing tracing = vq.tracing();
    JobTracing.Producer span = tracing == null ? null : tracing.enqueueStarted(name(), jobs);
    if (span == null) return enqueue.apply(null);
    return enqueue
        .apply(span.traceParent())
        .andThen(
            ar ->
                tracing.enqueueEnded(
                    span, name(), ar.succeeded() ? ids.apply(ar.result()) : null, ar.cause()));
  }

  private Future<EnqueueResult> enqueue(NewJob job, String traceParent) {
    if (!Context.isOnEventLoopThread()) {
      try (EnqueueArgs args = newArgs()) {
        args.add(job, null, traceParent);
        return send(args).map(list -> list.get(0));
      } catch (VertiqException e) {
        return Future.failedFuture(e);
      }
    }
    Context ctx = vq.vertx().getOrCreateContext();
    Coalesced batch = ctx.get(this);
    if (batch == null || batch.waiting.size() >= MAX_COALESCED) {
      batch = new Coalesced(ctx);
      ctx.put(this, batch);
      Coalesced scheduled = batch;
      ctx.runOnContext(v -> scheduled.flush());
    }
    try {
      batch.args.add(job, null, traceParent);
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    }
    Promise<EnqueueResult> promise = Promise.promise();
    batch.waiting.add(promise);
    return promise.future();
  }

  public Future<List<EnqueueResult>> enqueueBulk(List<NewJob> jobs) {
    if (jobs.isEmpty()) return Future.succeededFuture(List.of());
    VertiqException no = vq.refusal();
    if (no != null) return Future.failedFuture(no);
    if (jobs.size() > MAX_BULK) {
      return Future.failedFuture(
          VertiqException.invalid(
              "jobs: a bulk holds at most " + MAX_BULK + " jobs, got " + jobs.size()));
    }
    return vq.tracing() == null
        ? enqueueBulk(jobs, null)
        : traced(
            jobs.size(),
            trace -> enqueueBulk(jobs, trace),
            r -> r.stream().map(EnqueueResult::id).toList());
  }

  private Future<List<EnqueueResult>> enqueueBulk(List<NewJob> jobs, String traceParent) {
    // every job is checked and encoded before the first call: a bad job anywhere stores nothing
    List<EnqueueArgs> calls = new ArrayList<>(jobs.size() / JOBS_PER_CALL + 1);
    for (int from = 0; from < jobs.size(); from += JOBS_PER_CALL) {
      try (EnqueueArgs args = newArgs()) {
        args.trace(traceParent);
        for (int i = from; i < Math.min(jobs.size(), from + JOBS_PER_CALL); i++) {
          try {
            args.add(jobs.get(i));
          } catch (VertiqException e) {
            return Future.failedFuture(
                jobs.size() == 1
                    ? e
                    : new VertiqException(e.code(), "jobs[" + i + "]." + e.getMessage()));
          }
        }
        calls.add(args);
      }
    }
    if (calls.size() == 1) return send(calls.get(0));
    List<EnqueueResult> results = new ArrayList<>(jobs.size());
    return sendInOrder(calls, 0, results).map(v -> Collections.unmodifiableList(results));
  }

  /**
   * Sends a large bulk's calls one after another: each holds Redis for one call's time only (about
   * 2 ms for 1,000 jobs), so other clients are served between them, and the jobs keep their order.
   * A failure names the jobs that were stored before it, so a producer can retry the rest (or all,
   * with idempotency keys).
   */
  Future<Void> sendInOrder(List<EnqueueArgs> calls, int k, List<EnqueueResult> results) {
    if (k == calls.size()) return Future.succeededFuture();
    return send(calls.get(k))
        .transform(
            ar -> {
              if (ar.failed()) {
                if (k == 0) return Future.failedFuture(ar.cause());
                VertiqException.Code code =
                    ar.cause() instanceof VertiqException e
                        ? e.code()
                        : VertiqException.Code.UNAVAILABLE;
                return Future.failedFuture(
                    new VertiqException(
                        code,
                        "jobs[0.."
                            + (results.size() - 1)
                            + "] were enqueued, jobs["
                            + results.size()
                            + "..] were not: "
                            + ar.cause().getMessage()));
              }
              results.addAll(ar.result());
              return sendInOrder(calls, k + 1, results);
            });
  }

  /**
   * Enqueues the jobs of schedules' fires and advances the schedules in the same calls (a fire is
   * created exactly once, however many nodes try: see enqueueJobs-15.lua). A call holds the fires
   * of up to {@link #JOBS_PER_CALL} jobs (a fire's jobs are never split); calls go one after
   * another.
   */
  public Future<Void> enqueueFires(List<JobQueueImpl.Fire> fires) {
    List<EnqueueArgs> calls = new ArrayList<>();
    EnqueueArgs args = null;
    try {
      for (JobQueueImpl.Fire f : fires) {
        if (args == null || (args.jobs() > 0 && args.jobs() + f.jobs().size() > JOBS_PER_CALL)) {
          if (args != null)
            args.close(); // its bytes are kept; the generator goes back to Jackson's pool
          args = newArgs();
          calls.add(args);
        }
        args.fire(f.schedule(), f.claimEnd(), f.nextFireAt(), f.jobs().size());
        for (NewJob j : f.jobs()) args.add(j);
      }
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    } finally {
      if (args != null) args.close();
    }
    return sendInOrder(calls, 0, new ArrayList<>());
  }

  /** One script call for the jobs in {@code jobArgs}; one "enqueued" event for those it created. */
  Future<List<EnqueueResult>> send(EnqueueArgs jobArgs) {
    int count = jobArgs.jobs();
    byte[][] args = jobArgs.toArgs(keys.jobPrefix());
    Future<Void> registered =
        vq.isRegistered(name()) ? Future.succeededFuture() : vq.register(List.of(name()));
    return registered
        .compose(
            v ->
                vq.waitReplicas() == 0
                    ? Scripts.run(vq.redis(), Scripts.ENQUEUE, enqueueKeys, args)
                    : Scripts.runReplicated(
                        vq.redis(),
                        Scripts.ENQUEUE,
                        enqueueKeys,
                        args,
                        vq.waitReplicas(),
                        vq.waitTimeoutMs()))
        .map(
            r -> {
              EnqueueReply reply = EnqueueReply.parse(r, count);
              metrics().enqueued.increment(reply.createdIds().size());
              events.batch("enqueued", reply.createdIds());
              return reply.results();
            });
  }
}
