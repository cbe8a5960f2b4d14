package io.vertiq.bench;

import io.vertiq.JobQueue;
import io.vertiq.Vertiq;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.KeyScan;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the latency scenarios that probe a handler (cancel, signals) share: the service in a Vert.x
 * of its own, running one queue with the probing handler on a key prefix of its own, and a producer
 * on another Vert.x instance and Redis pool (as another node would be). Closing it stops the
 * service first (a maintenance pass of a running service would write keys back), then deletes the
 * prefix's keys.
 */
final class ProbeService implements AutoCloseable {
  private final Vertx service = Vertx.vertx();
  private final Vertx producer = Vertx.vertx();
  private final Redis redis;
  private final String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
  final JobQueue queue;

  /** Deploys the service with queue {@code name} run by {@code handler} (2 instances × 50). */
  ProbeService(String url, String name, Class<?> handler) throws Exception {
    this.redis = Redis.createClient(producer, url);
    JsonObject conf =
        Bench.serviceConf(
            url,
            prefix,
            name,
            new JsonObject()
                .put("handler", handler.getName())
                .put("instances", 2)
                .put("concurrency", 50));
    try {
      block(Vertiq.deploy(service, conf));
    } catch (Exception e) {
      close();
      throw e;
    }
    this.queue =
        Vertiq.create(producer, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue(name);
  }

  @Override
  public void close() {
    try {
      block(service.close());
      block(KeyScan.deleteByPrefix(redis, prefix));
      block(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      block(producer.close());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while cleaning up " + prefix, e);
    } catch (Exception e) {
      throw new IllegalStateException("could not clean up " + prefix + ": " + e.getMessage(), e);
    }
  }

  /** The {@code p} quantile of sorted nanoseconds, in milliseconds to two decimals. */
  static double ms(List<Long> sortedNanos, double p) {
    long v =
        sortedNanos.get(Math.min(sortedNanos.size() - 1, (int) Math.floor(p * sortedNanos.size())));
    return Math.round(v / 10_000.0) / 100.0;
  }

  static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
