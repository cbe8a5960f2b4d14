package io.vertiq;

import io.vertiq.redis.CompletedRecord;
import io.vertiq.redis.PlainSpec;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/**
 * A job as stored in Redis: what to run (name, payload), how (priority, attempts, timeout, unique key) and what
 * happened (state, attempts made, times, last error, result, progress). Times are epoch milliseconds from the
 * Redis clock; 0 when not reached. The payload is parsed on first use, so handlers that ignore it pay nothing.
 */
public final class Job {
  private final String id;
  private final String queue;
  private final String name;
  private final String payloadText;
  private JsonObject payload;
  private final int priority;
  private final int attemptsMade;
  private final String retry;
  private final long timeoutMs;
  private final String uniqueKey;
  private final long createdAt;
  private final long runAt;
  private final long startedAt;
  private final long finishedAt;
  private final int stalls;
  private final String error;
  private final String errorTrace;
  private final String resultText;
  private final String progressText;
  private final JobState state;
  private Function<Object, Future<Void>> progressSink;

  private Job(String id, String queue, JobState state, String name, String payloadText, int priority, int attemptsMade,
      String retry, long timeoutMs, String uniqueKey, long createdAt, long runAt, long startedAt, long finishedAt,
      int stalls, String error, String errorTrace, String resultText, String progressText) {
    this.id = id;
    this.queue = queue;
    this.state = state;
    this.name = name == null ? "" : name;
    this.payloadText = payloadText == null ? "{}" : payloadText;
    this.priority = priority;
    this.attemptsMade = attemptsMade;
    this.retry = retry;
    this.timeoutMs = timeoutMs;
    this.uniqueKey = uniqueKey;
    this.createdAt = createdAt;
    this.runAt = runAt;
    this.startedAt = startedAt;
    this.finishedAt = finishedAt;
    this.stalls = stalls;
    this.error = error;
    this.errorTrace = errorTrace;
    this.resultText = resultText;
    this.progressText = progressText;
  }

  /** A job just reserved by a worker, from the fields the fetch script returns (internal; no map per job). */
  public static Job fetched(String queue, String id, int attempt, String name, String payload, String retry,
      String timeout, String created, String priority, String stalls, String uniqueKey, long startedAt) {
    return new Job(id, queue, JobState.ACTIVE, name, payload, (int) num(priority), attempt, retry, num(timeout), uniqueKey,
        num(created), 0, startedAt, 0, (int) num(stalls), null, null, null, null);
  }

  /** A plain new job just reserved (see {@link PlainSpec}): its first run, every option at the queue's default. */
  public static Job fetchedPlain(String queue, PlainSpec spec, long startedAt) {
    return new Job(spec.id(), queue, JobState.ACTIVE, spec.name(), spec.payload(), 0, 1, null, 0, null, spec.created(),
        0, startedAt, 0, 0, null, null, null, null);
  }

  /** A job read back from its Redis hash (internal: used by the queue implementation). */
  public static Job fromHash(String queue, String id, JobState state, Map<String, String> h) {
    // The hash is written when a run ends: a running job's current run is one attempt more, and the start and
    // finish times there are its previous run's, so they are left out while it runs.
    boolean running = state == JobState.ACTIVE;
    // a completed run is one field (CompletedRecord); fields am, st of an earlier failed run may still be there
    String completedText = h.get(CompletedRecord.FIELD);
    CompletedRecord completed = completedText == null ? null : CompletedRecord.parse(completedText);
    int attempts = completed != null ? (int) completed.attempts() : (int) num(h.get("am")) + (running ? 1 : 0);
    long startedAt = completed != null ? completed.startedAt() : running ? 0 : num(h.get("st"));
    String result = completed != null ? completed.resultJson() : h.get("res");
    // a plain job keeps name, payload and created time in its one spec field
    String specText = h.get(PlainSpec.FIELD);
    PlainSpec spec = specText == null ? null : PlainSpec.parse(specText);
    String name = spec == null ? h.get("n") : spec.name();
    String payload = spec == null ? h.get("d") : spec.payload();
    long created = spec == null ? num(h.get("ct")) : spec.created();
    return new Job(id, queue, state, name, payload, (int) num(h.get("p")), attempts, h.get("r"),
        num(h.get("to")), h.get("uk"), created, num(h.get("ra")), startedAt, running ? 0 : num(h.get("ft")),
        (int) num(h.get("sc")), h.get("e"), h.get("et"), result, h.get("pg"));
  }

  private static long num(String s) {
    if (s == null || s.isEmpty()) return 0;
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return (long) Double.parseDouble(s);
    }
  }

  public String id() { return id; }
  public String queue() { return queue; }
  public String name() { return name; }
  public int priority() { return priority; }
  /** Runs started so far, this one included when the job is running. */
  public int attemptsMade() { return attemptsMade; }
  /** The job's own retry policy in its stored form, or null to use the queue's. */
  public String retryPolicy() { return retry; }
  /** The job's own timeout in ms, or 0 to use the queue's. */
  public long timeoutMs() { return timeoutMs; }
  public String uniqueKey() { return uniqueKey; }
  public long createdAt() { return createdAt; }
  public long runAt() { return runAt; }
  public long startedAt() { return startedAt; }
  public long finishedAt() { return finishedAt; }
  /** Times this job's lease expired while it ran (its worker died or hung). */
  public int stalls() { return stalls; }
  public String error() { return error; }
  public String errorTrace() { return errorTrace; }
  public JobState state() { return state; }
  /** The payload as JSON text, exactly as enqueued. */
  public String payloadText() { return payloadText; }

  public JsonObject payload() {
    if (payload == null) payload = new JsonObject(payloadText);
    return payload;
  }

  /** The handler's result, decoded from JSON, or null. */
  public Object result() {
    return resultText == null ? null : Json.decodeValue(resultText);
  }

  public Object progressValue() {
    return progressText == null ? null : Json.decodeValue(progressText);
  }

  /** Records progress of a running job (a number, or any JSON value) and publishes a progress event. */
  public Future<Void> progress(Object value) {
    if (progressSink == null) return Future.failedFuture(new IllegalStateException("job " + id + " is not running"));
    return progressSink.apply(value);
  }

  /** Internal: the worker running this job wires its progress reporting here. */
  public Job withProgressSink(Function<Object, Future<Void>> sink) {
    this.progressSink = sink;
    return this;
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("id", id).put("queue", queue).put("name", name)
        .put("state", state == null ? null : state.id())
        .put("payload", payload())
        .put("priority", priority).put("attemptsMade", attemptsMade).put("stalls", stalls)
        .put("createdAt", createdAt);
    if (runAt > 0) j.put("runAt", runAt);
    if (startedAt > 0) j.put("startedAt", startedAt);
    if (finishedAt > 0) j.put("finishedAt", finishedAt);
    if (timeoutMs > 0) j.put("timeoutMs", timeoutMs);
    if (retry != null) j.put("retryPolicy", retry);
    if (uniqueKey != null) j.put("uniqueKey", uniqueKey);
    if (error != null) j.put("error", new JsonObject().put("message", error).put("trace", errorTrace));
    if (resultText != null) j.put("result", result());
    if (progressText != null) j.put("progress", progressValue());
    return j;
  }
}
