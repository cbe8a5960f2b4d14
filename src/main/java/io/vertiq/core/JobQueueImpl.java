package io.vertiq.core;

import io.vertiq.config.Durations;
import io.vertiq.config.InvalidConfigException;

import io.vertiq.observe.JobTracing;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.observe.Metrics;
import io.vertiq.redis.Responses;

import io.vertiq.EnqueueResult;
import io.vertiq.Job;
import io.vertiq.JobPage;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.QueueCounts;
import io.vertiq.VertiqException;
import io.vertiq.core.JobCodec;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The producer and admin side of one queue; each operation is one script call (one round trip). */
public final class JobQueueImpl implements JobQueue {
  /** Most jobs one state listing returns. */
  public static final int MAX_PAGE = 500;
  /** Largest listing offset: a Redis collection holds at most 2^32 - 1 members. */
  public static final long MAX_OFFSET = 4_294_967_295L;
  private final VertiqImpl vq;
  private final Keys keys;
  private final LifecycleEvents events;
  private final String[] enqueueKeys;

  JobQueueImpl(VertiqImpl vq, Keys keys) {
    this.vq = vq;
    this.keys = keys;
    this.events = new LifecycleEvents(vq.vertx().eventBus(), keys.queue());
    this.enqueueKeys = keys.enqueue();
  }

  private Metrics metrics;

  /** The queue's meters, looked up once (every transport's enqueues are counted here). */
  private Metrics metrics() {
    if (metrics == null) metrics = Metrics.of(keys.queue());
    return metrics;
  }

  @Override
  public String name() {
    return keys.queue();
  }

  public Keys keys() {
    return keys;
  }

  /** Most single enqueues that share one script call. */
  static final int MAX_COALESCED = 1000;
  /** Most jobs of a bulk in one script call: a larger bulk is split, so no call holds Redis for long. */
  public static final int JOBS_PER_CALL = 1000;
  /** Most jobs of one bulk enqueue (see the README's limits). */
  public static final int MAX_BULK = JobQueue.MAX_BULK;

  /**
   * Single enqueues made on one event loop during one turn share a script call: the first schedules a flush on
   * the next turn, the others join it. Callers still get their own result, on their own context, and a lone
   * enqueue waits for nothing but the end of the current turn.
   */
  private final class Coalesced {
    final Context context;
    final EnqueueArgs args = new EnqueueArgs(vq.maxPayloadBytes());
    final List<Promise<EnqueueResult>> waiting = new ArrayList<>();

    Coalesced(Context context) {
      this.context = context;
    }

    void flush() {
      if (context.get(this.key()) == this) context.remove(this.key());
      args.close();
      if (waiting.isEmpty()) return; // every job of the turn was invalid, and its caller told so
      send(args).onComplete(ar -> {
        for (int i = 0; i < waiting.size(); i++) {
          if (ar.succeeded()) waiting.get(i).complete(ar.result().get(i));
          else waiting.get(i).fail(ar.cause());
        }
      });
    }

    Object key() {
      return JobQueueImpl.this;
    }
  }

  @Override
  public Future<EnqueueResult> enqueue(NewJob job) {
    return vq.tracing() == null ? enqueue(job, null) : traced(1, trace -> enqueue(job, trace), r -> List.of(r.id()));
  }

  /**
   * Runs an enqueue of {@code jobs} jobs with the trace context of its span (see JobTracing), which begins on the
   * caller's context (its trace is the parent) and ends with the caller's result, naming the ids made; with no trace
   * current (and the policy asking one) the enqueue runs without.
   */
  private <T> Future<T> traced(int jobs, java.util.function.Function<String, Future<T>> enqueue,
      java.util.function.Function<T, List<String>> ids) {
    JobTracing tracing = vq.tracing();
    JobTracing.Producer span = tracing == null ? null : tracing.enqueueStarted(name(), jobs);
    if (span == null) return enqueue.apply(null);
    return enqueue.apply(span.traceParent())
        .andThen(ar -> tracing.enqueueEnded(span, name(), ar.succeeded() ? ids.apply(ar.result()) : null, ar.cause()));
  }

  private Future<EnqueueResult> enqueue(NewJob job, String traceParent) {
    if (!Context.isOnEventLoopThread()) {
      try (EnqueueArgs args = new EnqueueArgs(vq.maxPayloadBytes())) {
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

  @Override
  public Future<List<EnqueueResult>> enqueueBulk(List<NewJob> jobs) {
    if (jobs.isEmpty()) return Future.succeededFuture(List.of());
    if (jobs.size() > MAX_BULK) {
      return Future.failedFuture(VertiqException.invalid("jobs: a bulk holds at most " + MAX_BULK + " jobs, got " + jobs.size()));
    }
    return vq.tracing() == null ? enqueueBulk(jobs, null)
        : traced(jobs.size(), trace -> enqueueBulk(jobs, trace), r -> r.stream().map(EnqueueResult::id).toList());
  }

  private Future<List<EnqueueResult>> enqueueBulk(List<NewJob> jobs, String traceParent) {
    // every job is checked and encoded before the first call: a bad job anywhere stores nothing
    List<EnqueueArgs> calls = new ArrayList<>(jobs.size() / JOBS_PER_CALL + 1);
    for (int from = 0; from < jobs.size(); from += JOBS_PER_CALL) {
      try (EnqueueArgs args = new EnqueueArgs(vq.maxPayloadBytes())) {
        args.trace(traceParent);
        for (int i = from; i < Math.min(jobs.size(), from + JOBS_PER_CALL); i++) {
          try {
            args.add(jobs.get(i));
          } catch (VertiqException e) {
            return Future.failedFuture(jobs.size() == 1 ? e : new VertiqException(e.code(), "jobs[" + i + "]." + e.getMessage()));
          }
        }
        calls.add(args);
      }
    }
    if (calls.size() == 1) return send(calls.get(0));
    List<EnqueueResult> results = new ArrayList<>(jobs.size());
    return sendInOrder(calls, 0, results).map(v -> java.util.Collections.unmodifiableList(results));
  }

  /**
   * Sends a large bulk's calls one after another: each holds Redis for one call's time only (about 2 ms for 1,000
   * jobs), so other clients are served between them, and the jobs keep their order. A failure names the jobs that
   * were stored before it, so a producer can retry the rest (or all, with idempotency keys).
   */
  private Future<Void> sendInOrder(List<EnqueueArgs> calls, int k, List<EnqueueResult> results) {
    if (k == calls.size()) return Future.succeededFuture();
    return send(calls.get(k)).transform(ar -> {
      if (ar.failed()) {
        if (k == 0) return Future.failedFuture(ar.cause());
        VertiqException.Code code = ar.cause() instanceof VertiqException e ? e.code() : VertiqException.Code.UNAVAILABLE;
        return Future.failedFuture(new VertiqException(code, "jobs[0.." + (results.size() - 1) + "] were enqueued, jobs["
            + results.size() + "..] were not: " + ar.cause().getMessage()));
      }
      results.addAll(ar.result());
      return sendInOrder(calls, k + 1, results);
    });
  }

  /**
   * Enqueues jobs of a flow: children of {@code parentId} on queue {@code parentQueue} (null for a flow's root), each
   * with its own flow spec ("<children> NUL <policy>" for a parent, null for a leaf). Returns their ids in order.
   */
  public Future<List<String>> enqueueFlowJobs(String parentQueue, String parentId, List<NewJob> jobs, List<String> flows) {
    return enqueueFlowJobs(parentQueue, parentId, jobs, flows, false);
  }

  /**
   * With {@code self}, the first job is a parent (a child of {@code parentQueue}/{@code parentId}, or of none) and the
   * others its children on this queue, all in one call (its list of children written with them): at most
   * {@link #JOBS_PER_CALL} jobs.
   */
  public Future<List<String>> enqueueFlowJobs(String parentQueue, String parentId, List<NewJob> jobs, List<String> flows, boolean self) {
    if (self && jobs.size() > JOBS_PER_CALL) return Future.failedFuture(new IllegalArgumentException("a call holds at most " + JOBS_PER_CALL));
    return vq.tracing() == null ? enqueueFlowJobs(parentQueue, parentId, jobs, flows, self, null)
        : traced(jobs.size(), trace -> enqueueFlowJobs(parentQueue, parentId, jobs, flows, self, trace), ids -> ids);
  }

  private Future<List<String>> enqueueFlowJobs(String parentQueue, String parentId, List<NewJob> jobs, List<String> flows,
      boolean self, String traceParent) {
    List<EnqueueArgs> calls = new ArrayList<>();
    EnqueueArgs args = null;
    try {
      for (int i = 0; i < jobs.size(); i++) {
        if (args == null || args.jobs() >= JOBS_PER_CALL) {
          if (args != null) args.close();
          args = new EnqueueArgs(vq.maxPayloadBytes());
          if (self) args.selfParent(parentQueue, parentId);
          else if (parentId != null) args.flowParent(parentQueue, parentId);
          args.trace(traceParent);
          calls.add(args);
        }
        args.add(jobs.get(i), flows.get(i));
      }
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    } finally {
      if (args != null) args.close();
    }
    List<EnqueueResult> results = new ArrayList<>();
    return sendInOrder(calls, 0, results).map(v -> results.stream().map(EnqueueResult::id).toList());
  }

  /** Records a flow parent's children (the tree's reads and the "remove" policy follow them). */
  public Future<Void> setChildren(String id, List<String[]> children) {
    StringBuilder lines = new StringBuilder();
    for (String[] c : children) lines.append(c[0]).append('\0').append(c[1]).append('\n');
    return vq.redis().send(Request.cmd(Command.HSET).arg(keys.job(id)).arg(JobCodec.FLOW_CHILDREN).arg(lines.toString())).mapEmpty();
  }

  /** A schedule's fire, as the scheduler enqueues it: the schedule, its claim's end, its next fire, its jobs. */
  public record Fire(String schedule, long claimEnd, long nextFireAt, List<NewJob> jobs) {}

  /**
   * Enqueues the jobs of schedules' fires and advances the schedules in the same calls (a fire is created exactly
   * once, however many nodes try: see enqueueJobs-15.lua). A call holds the fires of up to
   * {@link #JOBS_PER_CALL} jobs (a fire's jobs are never split); calls go one after another.
   */
  public Future<Void> enqueueFires(List<Fire> fires) {
    List<EnqueueArgs> calls = new ArrayList<>();
    EnqueueArgs args = null;
    try {
      for (Fire f : fires) {
        if (args == null || (args.jobs() > 0 && args.jobs() + f.jobs().size() > JOBS_PER_CALL)) {
          if (args != null) args.close(); // its bytes are kept; the generator goes back to Jackson's pool
          args = new EnqueueArgs(vq.maxPayloadBytes());
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
  private Future<List<EnqueueResult>> send(EnqueueArgs jobArgs) {
    int count = jobArgs.jobs();
    byte[][] args = jobArgs.toArgs(keys.jobPrefix());
    Future<Void> registered = vq.isRegistered(name()) ? Future.succeededFuture() : vq.register(List.of(name()));
    return registered
        .compose(v -> vq.waitReplicas() == 0 ? Scripts.run(vq.redis(), Scripts.ENQUEUE, enqueueKeys, args)
            : Scripts.runReplicated(vq.redis(), Scripts.ENQUEUE, enqueueKeys, args, vq.waitReplicas(), vq.waitTimeoutMs()))
        .map(r -> {
          EnqueueReply reply = EnqueueReply.parse(r, count);
          metrics().enqueued.increment(reply.createdIds().size());
          events.batch("enqueued", reply.createdIds());
          return reply.results();
        });
  }

  @Override
  public Future<Job> get(String id) {
    return getMany(List.of(id)).compose(jobs -> jobs.isEmpty()
        ? Future.failedFuture(VertiqException.notFound("job " + id + " not found in queue " + name()))
        : Future.succeededFuture(jobs.get(0)));
  }

  /** The jobs that exist among {@code ids}, in that order. */
  Future<List<Job>> getMany(List<String> ids) {
    if (ids.isEmpty()) return Future.succeededFuture(List.of());
    List<String> args = new ArrayList<>(ids.size() + 1);
    args.add(keys.jobPrefix());
    args.addAll(ids);
    List<String> k = new ArrayList<>(keys.stateSets());
    k.add(keys.specs());
    k.add(keys.done());
    return Scripts.run(vq.redis(), Scripts.GET_JOBS, k, args).map(r -> {
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        String state = r.get(2 * i).toString();
        if (!state.isEmpty()) {
          jobs.add(JobCodec.fromHash(name(), ids.get(i), JobState.parse(state), Responses.hash(r.get(2 * i + 1))));
        }
      }
      return jobs;
    });
  }

  @Override
  public Future<JobPage> list(JobState state, long offset, int limit) {
    if (offset < 0 || offset > MAX_OFFSET) {
      return Future.failedFuture(VertiqException.invalid("cursor: expected an offset from 0 to " + MAX_OFFSET + ", got " + offset));
    }
    if (limit < 1 || limit > MAX_PAGE) {
      return Future.failedFuture(VertiqException.invalid("limit: expected 1 to " + MAX_PAGE + ", got " + limit));
    }
    Future<Response> page = switch (state) {
      // ready spans the ready zset and the fifo list, in the order workers take jobs
      case READY -> Scripts.run(vq.redis(), Scripts.LIST_READY, List.of(keys.ready(), keys.fifo()),
          List.of(Long.toString(offset), Integer.toString(limit)));
      case DELAYED -> listSet(keys.delayed(), offset, limit, false);
      case ACTIVE -> listSet(keys.active(), offset, limit, false);
      case DEAD -> listSet(keys.dead(), offset, limit, true);
      case COMPLETED -> listSet(keys.completed(), offset, limit, true);
      case WAITING -> listSet(keys.waiting(), offset, limit, false);
    };
    return page
        .compose(r -> {
          long total = r.get(0).toLong();
          List<String> ids = new ArrayList<>();
          for (int i = 1; i < r.size(); i++) ids.add(r.get(i).toString());
          String next = offset + ids.size() < total && ids.size() == limit ? Long.toString(offset + ids.size()) : null;
          return getMany(ids).map(jobs -> new JobPage(state, total, jobs, next));
        });
  }

  private Future<Response> listSet(String set, long offset, int limit, boolean newestFirst) {
    return Scripts.run(vq.redis(), Scripts.LIST, List.of(set),
        List.of(Long.toString(offset), Integer.toString(limit), newestFirst ? "1" : "0"));
  }

  /** The keys of removeJob-14.lua for one job. */
  private List<String> removeKeys(String id) {
    List<String> k = new ArrayList<>(keys.stateSets());
    k.add(keys.unique());
    k.add(keys.job(id));
    k.add(keys.stats());
    k.add(keys.fifo());
    k.add(keys.specs());
    k.add(keys.done());
    k.add(keys.cancels());
    k.add(keys.uniqueUntil());
    k.add(keys.waiting());
    return k;
  }

  @Override
  public Future<JobState> cancel(String id) {
    return Scripts.run(vq.redis(), Scripts.REMOVE, removeKeys(id), List.of(id, keys.jobPrefix(), "cancel",
        Keys.cancelChannel(keys.prefix()), name() + "\0" + id)).compose(r -> {
          // a waiting job's cancel is its end here (a running one's is published by the worker that ends its run)
          if (r.toInteger() == 1 || r.toInteger() == 3 || r.toInteger() == 4) events.job("cancelled", id, new JsonObject());
          return Future.succeededFuture(r);
        }).compose(r -> switch (r.toInteger()) {
          case 1 -> Future.succeededFuture(JobState.READY);
          case 3 -> Future.succeededFuture(JobState.DELAYED);
          case 4 -> Future.succeededFuture(JobState.WAITING);
          case 2 -> Future.succeededFuture(JobState.ACTIVE);
          case 0 -> Future.failedFuture(VertiqException.notFound("job " + id + " not found in queue " + name()));
          default -> Future.failedFuture(new VertiqException(VertiqException.Code.CONFLICT,
              "job " + id + " of queue " + name() + " has finished; there is nothing to cancel"));
        });
  }

  @Override
  public Future<List<Job>> search(String text) {
    if (text == null || text.isEmpty() || text.length() > NewJob.MAX_UNIQUE_KEY) {
      return Future.failedFuture(VertiqException.invalid("search: expected 1 to " + NewJob.MAX_UNIQUE_KEY + " characters"));
    }
    return vq.redis().send(Request.cmd(Command.HGET).arg(keys.unique()).arg(text)).compose(holder -> {
      List<String> ids = new ArrayList<>(List.of(text));
      if (holder != null && !holder.toString().equals(text)) ids.add(holder.toString());
      return getMany(ids);
    });
  }

  @Override
  public Future<JsonObject> history(int minutes) {
    if (minutes < 1 || minutes > HISTORY_MINUTES) {
      return Future.failedFuture(VertiqException.invalid("minutes: expected 1 to " + HISTORY_MINUTES + ", got " + minutes));
    }
    return vq.redis().send(Request.cmd(Command.TIME)).compose(t -> {
      long now = t.get(0).toLong() * 1000 + t.get(1).toLong() / 1000;
      long last = now / 60_000;
      List<Request> reads = new ArrayList<>(minutes);
      for (long m = last - minutes + 1; m <= last; m++) {
        reads.add(Request.cmd(Command.HMGET).arg(keys.historyPrefix() + m).arg("c").arg("f").arg("d").arg("ws").arg("wn"));
      }
      return vq.redis().batch(reads).map(rows -> {
        JsonArray completed = new JsonArray(), failed = new JsonArray(), dead = new JsonArray(), wait = new JsonArray();
        for (Response r : rows) {
          completed.add(count(r.get(0)));
          failed.add(count(r.get(1)));
          dead.add(count(r.get(2)));
          long n = count(r.get(4));
          wait.add(n == 0 ? null : (double) Math.round(count(r.get(3)) * 10.0 / n) / 10.0);
        }
        return new JsonObject().put("queue", name()).put("from", (last - minutes + 1) * 60_000).put("stepMs", 60_000)
            .put("completed", completed).put("failed", failed).put("dead", dead).put("waitMs", wait);
      });
    });
  }

  private static long count(Response r) {
    return r == null ? 0 : r.toLong();
  }

  private ResultWaiter results;

  @Override
  public Future<Job> awaitResult(String id, long timeoutMs) {
    synchronized (this) {
      if (results == null) results = new ResultWaiter(vq.vertx(), this);
    }
    return results.await(id, timeoutMs);
  }

  @Override
  public Future<Boolean> remove(String id) {
    return Scripts.run(vq.redis(), Scripts.REMOVE, removeKeys(id), List.of(id, keys.jobPrefix(), "", "", "")).compose(r -> r.toInteger() >= 0
        ? Future.succeededFuture(r.toInteger() == 1)
        : Future.failedFuture(new VertiqException(VertiqException.Code.CONFLICT,
            "job " + id + " of queue " + name() + " is running; remove it once it has finished")));
  }

  @Override
  public Future<Long> retryDead(List<String> ids) {
    List<String> args = new ArrayList<>(ids.size() + 2);
    args.add(keys.jobPrefix());
    args.add("1000");
    args.addAll(ids);
    Future<Long> once = Scripts.run(vq.redis(), Scripts.RETRY_DEAD,
        List.of(keys.dead(), keys.ready(), keys.stats(), keys.wake(), keys.specs()), args).map(Response::toLong);
    if (!ids.isEmpty()) return once;
    // "all": repeat in batches of 1000, so one call never holds Redis for long
    return once.compose(n -> n < 1000 ? Future.succeededFuture(n) : retryDead(ids).map(m -> n + m));
  }

  @Override
  public Future<Long> clearDead() {
    return clean(JobState.DEAD, 0);
  }

  @Override
  public Future<Long> clean(JobState state, long olderThanMs) {
    if (state != JobState.COMPLETED && state != JobState.DEAD) {
      return Future.failedFuture(VertiqException.invalid("state: expected completed or dead, got " + (state == null ? null : state.id())));
    }
    if (olderThanMs < 0 || olderThanMs > Durations.MAX_MS) {
      return Future.failedFuture(VertiqException.invalid("olderThan: expected 0 to 365 days, got " + olderThanMs + "ms"));
    }
    String set = state == JobState.DEAD ? keys.dead() : keys.completed();
    // in calls of 1,000, one after another, so none holds Redis for long
    return Scripts.run(vq.redis(), Scripts.CLEAR_FINISHED, List.of(set, keys.specs(), keys.done()),
            List.of(keys.jobPrefix(), "1000", Long.toString(olderThanMs)))
        .map(Response::toLong)
        .compose(n -> n < 1000 ? Future.succeededFuture(n) : clean(state, olderThanMs).map(m -> n + m));
  }

  @Override
  public Future<Void> pause() {
    return setPaused(true);
  }

  @Override
  public Future<Void> resume() {
    return setPaused(false);
  }

  private Future<Void> setPaused(boolean paused) {
    return Scripts.run(vq.redis(), Scripts.SET_PAUSED, List.of(keys.meta(), keys.wake()), List.of(paused ? "1" : "0"))
        .mapEmpty();
  }

  @Override
  public Future<QueueCounts> counts() {
    return counts(0);
  }

  /** The counts, with the jobs started in the queue's rate window of {@code rateWindowMs} (0: not read). */
  public Future<QueueCounts> counts(long rateWindowMs) {
    List<String> k = new ArrayList<>(keys.stateSets());
    k.add(keys.meta());
    k.add(keys.stats());
    k.add(keys.fifo());
    k.add(keys.groupsKnown());
    k.add(keys.limiter());
    k.add(keys.specs());
    return Scripts.run(vq.redis(), Scripts.COUNTS, k, List.of(Long.toString(rateWindowMs), keys.jobPrefix())).map(r -> {
      Map<String, Long> totals = new LinkedHashMap<>();
      for (int i = 10; i + 1 < r.size(); i += 2) totals.put(r.get(i).toString(), r.get(i + 1).toLong());
      return new QueueCounts(name(), r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong(),
          r.get(4).toLong(), r.get(5).toInteger() == 1, r.get(6).toLong(), r.get(7).toLong(), r.get(8).toLong(),
          r.get(9).toLong(), totals);
    });
  }

  private Features.Schedules scheduleStore() {
    return vq.features().schedules().apply(vq.redis(), keys);
  }

  @Override
  public Future<JsonObject> schedule(String name, JsonObject spec) {
    try {
      return scheduleStore().put(name, spec, "api");
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    } catch (InvalidConfigException e) {
      return Future.failedFuture(VertiqException.invalid(String.join("; ", e.errors())));
    }
  }

  @Override
  public Future<io.vertx.core.json.JsonArray> schedules() {
    return scheduleStore().list();
  }

  @Override
  public Future<Boolean> unschedule(String name) {
    return Failures.attempt(() -> scheduleStore().remove(name));
  }

  @Override
  public Future<JsonObject> pauseSchedule(String name, boolean paused) {
    return Failures.attempt(() -> scheduleStore().setPaused(name, paused));
  }

  @Override
  public Future<EnqueueResult> triggerSchedule(String name) {
    return scheduleStore().job(name).compose(this::enqueue);
  }

  @Override
  public Future<JobState> promote(String id) {
    return change(id, "promote", "");
  }

  @Override
  public Future<JobState> setPriority(String id, int priority) {
    if (priority < NewJob.MIN_PRIORITY || priority > NewJob.MAX_PRIORITY) {
      return Future.failedFuture(VertiqException.invalid("priority: expected " + NewJob.MIN_PRIORITY + " to "
          + NewJob.MAX_PRIORITY + ", got " + priority));
    }
    return change(id, "priority", Integer.toString(priority));
  }

  @Override
  public Future<JobState> setRunAt(String id, long epochMs) {
    if (epochMs <= 0 || epochMs - System.currentTimeMillis() > Durations.MAX_MS) {
      return Future.failedFuture(VertiqException.invalid("runAt: expected epoch milliseconds after 1970 and at most "
          + Durations.format(Durations.MAX_MS) + " from now, got " + epochMs));
    }
    return change(id, "runAt", Long.toString(epochMs));
  }

  /** One changeJob-6.lua call; its error words become NOT_FOUND and CONFLICT naming the job. */
  private Future<JobState> change(String id, String what, String value) {
    if (id == null || !id.matches("\\d{1,19}")) return Future.failedFuture(VertiqException.notFound("job " + id + " not found in queue " + name()));
    return Scripts.run(vq.redis(), Scripts.CHANGE_JOB, List.of(keys.ready(), keys.delayed(), keys.active(), keys.fifo(),
        keys.specs(), keys.wake()), List.of(keys.jobPrefix(), id, what, value)).compose(r -> switch (r.toString()) {
          case "ready" -> Future.succeededFuture(JobState.READY);
          case "delayed" -> Future.succeededFuture(JobState.DELAYED);
          case "missing" -> Future.failedFuture(VertiqException.notFound("job " + id + " not found in queue " + name()));
          case "running" -> Future.failedFuture(new VertiqException(VertiqException.Code.CONFLICT, "job " + id
              + " of queue " + name() + " is running: it can be changed only while it waits"));
          case "waiting" -> Future.failedFuture(new VertiqException(VertiqException.Code.CONFLICT, "job " + id
              + " of queue " + name() + " is waiting for its children: it becomes ready once they have ended"));
          default -> Future.failedFuture(new VertiqException(VertiqException.Code.CONFLICT, "job " + id + " of queue "
              + name() + " is dead or completed: retry it (POST .../dead/retry) instead"));
        });
  }

  private Features.Groups groupStore() {
    return vq.features().groups().apply(vq.redis(), keys);
  }

  @Override
  public Future<JsonObject> groups(String cursor, int limit) {
    return Failures.attempt(() -> groupStore().page(cursor, limit));
  }

  @Override
  public Future<JsonObject> group(String name) {
    return Failures.attempt(() -> groupStore().get(name));
  }

  @Override
  public Future<JsonObject> pauseGroup(String name, boolean paused) {
    return Failures.attempt(() -> groupStore().setPaused(name, paused));
  }

  @Override
  public Future<List<JsonObject>> recentFailures(int limit) {
    return vq.redis().send(Request.cmd(Command.LRANGE).arg(keys.failures()).arg(0).arg(Math.max(0, limit - 1)))
        .map(r -> {
          List<JsonObject> out = new ArrayList<>();
          for (Response e : r) {
            String[] p = e.toString().split("\\|", 3);
            if (p.length == 3) out.add(new JsonObject().put("id", p[0]).put("at", Long.parseLong(p[1])).put("error", p[2]));
          }
          return out;
        });
  }
}
