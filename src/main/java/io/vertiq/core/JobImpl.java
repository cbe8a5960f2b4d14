package io.vertiq.core;

import io.vertiq.Job;
import io.vertiq.JobState;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The job values {@link JobCodec} reads from Redis, and the running job a worker hands its handler
 * (which then carries the run's progress sink). The payload is parsed on first use, so handlers
 * that ignore it pay nothing.
 */
public final class JobImpl implements Job {
  /** The stored values, as {@link JobCodec} named them; read only from here on. */
  private final JobBuilder v;

  private JsonObject payload;
  private Function<Object, Future<Void>> progressSink;

  /** A job as {@code b} describes it (see {@link JobBuilder}). */
  JobImpl(JobBuilder b) {
    this.v = b;
  }

  public String id() {
    return v.id;
  }

  public String queue() {
    return v.queue;
  }

  public String name() {
    return v.name == null ? "" : v.name;
  }

  public int priority() {
    return v.priority;
  }

  /** Runs started so far, this one included when the job is running. */
  public int attemptsMade() {
    return v.attemptsMade;
  }

  /**
   * The job's own retry policy as stored (see {@link JobCodec#retry}), or null to use the queue's.
   */
  public String retryText() {
    return v.retry;
  }

  @Override
  public Integer attempts() {
    return StoredRetry.attempts(v.retry);
  }

  @Override
  public JsonObject backoff() {
    return StoredRetry.backoff(v.retry);
  }

  /** The job's own timeout in ms, or 0 to use the queue's. */
  public long timeoutMs() {
    return v.timeoutMs;
  }

  public String uniqueKey() {
    return v.uniqueKey;
  }

  public long createdAt() {
    return v.createdAt;
  }

  public long runAt() {
    return v.runAt;
  }

  public long startedAt() {
    return v.startedAt;
  }

  public long finishedAt() {
    return v.finishedAt;
  }

  /** Times this job's lease expired while it ran (its worker died or hung). */
  public int stalls() {
    return v.stalls;
  }

  public String error() {
    return v.error;
  }

  public String errorTrace() {
    return v.errorTrace;
  }

  public JobState state() {
    return v.state;
  }

  /** The payload as JSON text, exactly as enqueued. */
  public String payloadText() {
    return v.payloadText == null ? "{}" : v.payloadText;
  }

  public JsonObject payload() {
    if (payload == null) payload = new JsonObject(payloadText());
    return payload;
  }

  /** The handler's result, decoded from JSON, or null. */
  public Object result() {
    return v.resultText == null ? null : Json.decodeValue(v.resultText);
  }

  public Object progressValue() {
    return v.progressText == null ? null : Json.decodeValue(v.progressText);
  }

  /** The flow parent's queue and id when this job is a flow's child, else null. */
  public String parentQueue() {
    return v.flow == null ? null : v.flow.parentQueue;
  }

  public String parentId() {
    return v.flow == null ? null : v.flow.parentId;
  }

  @Override
  public JsonObject childrenResults() {
    return v.flow == null ? new JsonObject() : v.flow.results.copy();
  }

  /**
   * A flow parent's children as {"queue", "id"}, in the order they were given (empty for any other
   * job).
   */
  public JsonArray children() {
    return v.flow == null ? new JsonArray() : v.flow.children.copy();
  }

  /** The trace context the job was enqueued in (null: none), which its runs' spans continue. */
  public String traceParent() {
    return v.traceParent;
  }

  @Override
  public String group() {
    return v.group;
  }

  @Override
  public int deferrals() {
    return v.deferrals;
  }

  @Override
  public JsonArray history() {
    return v.history == null ? new JsonArray() : v.history.copy();
  }

  @Override
  public JsonArray logs() {
    return v.logsText == null ? new JsonArray() : new JsonArray(v.logsText);
  }

  /**
   * Records progress of a running job (a number, or any JSON value) and publishes a progress event.
   */
  public Future<Void> progress(Object value) {
    if (progressSink == null) return notRunning();
    return progressSink.apply(value);
  }

  @Override
  public Future<Void> log(String line) {
    if (progressSink == null) return notRunning();
    int max = RunMessages.LogLine.MAX_CHARS;
    String text = line == null ? "null" : line.length() > max ? line.substring(0, max) : line;
    return progressSink.apply(new RunMessages.LogLine(text));
  }

  private <T> Future<T> notRunning() {
    return Future.failedFuture(new IllegalStateException("job " + v.id + " is not running"));
  }

  /** The worker running this job wires its progress reporting here. */
  public JobImpl withProgressSink(Function<Object, Future<Void>> sink) {
    this.progressSink = sink;
    return this;
  }

  /** The run's sink, for the durable calls (null outside a run). */
  Function<Object, Future<Void>> sink() {
    return progressSink;
  }

  /**
   * The job's steps and signals, and the durable calls on them (see {@link Durable}): made on first
   * use, so a job whose handler uses none costs no object more.
   */
  private Durable durable;

  private Durable durable() {
    if (durable == null) durable = new Durable(this);
    return durable;
  }

  /**
   * The steps' results and signals among the job's fields, by field ("sr:<step>", "sg:<signal>").
   */
  public JobImpl withSteps(Map<String, String> fields) {
    if (fields != null) durable().fields(fields);
    return this;
  }

  @Override
  public JsonObject steps() {
    return durable().steps();
  }

  @Override
  public Future<Object> step(String name, Supplier<Future<?>> work) {
    return durable().step(name, work);
  }

  @Override
  public Future<Void> sleep(Duration duration) {
    return durable().sleep(duration);
  }

  @Override
  public Future<JsonObject> waitFor(String signal, Duration timeout) {
    return durable().waitFor(signal, timeout);
  }

  @Override
  public Future<Void> checkpoint(Object cursor) {
    return durable().checkpoint(cursor);
  }

  @Override
  public Object cursor() {
    return durable().cursor();
  }

  @Override
  public Future<Void> iterate(long from, long to, int every, LongFunction<Future<?>> item) {
    return durable().iterate(from, to, every, item);
  }

  /**
   * Set by the worker when it stops: a long job should stop between two items (see {@link
   * #iterate}).
   */
  private volatile boolean stopping;

  public void signalStopping() {
    stopping = true;
  }

  @Override
  public boolean isStopping() {
    return stopping;
  }

  private final CancelSignal cancel = new CancelSignal();

  @Override
  public Future<Void> cancelled() {
    return cancel.future();
  }

  @Override
  public boolean isCancelled() {
    return cancel.seen();
  }

  /** Tells the handler its run was cancelled (the worker, when the cancel reaches it). */
  public void signalCancel() {
    cancel.signal();
  }

  public JsonObject toJson() {
    return JobJson.of(this);
  }

  // what JobJson shows beside the public values
  String logsText() {
    return v.logsText;
  }

  long uniqueForMs() {
    return v.uniqueForMs;
  }

  JobFlow flow() {
    return v.flow;
  }

  String resultText() {
    return v.resultText;
  }

  String progressText() {
    return v.progressText;
  }

  /** The durable calls' state when a call made it, else null (a job without steps). */
  Durable durableIfAny() {
    return durable;
  }
}
