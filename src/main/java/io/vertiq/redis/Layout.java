package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * The version of the Redis layout (key names, the fields of a job, what each script expects), kept
 * in {@code <prefix>:layout}. A node reads it at start: it refuses a layout newer than its own,
 * which it might misread or damage (an older build started after a newer one), with an error that
 * says so; it raises an older one to its own, which it reads as it is (every change so far only
 * added keys and fields). Versions: 1, the layout before it was versioned (no key); 2, groups (a
 * grouped job's lane, the rotation) and schedule claims.
 */
public final class Layout {
  /** The layout this build writes. */
  public static final int CURRENT = 2;

  private Layout() {}

  public static String key(String prefix) {
    return prefix + ":layout";
  }

  /**
   * Checks the stored layout and records this build's (SET ... GET: one atomic step); fails naming
   * both versions.
   */
  public static Future<Void> check(Redis redis, String prefix) {
    return redis
        .send(Request.cmd(Command.GET).arg(key(prefix)))
        .compose(
            stored -> {
              int found = stored == null ? 1 : parse(stored.toString());
              if (found > CURRENT) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "the Redis layout under prefix \""
                            + prefix
                            + "\" is version "
                            + found
                            + ", written by a newer build; this build reads up to version "
                            + CURRENT
                            + ": run the newer build (or another redis.keyPrefix)"));
              }
              if (found == CURRENT) return Future.succeededFuture();
              // raise it only if no newer build has raised it meanwhile
              return redis
                  .send(
                      Request.cmd(Command.EVAL)
                          .arg(
                              "local v = tonumber(redis.call('GET', KEYS[1]) or '1') "
                                  + "if v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end return v")
                          .arg(1)
                          .arg(key(prefix))
                          .arg(CURRENT))
                  .compose(
                      r ->
                          r.toInteger() > CURRENT
                              ? Future.failedFuture(
                                  new IllegalStateException(
                                      "the Redis layout under prefix \""
                                          + prefix
                                          + "\" was raised to version "
                                          + r.toInteger()
                                          + " by a newer build while this one started"))
                              : Future.<Void>succeededFuture());
            });
  }

  private static int parse(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE; // not ours to read
    }
  }
}
