package io.vertiq;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * A job: what to run (name, payload), how (priority, attempts, backoff, timeout, unique key) and
 * what happened (state, attempts made, times, last error, result, progress). Times are epoch
 * milliseconds from the Redis clock; 0 when not reached. Handlers get the job they run; {@link
 * JobQueue#get} and the listings return jobs to read.
 */
public interface Job {
  String id();

  String queue();

  String name();

  int priority();

  /** Runs started so far, this one included when the job is running. */
  int attemptsMade();

  /**
   * Runs that ended with {@link RetryLater}: counted in {@link #attemptsMade()}, but not against
   * the attempts.
   */
  int deferrals();

  /** The job's own number of attempts, or null when it follows its queue's. */
  Integer attempts();

  /**
   * The job's own backoff as the API takes it ({"type", "delay", "max", "jitter"}, the parts it
   * set), or null.
   */
  JsonObject backoff();

  /** The job's own timeout in ms, or 0 to use the queue's. */
  long timeoutMs();

  String uniqueKey();

  /**
   * The job's group (a tenant, a customer: the queue's turns and group limits apply per group), or
   * null.
   */
  String group();

  long createdAt();

  long runAt();

  long startedAt();

  long finishedAt();

  /** Times this job's lease expired while it ran (its worker died or hung). */
  int stalls();

  /**
   * The error of the job's last failed run while it waits for a retry or is dead; null once it
   * completed.
   */
  String error();

  String errorTrace();

  JobState state();

  /** The payload as JSON text, exactly as enqueued. */
  String payloadText();

  /** The payload, parsed on first use (a handler that ignores it pays nothing). */
  JsonObject payload();

  /** The handler's result, decoded from JSON, or null. */
  Object result();

  /** The last progress reported, decoded from JSON, or null. */
  Object progressValue();

  /**
   * Records progress of a running job (a number, or any JSON value) and publishes a progress event.
   */
  Future<Void> progress(Object value);

  /**
   * Appends a line to a running job's log, kept with the job (its last {@code 100} lines and 32
   * KiB; a line over 2,000 characters is cut). Shown by the API and the dashboard.
   */
  Future<Void> log(String line);

  /**
   * Runs {@code work} once for this job, whatever becomes of this run: the first run of the step
   * stores its result (any JSON value: a JsonObject, JsonArray, String, Number, Boolean or null)
   * with the job, and a later run of the same job (a retry, a run after a stall or a crash, on
   * another node, after a redeploy) gets that result back at once without calling {@code work}; the
   * results come with the job's fetch. A result is stored only by the run that still holds the job
   * (its lease not expired, the job not taken from it): else the step fails and the run that holds
   * the job runs it. A result over the queue's {@code maxStepBytes} (64 KiB) fails the step, naming
   * the limit.
   */
  Future<Object> step(String name, Supplier<Future<?>> work);

  /** The results of the steps this job has stored, by name (see {@link #step}). */
  JsonObject steps();

  /**
   * Sleeps durably: the first time, the run ends (its worker slot free, no attempt used) and the
   * job comes back after {@code duration} with its steps kept; the handler then runs again from the
   * top, its finished steps return their stored results at once, and this same call (the run's n-th
   * sleep) completes at once, as that sleep is over. Return what it gives: the run's end travels as
   * its failure ({@link RetryLater}).
   */
  Future<Void> sleep(Duration duration);

  /**
   * Waits for a signal ({@link JobQueue#signal}, HTTP or the event bus, from any node), at most
   * {@code timeout}: {"signal", "received": true, "data"} once it was sent, or {"signal",
   * "received": false} when the timeout passed first. The first time, the job is parked (its slot
   * free, no attempt used) and made ready as soon as the signal comes; the handler runs again from
   * the top and this call returns at once. A signal sent before the wait is kept until the job
   * waits for it.
   */
  Future<JsonObject> waitFor(String signal, Duration timeout);

  /**
   * Stores the job's cursor (any JSON value: an offset, a key, a page token) for the run that holds
   * the job, so a later run starts from it ({@link #cursor()}): after a crash it repeats at most
   * the work done since.
   */
  Future<Void> checkpoint(Object cursor);

  /** The cursor the job's last checkpoint stored, or null before the first. */
  Object cursor();

  /**
   * Whether the worker running the job is stopping (a redeploy, a scale-down, a shutdown): a long
   * job should stop between two items, checkpoint, and end with {@code
   * RetryLater.in(Duration.ZERO)}, which puts it back to ready with its cursor and uses no attempt.
   * {@link #iterate} does all of this.
   */
  boolean isStopping();

  /**
   * Walks the items {@code from} (inclusive) to {@code to} (exclusive), starting at the stored
   * cursor when there is one: {@code item} for each, one after another, a checkpoint every {@code
   * every} items and at the end. Between two items it notices a stop (it checkpoints and puts the
   * job back to ready without using an attempt) and a cancel (it stops). A crash repeats at most
   * the items since the last checkpoint. Reports progress (0 to 100) at each checkpoint.
   */
  Future<Void> iterate(long from, long to, int every, LongFunction<Future<?>> item);

  /**
   * Completes when a cancel of the running job was asked ({@link JobQueue#cancel}, from any node):
   * its run has then ended as cancelled (the job is dead, and not retried, whatever the handler
   * does next), and the handler should stop its work. Never completes for a run nobody cancels, or
   * for a job read outside its run.
   */
  Future<Void> cancelled();

  /**
   * A flow parent's completed children's results, by "<queue>:<id>" (see {@link
   * Vertiq#enqueueFlow}); a child dead under the "ignore" policy has none. Empty for any other job.
   */
  JsonObject childrenResults();

  /**
   * Whether a cancel of this run was asked (see {@link #cancelled()}): a loop can check it between
   * steps.
   */
  boolean isCancelled();

  /** The job's log lines as {"at", "line"}, oldest first (empty for a job read by a worker). */
  JsonArray logs();

  /**
   * The job's ended runs, oldest first: {"attempt", "startedAt", "finishedAt"} with "error" for one
   * that failed or stalled (the last 10 such) and "completed": true for the run that completed.
   * Empty for a job read by a worker.
   */
  JsonArray history();

  /** The job as the HTTP API shows it. */
  JsonObject toJson();
}
