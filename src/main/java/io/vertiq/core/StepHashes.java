package io.vertiq.core;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The hashes of the last {@code count} steps of a per-minute or per-hour series
 * ("&lt;prefix&gt;&lt;step number since the epoch&gt;", on Redis time), oldest first, in one batch:
 * what the history and the metrics per job name read.
 */
record StepHashes(long firstStep, List<Response> rows) {
  static Future<StepHashes> read(Redis redis, String prefix, long stepMs, long count) {
    return redis
        .send(Request.cmd(Command.TIME))
        .compose(
            t -> {
              long now = t.get(0).toLong() * 1000 + t.get(1).toLong() / 1000;
              long first = now / stepMs - count + 1;
              List<Request> reads = new ArrayList<>((int) count);
              for (long i = first; i < first + count; i++)
                reads.add(Request.cmd(Command.HGETALL).arg(prefix + i));
              return redis.batch(reads).map(rows -> new StepHashes(first, rows));
            });
  }
}
