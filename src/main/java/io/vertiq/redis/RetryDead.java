package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** retryDead-5.lua as a Java type: dead jobs back to ready with a fresh set of attempts. */
public final class RetryDead {
  /** Most jobs one call moves when no ids are given: the caller repeats until fewer move. */
  public static final int MOST = 1000;

  private final Keys keys;

  public RetryDead(Keys keys) {
    this.keys = keys;
  }

  /** Moves the dead jobs {@code ids}, or the oldest {@link #MOST} when none is named: how many. */
  public Future<Long> run(Redis redis, List<String> ids) {
    List<String> args = new ArrayList<>(ids.size() + 2);
    args.add(keys.jobPrefix());
    args.add(Integer.toString(MOST));
    args.addAll(ids);
    return Scripts.run(
            redis,
            Scripts.RETRY_DEAD,
            List.of(keys.dead(), keys.ready(), keys.stats(), keys.wake(), keys.specs()),
            args)
        .map(Response::toLong);
  }
}
