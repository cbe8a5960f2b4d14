package io.vertiq.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.Locale;

/**
 * A worker's own connection for blocking on the queue's wake-up list (BLPOP with a short timeout), so a
 * sleeping worker neither polls nor holds a connection of the shared pool. It reconnects on the next wait
 * after Redis drops; closing it interrupts a wait at once, so a stop is never held up by a block.
 */
final class WakeUpListener {
  private final Redis client;
  private final String key;
  private RedisConnection conn;
  private boolean closed;

  WakeUpListener(Vertx vertx, RedisOptions options, String key) {
    this.client = Redis.createClient(vertx, options);
    this.key = key;
  }

  /** Completes when woken, or after about {@code ms}; fails when Redis cannot be reached. */
  Future<Void> await(long ms) {
    if (closed) return Future.failedFuture("closed");
    Future<RedisConnection> c = conn != null ? Future.succeededFuture(conn) : client.connect().map(x -> {
      if (closed) x.close();
      conn = x;
      x.exceptionHandler(err -> drop(x));
      x.endHandler(v -> drop(x));
      return x;
    });
    String seconds = String.format(Locale.ROOT, "%.3f", Math.max(10, ms) / 1000.0);
    return c.compose(x -> x.send(Request.cmd(Command.BLPOP).arg(key).arg(seconds)).onFailure(err -> drop(x)))
        .mapEmpty();
  }

  private void drop(RedisConnection x) {
    if (conn == x) {
      conn = null;
      x.close();
    }
  }

  void close() {
    closed = true;
    if (conn != null) conn.close();
    conn = null;
    client.close();
  }
}
