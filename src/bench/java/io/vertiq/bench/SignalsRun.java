package io.vertiq.bench;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.KeyScan;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The "signals" scenario: how long a signal takes to wake a job waiting for it (Job#waitFor). A
 * service runs jobs that wait for "go"; a producer on a Vert.x instance and Redis pool of its own
 * (as another node would be) signals each once it is parked, one after another: the time from the
 * signal call to the handler's run that receives it (the job made ready by the signal script,
 * fetched again, its handler run from the top past the wait).
 */
public final class SignalsRun {
  /** Waits for "go"; notes when it parked (its first run) and when a run received the signal. */
  public static final class Probe implements JobHandler {
    static final Map<String, Long> RECEIVED = new ConcurrentHashMap<>();

    @Override
    public Future<Object> handle(Job job) {
      return job.waitFor("go", Duration.ofMinutes(5))
          .map(
              w -> {
                if (w.getBoolean("received")) RECEIVED.putIfAbsent(job.id(), System.nanoTime());
                return w;
              });
    }
  }

  private SignalsRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    int n = Math.max(20, (int) (500 * scale));
    Vertx service = Vertx.vertx();
    Vertx producer = Vertx.vertx();
    Redis redis = Redis.createClient(producer, url);
    String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      JsonObject conf =
          new JsonObject()
              .put("redis", new JsonObject().put("url", url).put("keyPrefix", prefix))
              .put("http", new JsonObject().put("enabled", false))
              .put("reload", new JsonObject().put("scanPeriod", "0ms"))
              .put(
                  "queues",
                  new JsonObject()
                      .put(
                          "signals",
                          new JsonObject()
                              .put("handler", Probe.class.getName())
                              .put("instances", 2)
                              .put("concurrency", 50)));
      block(Vertiq.deploy(service, conf));
      JobQueue q =
          Vertiq.create(producer, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD)
              .queue("signals");
      List<Long> woken = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = block(q.enqueue(NewJob.of("wait", new JsonObject()))).id();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (block(q.get(id)).state() != JobState.DELAYED) {
          if (System.nanoTime() > deadline)
            throw new IllegalStateException("job " + id + " did not park");
        }
        long sent = System.nanoTime();
        if (!"woken".equals(block(q.signal(id, "go", i))))
          throw new IllegalStateException("job " + id + " was not waiting");
        while (!Probe.RECEIVED.containsKey(id)) {
          if (System.nanoTime() > deadline)
            throw new IllegalStateException("job " + id + " never received its signal");
          Thread.onSpinWait(); // polled: the run that received it
        }
        woken.add(Probe.RECEIVED.get(id) - sent);
      }
      woken.sort(null);
      return new JsonObject()
          .put("scenario", "signals")
          .put("signals", n)
          .put("toHandlerP50Ms", ms(woken, 0.50))
          .put("toHandlerP99Ms", ms(woken, 0.99))
          .put("toHandlerMaxMs", ms(woken, 1.0));
    } finally {
      block(
          service.close()); // first: a maintenance pass of a running service would write keys back
      block(KeyScan.deleteByPrefix(redis, prefix));
      block(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      block(producer.close());
    }
  }

  private static double ms(List<Long> sortedNanos, double p) {
    long v =
        sortedNanos.get(Math.min(sortedNanos.size() - 1, (int) Math.floor(p * sortedNanos.size())));
    return Math.round(v / 10_000.0) / 100.0;
  }

  private static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
