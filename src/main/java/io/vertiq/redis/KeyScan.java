package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Walks the keys under a prefix with SCAN (never KEYS), to count or unlink them: cleanup for tests
 * and benchmarks.
 */
public final class KeyScan {
  private KeyScan() {}

  /** Unlinks every key matching {@code prefix:*}; returns how many. */
  public static Future<Long> deleteByPrefix(Redis redis, String prefix) {
    return walk(redis, prefix, "0", 0L, true);
  }

  /** Counts the keys matching {@code prefix:*}. */
  public static Future<Long> countByPrefix(Redis redis, String prefix) {
    return walk(redis, prefix, "0", 0L, false);
  }

  private static Future<Long> walk(
      Redis redis, String prefix, String cursor, long seen, boolean delete) {
    return redis
        .send(
            Request.cmd(Command.SCAN)
                .arg(cursor)
                .arg("MATCH")
                .arg(prefix + ":*")
                .arg("COUNT")
                .arg(1000))
        .compose(
            r -> {
              String next = r.get(0).toString();
              Response keys = r.get(1);
              Future<?> step = Future.succeededFuture();
              if (delete && keys.size() > 0) {
                Request unlink = Request.cmd(Command.UNLINK);
                for (Response k : keys) unlink.arg(k.toString());
                step = redis.send(unlink);
              }
              long total = seen + keys.size();
              return step.compose(
                  x ->
                      "0".equals(next)
                          ? Future.succeededFuture(total)
                          : walk(redis, prefix, next, total, delete));
            });
  }
}
