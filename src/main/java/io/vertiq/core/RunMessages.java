package io.vertiq.core;

import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * What a running job's durable calls and log send down the run's sink beside progress values; the
 * worker stores each (see the worker's DurableCalls and RunReports), and the sink fails when the
 * run no longer holds the job.
 */
public final class RunMessages {
  private RunMessages() {}

  /** A line for the job's log. */
  public record LogLine(String text) {
    /** Longest line kept: longer ones are cut. */
    public static final int MAX_CHARS = 2_000;
  }

  /** A step's result to store. */
  public record StepResult(String name, String json) {
    /** Longest step name. */
    public static final int MAX_NAME = 200;
  }

  /**
   * A wait for a signal: the worker answers {"data": JSON text} when the signal is there, or
   * {"parkMs": ms} when the job is parked for it.
   */
  public record AwaitSignal(String signal, long timeoutMs, Promise<JsonObject> answer) {}

  /** A checkpoint's cursor to store. */
  public record Checkpoint(String json) {}
}
