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
 * The "ratelimit" scenario, in three runs on a backlog that never runs out, drained by 3 worker
 * instances:
 *
 * <ul>
 *   <li>a sliding window of 2,000 jobs/s for 20 s (scaled): the rate measured over the run (from
 *       the fetches' Redis times) against the limit, and the most jobs started in any 1 s window,
 *       which must not be above it;
 *   <li>a window of 50/s and a smooth limit of 50/s, each through a 2 s Redis outage (CLIENT PAUSE)
 *       mid-run: the most starts in any 1 s window of handler time (the clock a downstream with a
 *       limit of its own counts on), over the run and over the 3 s after the outage, and in any 100
 *       ms. A window lets a whole window's grants start together (50 in a few ms); the smooth limit
 *       spreads them (one every 20 ms).
 * </ul>
 */
public final class RateLimitRun {
  static final int LIMIT = 2_000;
  static final int DOWNSTREAM_LIMIT = 50;
  static final long OUTAGE_MS = 2_000;

  /**
   * Notes each job's start: the Redis time of the fetch that took it (what the limit counts) and
   * the handler's wall time (what a downstream sees).
   */
  public static final class Stamps implements JobHandler {
    static final ConcurrentLinkedQueue<Long> STARTS = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<Long> HANDLER_STARTS = new ConcurrentLinkedQueue<>();

    @Override
    public Future<Object> handle(Job job) {
      STARTS.add(job.startedAt());
      HANDLER_STARTS.add(System.currentTimeMillis());
      return Future.succeededFuture();
    }
  }

  private RateLimitRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    long seconds = Math.max(3, Math.round(20 * scale));
    Limited window = limited(url, LIMIT, false, seconds, 0);
    List<Long> starts = window.starts;
    // the rate over the run, past its first second (the window starts empty and lets a full second
    // in at once)
    long from = starts.get(0) + 1_000;
    long to = from + (seconds - 1) * 1_000L;
    long inside = starts.stream().filter(t -> t >= from && t < to).count();
    double rate = inside * 1000.0 / (to - from);
    JsonObject out =
        new JsonObject()
            .put("scenario", "ratelimit")
            .put("limitPerSec", LIMIT)
            .put("seconds", seconds)
            .put("measuredPerSec", Math.round(rate * 10) / 10.0)
            .put("ratioToLimit", Math.round(rate / LIMIT * 1000) / 1000.0)
            .put("mostInAnySecond", mostInAnyWindow(starts, 1_000))
            .put("started", starts.size());
    long downstreamSeconds = Math.max(4, Math.round(10 * scale));
    for (boolean smooth : new boolean[] {false, true}) {
      Limited d = limited(url, DOWNSTREAM_LIMIT, smooth, downstreamSeconds, OUTAGE_MS);
      String mode = smooth ? "smooth" : "window";
      List<Long> after =
          d.handlerStarts.stream()
              .filter(t -> t >= d.outageEndedAt && t < d.outageEndedAt + 3_000)
              .toList();
      out.put(
              mode + DOWNSTREAM_LIMIT + "MostInAnyHandlerSecond",
              mostInAnyWindow(d.handlerStarts, 1_000))
          .put(
              mode + DOWNSTREAM_LIMIT + "MostInAnyHandlerSecondAfterOutage",
              mostInAnyWindow(after, 1_000))
          .put(mode + DOWNSTREAM_LIMIT + "MostInAnyRedisSecond", mostInAnyWindow(d.starts, 1_000))
          .put(
              mode + DOWNSTREAM_LIMIT + "MostInAnyHandler100ms",
              mostInAnyWindow(d.handlerStarts, 100));
    }
    return out.put("downstreamLimitPerSec", DOWNSTREAM_LIMIT).put("outageMs", OUTAGE_MS);
  }

  /**
   * One run's starts: Redis times and handler times, and when the outage ended (wall ms, 0 none).
   */
  private record Limited(List<Long> starts, List<Long> handlerStarts, long outageEndedAt) {}

  /**
   * A queue limited to {@code limit} a second drained for {@code seconds}, with an outage of {@code
   * outageMs} (CLIENT PAUSE of every client) at its middle when above 0.
   */
  private static Limited limited(String url, int limit, boolean smooth, long seconds, long outageMs)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, url);
    String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      JobQueue q =
          Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("ratelimit");
      int backlog = (int) (limit * (seconds + 2));
      for (int done = 0; done < backlog; done += 1_000) {
        List<NewJob> jobs = new ArrayList<>(1_000);
        for (int i = 0; i < Math.min(1_000, backlog - done); i++)
          jobs.add(NewJob.of("t", new JsonObject()));
        block(q.enqueueBulk(jobs));
      }
      Stamps.STARTS.clear();
      Stamps.HANDLER_STARTS.clear();
      JsonObject rate = new JsonObject().put("max", limit).put("per", "1s");
      if (smooth) rate.put("smooth", true);
      JsonObject conf =
          Bench.serviceConf(
              url,
              prefix,
              "ratelimit",
              new JsonObject()
                  .put("handler", Stamps.class.getName())
                  .put("instances", 3)
                  .put("concurrency", 500)
                  .put("retention", new JsonObject().put("completed", "none"))
                  .put("rateLimit", rate));
      String id = block(Vertiq.deploy(vertx, conf));
      long t0 = System.nanoTime();
      long outageEndedAt = 0;
      if (outageMs > 0) {
        Thread.sleep(seconds * 500); // the run's first half: a span of time, not a state
        outageEndedAt = outage(redis, url, outageMs);
      }
      long until = t0 + TimeUnit.SECONDS.toNanos(seconds + 1);
      while (System.nanoTime() < until)
        Thread.sleep(100); // the run's length: a span of time, not a state
      block(vertx.undeploy(id));
      List<Long> starts = new ArrayList<>(Stamps.STARTS);
      starts.sort(null);
      List<Long> handler = new ArrayList<>(Stamps.HANDLER_STARTS);
      handler.sort(null);
      return new Limited(starts, handler, outageEndedAt);
    } finally {
      block(KeyScan.deleteByPrefix(redis, prefix));
      block(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      block(vertx.close());
    }
  }

  /**
   * Stops Redis for {@code ms}: SIGSTOP and SIGCONT when it runs on this host (replies already
   * computed wait in its buffers, as after a real stall), else CLIENT PAUSE of every client.
   * Returns when it ended (wall ms).
   */
  private static long outage(Redis redis, String url, long ms) throws Exception {
    String info = block(redis.send(Request.cmd(Command.INFO).arg("server"))).toString();
    String pid = info.lines().filter(l -> l.startsWith("process_id:")).findFirst().orElse(":");
    pid = pid.substring(pid.indexOf(':') + 1).trim();
    boolean local = url.contains("127.0.0.1") || url.contains("localhost");
    if (local && !pid.isEmpty() && signal("STOP", pid)) {
      Thread.sleep(ms); // the outage's length: a span of time, not a state
      signal("CONT", pid);
      return System.currentTimeMillis();
    }
    block(redis.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(ms).arg("ALL")));
    return System.currentTimeMillis() + ms;
  }

  private static boolean signal(String sig, String pid) throws Exception {
    return new ProcessBuilder("kill", "-" + sig, pid).inheritIO().start().waitFor() == 0;
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
