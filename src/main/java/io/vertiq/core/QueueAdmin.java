package io.vertiq.core;

import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.config.Durations;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.redis.ChangeJob;
import io.vertiq.redis.ClearFinished;
import io.vertiq.redis.Keys;
import io.vertiq.redis.RemoveJob;
import io.vertiq.redis.RetryDead;
import io.vertiq.redis.Scripts;
import io.vertiq.redis.SignalJob;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One queue's admin actions on jobs: cancel, delete, retry the dead, clean, pause and resume, and
 * steering a waiting job (promote, priority, run-at). Each is one script call; its status words
 * become errors naming the job.
 */
final class QueueAdmin {
  private final VertiqImpl vq;
  private final Keys keys;
  private final LifecycleEvents events;
  private final RemoveJob removals;
  private final SignalJob signals;
  private final ChangeJob changes;

  QueueAdmin(VertiqImpl vq, Keys keys, LifecycleEvents events) {
    this.vq = vq;
    this.keys = keys;
    this.events = events;
    this.removals = new RemoveJob(keys);
    this.signals = new SignalJob(keys);
    this.changes = new ChangeJob(keys);
  }

  private String name() {
    return keys.queue();
  }

  private VertiqException notFound(String id) {
    return VertiqException.notFound("job " + id + " not found in queue " + name());
  }

  /** CONFLICT naming the job and its queue: "job 7 of queue mail <why>". */
  private VertiqException conflict(String id, String why) {
    return new VertiqException(
        VertiqException.Code.CONFLICT, "job " + id + " of queue " + name() + " " + why);
  }

  /** The keys of removeJob-14.lua for one job. */

  /** A signal's name: as a queue's. */
  private static final Pattern SIGNAL_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public Future<String> signal(String id, String name, Object data) {
    if (name == null || !SIGNAL_NAME.matcher(name).matches()) {
      return Future.failedFuture(
          VertiqException.invalid(
              "signal name: expected 1 to 128 characters of A-Z a-z 0-9 . _ : -, got "
                  + (name == null
                      ? "null"
                      : name.length() > 140 ? name.length() + " characters" : "\"" + name + "\"")));
    }
    if (id == null || !id.matches("\\d{1,19}")) return Future.failedFuture(notFound(id));
    String json;
    try {
      json = Json.encode(data);
    } catch (RuntimeException e) {
      return Future.failedFuture(
          VertiqException.invalid("signal data: not JSON: " + e.getMessage()));
    }
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > vq.maxPayloadBytes()) {
      return Future.failedFuture(
          new VertiqException(
              VertiqException.Code.PAYLOAD_TOO_LARGE,
              "signal data: "
                  + bytes
                  + " bytes, over the limit of jobs.maxPayloadBytes ("
                  + vq.maxPayloadBytes()
                  + ")"));
    }
    return signals
        .run(vq.redis(), id, name, json)
        .compose(
            o ->
                switch (o) {
                  case MISSING -> Future.failedFuture(notFound(id));
                  case FINISHED ->
                      Future.failedFuture(conflict(id, "has finished: it waits for no signal"));
                  default -> Future.succeededFuture(o.name().toLowerCase(Locale.ROOT));
                });
  }

  public Future<JobState> cancel(String id) {
    return removals
        .cancel(vq.redis(), id)
        .compose(
            o -> {
              // a waiting job's cancel is its end here (a running one's is published by the worker
              // that ends its run)
              if (o == RemoveJob.Outcome.DELETED
                  || o == RemoveJob.Outcome.DELETED_DELAYED
                  || o == RemoveJob.Outcome.DELETED_WAITING)
                events.job("cancelled", id, new JsonObject());
              return switch (o) {
                case DELETED -> Future.succeededFuture(JobState.READY);
                case DELETED_DELAYED -> Future.succeededFuture(JobState.DELAYED);
                case DELETED_WAITING -> Future.succeededFuture(JobState.WAITING);
                case CANCEL_SENT -> Future.succeededFuture(JobState.ACTIVE);
                case MISSING -> Future.failedFuture(notFound(id));
                default ->
                    Future.failedFuture(conflict(id, "has finished; there is nothing to cancel"));
              };
            });
  }

  public Future<Boolean> remove(String id) {
    return removals
        .delete(vq.redis(), id)
        .compose(
            o ->
                o == RemoveJob.Outcome.RUNNING
                    ? Future.failedFuture(
                        conflict(id, "is running; remove it once it has finished"))
                    : Future.succeededFuture(o == RemoveJob.Outcome.DELETED));
  }

  public Future<Long> retryDead(List<String> ids) {
    Future<Long> once = new RetryDead(keys).run(vq.redis(), ids);
    if (!ids.isEmpty()) return once;
    // "all": repeat in batches, so one call never holds Redis for long
    return once.compose(
        n -> n < RetryDead.MOST ? Future.succeededFuture(n) : retryDead(ids).map(m -> n + m));
  }

  public Future<Long> clearDead() {
    return clean(JobState.DEAD, 0);
  }

  public Future<Long> clean(JobState state, long olderThanMs) {
    if (state != JobState.COMPLETED && state != JobState.DEAD) {
      return Future.failedFuture(
          VertiqException.invalid(
              "state: expected completed or dead, got " + (state == null ? null : state.id())));
    }
    if (olderThanMs < 0 || olderThanMs > Durations.MAX_MS) {
      return Future.failedFuture(
          VertiqException.invalid("olderThan: expected 0 to 365 days, got " + olderThanMs + "ms"));
    }
    // in calls of a bounded size, one after another, so none holds Redis for long
    return new ClearFinished(keys)
        .run(vq.redis(), state == JobState.DEAD, olderThanMs)
        .compose(
            n ->
                n < ClearFinished.MOST
                    ? Future.succeededFuture(n)
                    : clean(state, olderThanMs).map(m -> n + m));
  }

  public Future<Void> pause() {
    return setPaused(true);
  }

  public Future<Void> resume() {
    return setPaused(false);
  }

  private Future<Void> setPaused(boolean paused) {
    return Scripts.run(
            vq.redis(),
            Scripts.SET_PAUSED,
            List.of(keys.meta(), keys.wake()),
            List.of(paused ? "1" : "0"))
        .mapEmpty();
  }

  public Future<JobState> promote(String id) {
    return change(id, redis -> changes.promote(redis, id));
  }

  public Future<JobState> setPriority(String id, int priority) {
    if (priority < NewJob.MIN_PRIORITY || priority > NewJob.MAX_PRIORITY) {
      return Future.failedFuture(
          VertiqException.invalid(
              "priority: expected "
                  + NewJob.MIN_PRIORITY
                  + " to "
                  + NewJob.MAX_PRIORITY
                  + ", got "
                  + priority));
    }
    return change(id, redis -> changes.priority(redis, id, priority));
  }

  public Future<JobState> setRunAt(String id, long epochMs) {
    if (epochMs <= 0 || epochMs - System.currentTimeMillis() > Durations.MAX_MS) {
      return Future.failedFuture(
          VertiqException.invalid(
              "runAt: expected epoch milliseconds after 1970 and at most "
                  + Durations.format(Durations.MAX_MS)
                  + " from now, got "
                  + epochMs));
    }
    return change(id, redis -> changes.runAt(redis, id, epochMs));
  }

  /** One changeJob-6.lua call; its refusals become NOT_FOUND and CONFLICT naming the job. */
  private Future<JobState> change(String id, Function<Redis, Future<ChangeJob.Outcome>> call) {
    if (id == null || !id.matches("\\d{1,19}")) return Future.failedFuture(notFound(id));
    return call.apply(vq.redis())
        .compose(
            o ->
                switch (o) {
                  case READY -> Future.succeededFuture(JobState.READY);
                  case DELAYED -> Future.succeededFuture(JobState.DELAYED);
                  case MISSING -> Future.failedFuture(notFound(id));
                  case RUNNING ->
                      Future.failedFuture(
                          conflict(id, "is running: it can be changed only while it waits"));
                  case WAITING ->
                      Future.failedFuture(
                          conflict(
                              id,
                              "is waiting for its children: it becomes ready once they have ended"));
                  case FINISHED ->
                      Future.failedFuture(
                          conflict(
                              id, "is dead or completed: retry it (POST .../dead/retry) instead"));
                });
  }
}
