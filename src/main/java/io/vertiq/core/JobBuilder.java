package io.vertiq.core;

import io.vertiq.JobState;
import io.vertx.core.json.JsonArray;

/**
 * The stored values a {@link JobImpl} is made of, named one by one ({@link JobCodec} reads them
 * from a fetch reply or a job's hash); a value not set keeps its default: none, 0.
 */
final class JobBuilder {
  final String id;
  final String queue;
  final JobState state;
  String name;
  String payloadText;
  int priority;
  int attemptsMade;
  String retry;
  long timeoutMs;
  String uniqueKey;
  long createdAt;
  long runAt;
  long startedAt;
  long finishedAt;
  int stalls;
  String error;
  String errorTrace;
  String resultText;
  String progressText;
  String group;
  int deferrals;
  JobFlow flow;
  String traceParent;
  JsonArray history;
  String logsText;
  long uniqueForMs;

  JobBuilder(String id, String queue, JobState state) {
    this.id = id;
    this.queue = queue;
    this.state = state;
  }

  /** Its name and payload (JSON text; null: "{}"). */
  JobBuilder named(String name, String payloadText) {
    this.name = name;
    this.payloadText = payloadText;
    return this;
  }

  /**
   * Its options: priority, its own retry policy and timeout (null and 0: the queue's), unique key.
   */
  JobBuilder options(int priority, String retry, long timeoutMs, String uniqueKey) {
    this.priority = priority;
    this.retry = retry;
    this.timeoutMs = timeoutMs;
    this.uniqueKey = uniqueKey;
    return this;
  }

  /** Its times: created, its run-at (0 none), its run's start and end (0 not yet). */
  JobBuilder times(long createdAt, long runAt, long startedAt, long finishedAt) {
    this.createdAt = createdAt;
    this.runAt = runAt;
    this.startedAt = startedAt;
    this.finishedAt = finishedAt;
    return this;
  }

  /** Runs started (the current one included while it runs) and stalls. */
  JobBuilder runs(int attemptsMade, int stalls) {
    this.attemptsMade = attemptsMade;
    this.stalls = stalls;
    return this;
  }

  /** Its last run's outcome: the error and its trace, the result and the progress (JSON texts). */
  JobBuilder outcome(String error, String errorTrace, String resultText, String progressText) {
    this.error = error;
    this.errorTrace = errorTrace;
    this.resultText = resultText;
    this.progressText = progressText;
    return this;
  }

  /** Its group (null: none) and the runs that ended with "retry later". */
  JobBuilder grouped(String group, int deferrals) {
    this.group = group;
    this.deferrals = deferrals;
    return this;
  }

  /** Its place in a flow (null: none) and the trace context it was enqueued in (null: none). */
  JobBuilder linked(JobFlow flow, String traceParent) {
    this.flow = flow;
    this.traceParent = traceParent;
    return this;
  }

  /**
   * What its hash keeps of its past: the ended runs, the log (JSON text), and how long its unique
   * key is held after it finished (0: freed then).
   */
  JobBuilder past(JsonArray history, String logsText, long uniqueForMs) {
    this.history = history;
    this.logsText = logsText;
    this.uniqueForMs = uniqueForMs;
    return this;
  }

  JobImpl build() {
    return new JobImpl(this);
  }
}
