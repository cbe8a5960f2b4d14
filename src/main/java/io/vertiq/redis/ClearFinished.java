package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;

/** clearFinished-3.lua as a Java type: deletes completed or dead jobs older than an age. */
public final class ClearFinished {
  /** Most jobs one call deletes: the caller repeats until fewer go. */
  public static final int MOST = 1000;

  private final Keys keys;

  public ClearFinished(Keys keys) {
    this.keys = keys;
  }

  /**
   * Deletes up to {@link #MOST} of the dead (or else completed) jobs that finished more than {@code
   * olderThanMs} ago on Redis time (0: all): how many.
   */
  public Future<Long> run(Redis redis, boolean dead, long olderThanMs) {
    return Scripts.run(
            redis,
            Scripts.CLEAR_FINISHED,
            List.of(dead ? keys.dead() : keys.completed(), keys.specs(), keys.done()),
            List.of(keys.jobPrefix(), Integer.toString(MOST), Long.toString(olderThanMs)))
        .map(Response::toLong);
  }
}
