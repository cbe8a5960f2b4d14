package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.Locale;

/**
 * changeJob-6.lua as a Java type: one waiting job promoted, given a priority or a run-at time; its
 * reply as an {@link Outcome}.
 */
public final class ChangeJob {
  /** The job's state after the change, or why it was not changed. */
  public enum Outcome {
    READY,
    DELAYED,
    /** No such job. */
    MISSING,
    /** Running: it can be changed only while it waits. */
    RUNNING,
    /** A flow's parent or a batch's callback waiting for its children. */
    WAITING,
    /** Dead or completed. */
    FINISHED
  }

  private final Keys keys;

  public ChangeJob(Keys keys) {
    this.keys = keys;
  }

  public Future<Outcome> promote(Redis redis, String id) {
    return run(redis, id, "promote", "");
  }

  public Future<Outcome> priority(Redis redis, String id, int priority) {
    return run(redis, id, "priority", Integer.toString(priority));
  }

  public Future<Outcome> runAt(Redis redis, String id, long epochMs) {
    return run(redis, id, "runAt", Long.toString(epochMs));
  }

  private Future<Outcome> run(Redis redis, String id, String what, String value) {
    return Scripts.run(
            redis,
            Scripts.CHANGE_JOB,
            List.of(
                keys.ready(),
                keys.delayed(),
                keys.active(),
                keys.fifo(),
                keys.specs(),
                keys.wake()),
            List.of(keys.jobPrefix(), id, what, value))
        .map(r -> Outcome.valueOf(r.toString().toUpperCase(Locale.ROOT)));
  }
}
