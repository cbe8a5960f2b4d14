package io.vertiq.core;

import io.vertiq.RetryLater;
import io.vertiq.VertiqException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * A job's durable state and calls: the results of its finished steps and the signals sent to it
 * (fields "sr:<step>" and "sg:<signal>" of its hash, read with the job at its fetch), and the calls
 * a handler makes on them. A step runs its work once; a sleep and a wait for a signal park the job
 * (the run ends as deferred: no worker slot, no attempt) and record themselves as steps, so that
 * the next run, which starts from the top, passes them at once.
 */
final class Durable {
  /** Field prefixes: a step's result, a signal's data. */
  static final String STEP = JobFields.STEP;

  static final String SIGNAL = JobFields.SIGNAL;

  /** A step's name that a sleep records: "sleep#1" for a run's first sleep. */
  private static final String SLEEP = "sleep#";

  /** A step's name that a wait for a signal records: "wait:<signal>". */
  private static final String WAIT = "wait:";

  private final JobImpl job;
  private Map<String, String> fields;
  private int sleeps;

  Durable(JobImpl job) {
    this.job = job;
  }

  void fields(Map<String, String> fields) {
    this.fields = fields;
  }

  private String field(String name) {
    return fields == null ? null : fields.get(name);
  }

  private void put(String name, String json) {
    if (fields == null) fields = new HashMap<>();
    fields.put(name, json);
  }

  private JsonObject withPrefix(String prefix) {
    JsonObject out = new JsonObject();
    if (fields != null) {
      fields.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), Json.decodeValue(v));
          });
    }
    return out;
  }

  JsonObject steps() {
    return withPrefix(STEP);
  }

  JsonObject signals() {
    return withPrefix(SIGNAL);
  }

  private static Future<Void> badName(String what, String name) {
    return name == null || name.isEmpty() || name.length() > RunMessages.StepResult.MAX_NAME
        ? Future.failedFuture(
            VertiqException.invalid(
                what + " name: expected 1 to " + RunMessages.StepResult.MAX_NAME + " characters"))
        : null;
  }

  Future<Object> step(String name, Supplier<Future<?>> work) {
    Future<Void> bad = badName("step", name);
    if (bad != null) return bad.map(v -> null);
    String stored = field(STEP + name);
    if (stored != null) return Future.succeededFuture(Json.decodeValue(stored)); // an earlier run's
    if (job.sink() == null) return notRunning();
    Future<?> ran;
    try {
      ran = work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (ran == null)
      return Future.failedFuture("step " + name + ": the work returned null instead of a Future");
    return ran.compose(
        result -> {
          String json;
          try {
            json = Json.encode(result);
          } catch (RuntimeException e) {
            return Future.failedFuture(
                VertiqException.invalid(
                    "step " + name + ": its result is not JSON: " + e.getMessage()));
          }
          return job.sink()
              .apply(new RunMessages.StepResult(name, json))
              .map(
                  v -> {
                    put(STEP + name, json); // the same run asking again gets it at once too
                    return Json.decodeValue(json);
                  });
        });
  }

  /**
   * A durable sleep: the run's n-th sleep is a step of its own ("sleep#n"). The first time, it is
   * recorded and the run ends as deferred for the duration (its slot free, no attempt used); the
   * run after it, from the top, finds the step and passes the sleep at once.
   */
  Future<Void> sleep(Duration duration) {
    String name = SLEEP + (++sleeps);
    if (field(STEP + name) != null) return Future.succeededFuture(); // slept already
    if (job.sink() == null) return notRunning();
    long ms = Math.max(1, duration.toMillis());
    return step(name, () -> Future.succeededFuture(ms))
        .compose(v -> Future.failedFuture(RetryLater.in(duration)));
  }

  /**
   * Waits for a signal: {"signal", "received": true, "data"} once it was sent (before the wait, or
   * during it: the job is made ready at once), or {"signal", "received": false} when the timeout
   * passed first. The first time, the job is parked (the run ends as deferred until the timeout,
   * its slot free, no attempt used); the run after it, from the top, returns at once.
   */
  Future<JsonObject> waitFor(String signal, Duration timeout) {
    Future<Void> bad = badName("signal", signal);
    if (bad != null) return bad.map(v -> null);
    String data = field(SIGNAL + signal);
    if (data != null) return Future.succeededFuture(received(signal, data));
    if (field(STEP + WAIT + signal) != null) {
      // this job waited for it before and came back without it: its timeout passed
      return Future.succeededFuture(new JsonObject().put("signal", signal).put("received", false));
    }
    if (job.sink() == null) return notRunning();
    Promise<JsonObject> answer = Promise.promise();
    long ms = Math.max(1, timeout.toMillis());
    return job.sink()
        .apply(new RunMessages.AwaitSignal(signal, ms, answer))
        .compose(v -> answer.future())
        .compose(
            a ->
                a.containsKey("data")
                    ? Future.succeededFuture(received(signal, a.getString("data")))
                    : Future.failedFuture(RetryLater.in(Duration.ofMillis(a.getLong("parkMs")))));
  }

  /** The cursor the job's last checkpoint stored, or null. */
  Object cursor() {
    String text = field(JobFields.CURSOR);
    return text == null ? null : Json.decodeValue(text);
  }

  Future<Void> checkpoint(Object cursor) {
    if (job.sink() == null) return notRunning();
    String json;
    try {
      json = Json.encode(cursor);
    } catch (RuntimeException e) {
      return Future.failedFuture(VertiqException.invalid("cursor: not JSON: " + e.getMessage()));
    }
    return job.sink()
        .apply(new RunMessages.Checkpoint(json))
        .map(
            v -> {
              put(JobFields.CURSOR, json);
              return null;
            });
  }

  /**
   * The iteration helper (see Job#iterate): items one after another, a checkpoint every {@code
   * every} items, a stop or a cancel noticed between two items. Items that complete at once are
   * walked in a loop, not by recursion, so a long range of quick items does not grow the stack.
   */
  Future<Void> iterate(long from, long to, int every, LongFunction<Future<?>> item) {
    if (every < 1)
      return Future.failedFuture(
          VertiqException.invalid("every: expected at least 1, got " + every));
    Object stored = cursor();
    long start = stored instanceof Number n ? Math.max(from, n.longValue()) : from;
    Promise<Void> done = Promise.promise();
    new Walk(from, to, every, item, done).from(start, 0);
    return done.future();
  }

  /** One iteration's walk over its range. */
  private final class Walk {
    private final long first;
    private final long to;
    private final int every;
    private final LongFunction<Future<?>> item;
    private final Promise<Void> done;

    Walk(long first, long to, int every, LongFunction<Future<?>> item, Promise<Void> done) {
      this.first = first;
      this.to = to;
      this.every = every;
      this.item = item;
      this.done = done;
    }

    /** Walks from item {@code start}, {@code sinceCheckpoint} items after the last checkpoint. */
    void from(long start, int sinceCheckpoint) {
      long i = start;
      int since = sinceCheckpoint;
      while (true) {
        if (i >= to) {
          save(to).onSuccess(v -> done.tryComplete()).onFailure(done::tryFail);
          return;
        }
        if (job.isCancelled()) {
          done.tryFail("cancelled");
          return;
        }
        if (job.isStopping()) {
          // back to ready from here, without using an attempt: the next run starts at item i
          save(i).onComplete(v -> done.tryFail(RetryLater.in(Duration.ZERO)));
          return;
        }
        Future<?> f;
        try {
          f = item.apply(i);
        } catch (RuntimeException e) {
          f = Future.failedFuture(e);
        }
        long next = i + 1;
        int nowSince = since + 1;
        if (!f.isComplete()) {
          f.onComplete(ar -> after(ar.failed() ? ar.cause() : null, next, nowSince));
          return;
        }
        if (f.failed() || nowSince >= every) {
          after(f.cause(), next, nowSince);
          return;
        }
        i = next;
        since = nowSince;
      }
    }

    private void after(Throwable failed, long next, int since) {
      if (failed != null) {
        done.tryFail(
            failed); // the cursor stays at the last checkpoint: the retry repeats from there
        return;
      }
      if (since >= every) save(next).onSuccess(v -> from(next, 0)).onFailure(done::tryFail);
      else from(next, since);
    }

    private Future<Void> save(long at) {
      long span = Math.max(1, to - first);
      return checkpoint(at).compose(v -> job.progress(Math.min(100, (at - first) * 100 / span)));
    }
  }

  private static JsonObject received(String signal, String data) {
    return new JsonObject()
        .put("signal", signal)
        .put("received", true)
        .put("data", Json.decodeValue(data));
  }

  private <T> Future<T> notRunning() {
    return Future.failedFuture(new IllegalStateException("job " + job.id() + " is not running"));
  }
}
