package io.vertiq.bench;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The "ratelimit" scenario: a queue limited to 2,000 jobs/s drained by 3 worker instances with a
 * backlog that never runs out, for 20 s (scaled): the rate measured over the run (from the fetches'
 * Redis times) against the limit, and the most jobs started in any 1 s window, which must not be
 * above it.
 */
public final class RateLimitRun {
  static final int LIMIT = 2_000;

  /** Notes each job's start: the Redis time of the fetch that took it, what the limit counts. */
  public static final class Stamps implements JobHandler {
    static final ConcurrentLinkedQueue<Long> STARTS = new ConcurrentLinkedQueue<>();

    @Override
    public Future<Object> handle(Job job) {
      STARTS.add(job.startedAt());
      return Future.succeededFuture();
    }
  }

  private RateLimitRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    long seconds = Math.max(3, Math.round(20 * scale));
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, url);
    String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      JobQueue q =
          Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("ratelimit");
      int backlog = (int) (LIMIT * (seconds + 2));
      for (int done = 0; done < backlog; done += 1_000) {
        List<NewJob> jobs = new ArrayList<>(1_000);
        for (int i = 0; i < 1_000; i++) jobs.add(NewJob.of("t", new JsonObject()));
        block(q.enqueueBulk(jobs));
      }
      Stamps.STARTS.clear();
      JsonObject conf =
          new JsonObject()
              .put("redis", new JsonObject().put("url", url).put("keyPrefix", prefix))
              .put("http", new JsonObject().put("enabled", false))
              .put("reload", new JsonObject().put("scanPeriod", "0ms"))
              .put(
                  "queues",
                  new JsonObject()
                      .put(
                          "ratelimit",
                          new JsonObject()
                              .put("handler", Stamps.class.getName())
                              .put("instances", 3)
                              .put("concurrency", 500)
                              .put("retention", new JsonObject().put("completed", "none"))
                              .put(
                                  "rateLimit",
                                  new JsonObject().put("max", LIMIT).put("per", "1s"))));
      String id = block(Vertiq.deploy(vertx, conf));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 1);
      while (System.nanoTime() < until)
        Thread.sleep(100); // the run's length: a span of time, not a state
      block(vertx.undeploy(id));
      List<Long> starts = new ArrayList<>(Stamps.STARTS);
      starts.sort(null);
      // the rate over the run, past its first second (the window starts empty and lets a full
      // second in at once)
      long from = starts.get(0) + 1_000;
      long to = from + (seconds - 1) * 1_000L;
      long inside = starts.stream().filter(t -> t >= from && t < to).count();
      double rate = inside * 1000.0 / (to - from);
      int most = mostInAnyWindow(starts, 1_000);
      return new JsonObject()
          .put("scenario", "ratelimit")
          .put("limitPerSec", LIMIT)
          .put("seconds", seconds)
          .put("measuredPerSec", Math.round(rate * 10) / 10.0)
          .put("ratioToLimit", Math.round(rate / LIMIT * 1000) / 1000.0)
          .put("mostInAnySecond", most)
          .put("started", starts.size());
    } finally {
      block(KeyScan.deleteByPrefix(redis, prefix));
      block(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      block(vertx.close());
    }
  }

  /**
   * The most times (ms) of {@code times} that fall in any window of {@code windowMs}: what a rate
   * limit bounds.
   */
  public static int mostInAnyWindow(List<Long> times, long windowMs) {
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    int most = 0;
    for (int i = 0, j = 0; i < sorted.size(); i++) {
      while (sorted.get(i) - sorted.get(j) >= windowMs) j++;
      most = Math.max(most, i - j + 1);
    }
    return most;
  }

  private static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
