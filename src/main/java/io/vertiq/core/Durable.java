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
  static final String STEP = JobCodec.STEP;

  static final String SIGNAL = JobCodec.SIGNAL;

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
    return name == null || name.isEmpty() || name.length() > JobImpl.StepResult.MAX_NAME
        ? Future.failedFuture(
            VertiqException.invalid(
                what + " name: expected 1 to " + JobImpl.StepResult.MAX_NAME + " characters"))
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
              .apply(new JobImpl.StepResult(name, json))
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
        .apply(new JobImpl.AwaitSignal(signal, ms, answer))
        .compose(v -> answer.future())
        .compose(
            a ->
                a.containsKey("data")
                    ? Future.succeededFuture(received(signal, a.getString("data")))
                    : Future.failedFuture(RetryLater.in(Duration.ofMillis(a.getLong("parkMs")))));
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
