package io.vertiq.core;

import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.config.Durations;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  QueueAdmin(VertiqImpl vq, Keys keys, LifecycleEvents events) {
    this.vq = vq;
    this.keys = keys;
    this.events = events;
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
    return Scripts.run(
            vq.redis(),
            Scripts.SIGNAL,
            List.of(
                keys.job(id),
                keys.delayed(),
                keys.ready(),
                keys.specs(),
                keys.wake(),
                keys.completed(),
                keys.dead()),
            List.of(keys.jobPrefix(), id, name, json))
        .compose(
            r ->
                switch (r.toString()) {
                  case "missing" -> Future.failedFuture(notFound(id));
                  case "finished" ->
                      Future.failedFuture(conflict(id, "has finished: it waits for no signal"));
                  default -> Future.succeededFuture(r.toString());
                });
  }

  public Future<JobState> cancel(String id) {
    return Scripts.run(
            vq.redis(),
            Scripts.REMOVE,
            removeKeys(id),
            List.of(
                id,
                keys.jobPrefix(),
                "cancel",
                Keys.cancelChannel(keys.prefix()),
                name() + "\0" + id))
        .compose(
            r -> {
              // a waiting job's cancel is its end here (a running one's is published by the worker
              // that ends its run)
              if (r.toInteger() == 1 || r.toInteger() == 3 || r.toInteger() == 4)
                events.job("cancelled", id, new JsonObject());
              return Future.succeededFuture(r);
            })
        .compose(
            r ->
                switch (r.toInteger()) {
                  case 1 -> Future.succeededFuture(JobState.READY);
                  case 3 -> Future.succeededFuture(JobState.DELAYED);
                  case 4 -> Future.succeededFuture(JobState.WAITING);
                  case 2 -> Future.succeededFuture(JobState.ACTIVE);
                  case 0 -> Future.failedFuture(notFound(id));
                  default ->
                      Future.failedFuture(conflict(id, "has finished; there is nothing to cancel"));
                });
  }

  public Future<Boolean> remove(String id) {
    return Scripts.run(
            vq.redis(), Scripts.REMOVE, removeKeys(id), List.of(id, keys.jobPrefix(), "", "", ""))
        .compose(
            r ->
                r.toInteger() >= 0
                    ? Future.succeededFuture(r.toInteger() == 1)
                    : Future.failedFuture(
                        conflict(id, "is running; remove it once it has finished")));
  }

  public Future<Long> retryDead(List<String> ids) {
    List<String> args = new ArrayList<>(ids.size() + 2);
    args.add(keys.jobPrefix());
    args.add("1000");
    args.addAll(ids);
    Future<Long> once =
        Scripts.run(
                vq.redis(),
                Scripts.RETRY_DEAD,
                List.of(keys.dead(), keys.ready(), keys.stats(), keys.wake(), keys.specs()),
                args)
            .map(Response::toLong);
    if (!ids.isEmpty()) return once;
    // "all": repeat in batches of 1000, so one call never holds Redis for long
    return once.compose(n -> n < 1000 ? Future.succeededFuture(n) : retryDead(ids).map(m -> n + m));
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
    String set = state == JobState.DEAD ? keys.dead() : keys.completed();
    // in calls of 1,000, one after another, so none holds Redis for long
    return Scripts.run(
            vq.redis(),
            Scripts.CLEAR_FINISHED,
            List.of(set, keys.specs(), keys.done()),
            List.of(keys.jobPrefix(), "1000", Long.toString(olderThanMs)))
        .map(Response::toLong)
        .compose(
            n -> n < 1000 ? Future.succeededFuture(n) : clean(state, olderThanMs).map(m -> n + m));
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
    return change(id, "promote", "");
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
    return change(id, "priority", Integer.toString(priority));
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
    return change(id, "runAt", Long.toString(epochMs));
  }

  /** One changeJob-6.lua call; its error words become NOT_FOUND and CONFLICT naming the job. */
  private Future<JobState> change(String id, String what, String value) {
    if (id == null || !id.matches("\\d{1,19}")) return Future.failedFuture(notFound(id));
    return Scripts.run(
            vq.redis(),
            Scripts.CHANGE_JOB,
            List.of(
                keys.ready(),
                keys.delayed(),
                keys.active(),
                keys.fifo(),
                keys.specs(),
                keys.wake()),
            List.of(keys.jobPrefix(), id, what, value))
        .compose(
            r ->
                switch (r.toString()) {
                  case "ready" -> Future.succeededFuture(JobState.READY);
                  case "delayed" -> Future.succeededFuture(JobState.DELAYED);
                  case "missing" -> Future.failedFuture(notFound(id));
                  case "running" ->
                      Future.failedFuture(
                          conflict(id, "is running: it can be changed only while it waits"));
                  case "waiting" ->
                      Future.failedFuture(
                          conflict(
                              id,
                              "is waiting for its children: it becomes ready once they have ended"));
                  default ->
                      Future.failedFuture(
                          conflict(
                              id, "is dead or completed: retry it (POST .../dead/retry) instead"));
                });
  }
}
