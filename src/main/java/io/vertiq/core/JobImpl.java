package io.vertiq.core;

import io.vertiq.Job;
import io.vertiq.JobState;
import io.vertiq.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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

  /** A job as {@code b} describes it (see {@link JobBuilder}). */
  JobImpl(JobBuilder b) {
    this.id = b.id;
    this.queue = b.queue;
    this.state = b.state;
    this.name = b.name == null ? "" : b.name;
    this.payloadText = b.payloadText == null ? "{}" : b.payloadText;
    this.priority = b.priority;
    this.attemptsMade = b.attemptsMade;
    this.retry = b.retry;
    this.timeoutMs = b.timeoutMs;
    this.uniqueKey = b.uniqueKey;
    this.createdAt = b.createdAt;
    this.runAt = b.runAt;
    this.startedAt = b.startedAt;
    this.finishedAt = b.finishedAt;
    this.stalls = b.stalls;
    this.error = b.error;
    this.errorTrace = b.errorTrace;
    this.resultText = b.resultText;
    this.progressText = b.progressText;
  }

  public String id() {
    return id;
  }

  public String queue() {
    return queue;
  }

  public String name() {
    return name;
  }

  public int priority() {
    return priority;
  }

  /** Runs started so far, this one included when the job is running. */
  public int attemptsMade() {
    return attemptsMade;
  }

  /**
   * The job's own retry policy as stored (see {@link JobCodec#retry}), or null to use the queue's.
   */
  public String retryText() {
    return retry;
  }

  @Override
  public Integer attempts() {
    return StoredRetry.attempts(retry);
  }

  @Override
  public JsonObject backoff() {
    return StoredRetry.backoff(retry);
  }

  /** The job's own timeout in ms, or 0 to use the queue's. */
  public long timeoutMs() {
    return timeoutMs;
  }

  public String uniqueKey() {
    return uniqueKey;
  }

  public long createdAt() {
    return createdAt;
  }

  public long runAt() {
    return runAt;
  }

  public long startedAt() {
    return startedAt;
  }

  public long finishedAt() {
    return finishedAt;
  }

  /** Times this job's lease expired while it ran (its worker died or hung). */
  public int stalls() {
    return stalls;
  }

  public String error() {
    return error;
  }

  public String errorTrace() {
    return errorTrace;
  }

  public JobState state() {
    return state;
  }

  /** The payload as JSON text, exactly as enqueued. */
  public String payloadText() {
    return payloadText;
  }

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

  /**
   * Records progress of a running job (a number, or any JSON value) and publishes a progress event.
   */
  public Future<Void> progress(Object value) {
    if (progressSink == null)
      return Future.failedFuture(new IllegalStateException("job " + id + " is not running"));
    return progressSink.apply(value);
  }

  /** A line for the job's log, as it travels the run's sink beside progress values. */
  public record LogLine(String text) {
    /** Longest line kept: longer ones are cut. */
    public static final int MAX_CHARS = 2_000;
  }

  /**
   * A step's result to store, as it travels the run's sink beside progress values and log lines;
   * the sink fails when the run no longer holds the job.
   */
  public record StepResult(String name, String json) {
    /** Longest step name. */
    public static final int MAX_NAME = 200;
  }

  /**
   * A wait for a signal, as it travels the run's sink: the worker answers {"data": JSON text} when
   * the signal is there, or {"parkMs": ms} when the job is parked for it; the sink fails when the
   * run no longer holds the job.
   */
  public record AwaitSignal(String signal, long timeoutMs, Promise<JsonObject> answer) {}

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

  /** The run's sink, for the durable calls (null outside a run). */
  Function<Object, Future<Void>> sink() {
    return progressSink;
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

  /** A checkpoint's cursor to store, as it travels the run's sink. */
  public record Checkpoint(String json) {}

  @Override
  public Future<Void> log(String line) {
    if (progressSink == null)
      return Future.failedFuture(new IllegalStateException("job " + id + " is not running"));
    String text =
        line == null
            ? "null"
            : line.length() > LogLine.MAX_CHARS ? line.substring(0, LogLine.MAX_CHARS) : line;
    return progressSink.apply(new LogLine(text));
  }

  private String logsText;

  /**
   * The run's cancel signal, made on first use (most runs never ask for it); see {@link
   * #signalCancel}.
   */
  private Promise<Void> cancel;

  private volatile boolean cancelSeen;

  // synchronized: a blocking handler asks on a worker thread while the signal comes on the event
  // loop
  @Override
  public synchronized Future<Void> cancelled() {
    if (cancel == null) cancel = Promise.promise();
    if (cancelSeen) cancel.tryComplete();
    return cancel.future();
  }

  @Override
  public boolean isCancelled() {
    return cancelSeen;
  }

  /** Tells the handler its run was cancelled (the worker, when the cancel reaches it). */
  public synchronized void signalCancel() {
    cancelSeen = true;
    if (cancel != null) cancel.tryComplete();
  }

  /** The job's log as stored (see {@link JobCodec#LOGS}). */
  public JobImpl withLogs(String text) {
    this.logsText = text;
    return this;
  }

  @Override
  public JsonArray logs() {
    return logsText == null ? new JsonArray() : new JsonArray(logsText);
  }

  private JsonArray history;
  private int deferrals;
  private String group;
  private long uniqueForMs;
  private JobFlow flow;

  public JobImpl withFlow(JobFlow flow) {
    this.flow = flow;
    return this;
  }

  /** The flow parent's queue and id when this job is a flow's child, else null. */
  public String parentQueue() {
    return flow == null ? null : flow.parentQueue;
  }

  public String parentId() {
    return flow == null ? null : flow.parentId;
  }

  @Override
  public JsonObject childrenResults() {
    return flow == null ? new JsonObject() : flow.results.copy();
  }

  /**
   * A flow parent's children as {"queue", "id"}, in the order they were given (empty for any other
   * job).
   */
  public JsonArray children() {
    return flow == null ? new JsonArray() : flow.children.copy();
  }

  /**
   * How long the unique key is held after the job finished (0: freed then), as {@link JobCodec}
   * read it.
   */
  public JobImpl withUniqueForMs(long ms) {
    this.uniqueForMs = ms;
    return this;
  }

  /** The job's group, as {@link JobCodec} read it (null for none). */
  private String traceParent;

  /** The trace context the job was enqueued in (null: none), which its runs' spans continue. */
  public JobImpl withTraceParent(String traceParent) {
    this.traceParent = traceParent;
    return this;
  }

  public String traceParent() {
    return traceParent;
  }

  public JobImpl withGroup(String group) {
    this.group = group;
    return this;
  }

  @Override
  public String group() {
    return group;
  }

  /** The runs that ended with "retry later", as {@link JobCodec} read them. */
  public JobImpl withDeferrals(int deferrals) {
    this.deferrals = deferrals;
    return this;
  }

  @Override
  public int deferrals() {
    return deferrals;
  }

  /** The job's ended runs, as {@link JobCodec#fromHash} read them. */
  public JobImpl withHistory(JsonArray history) {
    this.history = history;
    return this;
  }

  @Override
  public JsonArray history() {
    return history == null ? new JsonArray() : history.copy();
  }

  /** The worker running this job wires its progress reporting here. */
  public JobImpl withProgressSink(Function<Object, Future<Void>> sink) {
    this.progressSink = sink;
    return this;
  }

  public JsonObject toJson() {
    JsonObject j =
        new JsonObject()
            .put("id", id)
            .put("queue", queue)
            .put("name", name)
            .put("state", state == null ? null : state.id())
            .put("payload", payload())
            .put("priority", priority)
            .put("attemptsMade", attemptsMade)
            .put("stalls", stalls)
            .put("createdAt", createdAt);
    if (runAt > 0) j.put("runAt", runAt);
    if (startedAt > 0) j.put("startedAt", startedAt);
    if (finishedAt > 0) j.put("finishedAt", finishedAt);
    if (timeoutMs > 0) j.put("timeoutMs", timeoutMs);
    Integer attempts = attempts();
    if (attempts != null) j.put("attempts", attempts);
    JsonObject backoff = backoff();
    if (backoff != null) j.put("backoff", backoff);
    if (uniqueKey != null) j.put("uniqueKey", uniqueKey);
    if (group != null) j.put("group", group);
    if (uniqueForMs > 0) j.put("uniqueFor", Durations.format(uniqueForMs));
    if (flow != null) flow.writeTo(j);
    if (error != null)
      j.put("error", new JsonObject().put("message", error).put("trace", errorTrace));
    if (resultText != null) j.put("result", result());
    if (progressText != null) j.put("progress", progressValue());
    if (history != null && !history.isEmpty()) j.put("history", history.copy());
    if (deferrals > 0) j.put("deferrals", deferrals);
    if (logsText != null) j.put("logs", logs());
    JsonObject steps = durable == null ? new JsonObject() : durable.steps();
    if (!steps.isEmpty()) j.put("steps", steps);
    JsonObject signals = durable == null ? new JsonObject() : durable.signals();
    if (!signals.isEmpty()) j.put("signals", signals);
    Object cursor = durable == null ? null : durable.cursor();
    if (cursor != null) j.put("cursor", cursor);
    return j;
  }
}
