package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.Locale;

/** signalJob-7.lua as a Java type: its keys named once, its reply as an {@link Outcome}. */
public final class SignalJob {
  /** What became of the signal. */
  public enum Outcome {
    /** No such job. */
    MISSING,
    /** The job completed or is dead: it waits for no signal. */
    FINISHED,
    /** The job waited for this signal and is ready to run again. */
    WOKEN,
    /** Kept with the job, for the wait that asks for it. */
    KEPT
  }

  private final Keys keys;

  public SignalJob(Keys keys) {
    this.keys = keys;
  }

  /**
   * Keeps signal {@code name} with {@code data} (its JSON) on job {@code id}, waking it if it
   * waits.
   */
  public Future<Outcome> run(Redis redis, String id, String name, String data) {
    return Scripts.run(
            redis,
            Scripts.SIGNAL,
            List.of(
                keys.job(id),
                keys.delayed(),
                keys.ready(),
                keys.specs(),
                keys.wake(),
                keys.completed(),
                keys.dead()),
            List.of(keys.jobPrefix(), id, name, data))
        .map(r -> Outcome.valueOf(r.toString().toUpperCase(Locale.ROOT)));
  }
}
