package io.vertiq.bench;

import io.vertiq.EnqueueResult;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.QueueCounts;
import io.vertiq.redis.KeyScan;
import io.vertiq.server.Bootstrap;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak behind bin/soak: the service (in this JVM) runs a queue at a steady rate for a while,
 * with 10% of the jobs failing (retried once, then dead) and 1% slow (2 s); every tenth of the run
 * it samples the heap after a full GC and Redis's used memory. At the end every enqueued job must
 * be completed or dead, and both memories flat: the last sample within 1.5x (plus 8 MiB) of the
 * first one after warm-up. Prints one "SOAK {json}" line. Usage: Soak <redisUrl> [--seconds n]
 * [--rate jobs/s]
 */
public final class Soak {
  private Soak() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
    long seconds = 600;
    int rate = 500;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--seconds")) seconds = Long.parseLong(args[++i]);
      else if (args[i].equals("--rate")) rate = Integer.parseInt(args[++i]);
    }
    JsonObject r = run(url, seconds, rate);
    System.out.println("SOAK " + r.encode());
    System.exit(r.getBoolean("ok") ? 0 : 1);
  }

  /**
   * Runs the soak and returns its figures; {@code ok} says whether nothing was lost and memory
   * stayed flat.
   */
  public static JsonObject run(String url, long seconds, int rate) throws Exception {
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, url);
    String prefix = "vqsoak-" + UUID.randomUUID().toString().substring(0, 8);
    String queue = "soak";
    JsonObject conf =
        Bench.serviceConf(
            url,
            prefix,
            queue,
            new JsonObject()
                .put("handler", "sleep")
                .put("instances", 2)
                .put("concurrency", 200)
                .put("attempts", 2)
                .put("backoff", new JsonObject().put("type", "fixed").put("delay", "100ms"))
                .put("retention", new JsonObject().put("completed", 1000).put("dead", 100)));
    Bootstrap b = new Bootstrap(null);
    String deployment = block(vertx.deployVerticle(b, new DeploymentOptions().setConfig(conf)));
    JobQueue q = b.node().vertiq().queue(queue);
    AtomicLong enqueued = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong seq = new AtomicLong();
    // bulks of rate/20 every 50 ms: the steady rate, without a timer per job
    int perTick = Math.max(1, rate / 20);
    long timer =
        vertx.setPeriodic(
            50,
            t -> {
              List<NewJob> jobs = new ArrayList<>(perTick);
              for (int i = 0; i < perTick; i++) {
                long n = seq.incrementAndGet();
                JsonObject payload = new JsonObject().put("ms", n % 100 == 0 ? 2_000 : 5);
                if (n % 10 == 3) payload.put("error", "planned failure");
                jobs.add(NewJob.of("soak", payload));
              }
              q.enqueueBulk(jobs)
                  .onComplete(
                      ar -> {
                        if (ar.succeeded())
                          enqueued.addAndGet(
                              ar.result().stream().filter(EnqueueResult::created).count());
                        else refused.incrementAndGet();
                      });
            });
    JsonArray heap = new JsonArray();
    JsonArray redisMem = new JsonArray();
    long t0 = System.nanoTime();
    long sampleEvery = TimeUnit.SECONDS.toNanos(seconds) / 10;
    for (int i = 1; i <= 10; i++) {
      long until = t0 + i * sampleEvery;
      while (System.nanoTime() < until)
        Thread.sleep(50); // the soak's length: a span of time, not a state
      heap.add(heapAfterGcMiB());
      redisMem.add(redisUsedMiB(vertx, redis));
    }
    vertx.cancelTimer(timer);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    QueueCounts c = block(q.counts());
    while (System.nanoTime() < deadline
        && (c.ready() + c.delayed() + c.active() > 0
            || c.total("completed") + c.total("dead") < enqueued.get())) {
      Thread.sleep(100); // polling the drain, with the deadline above
      c = block(q.counts());
    }
    long completed = c.total("completed");
    long dead = c.total("dead");
    long lost = enqueued.get() - completed - dead - c.ready() - c.delayed() - c.active();
    // flat: the last sample against the first after warm-up (the second), with room for the
    // collector's noise
    boolean heapFlat = heap.getDouble(9) <= heap.getDouble(1) * 1.5 + 8;
    boolean redisFlat = redisMem.getDouble(9) <= redisMem.getDouble(1) * 1.5 + 8;
    JsonObject out =
        new JsonObject()
            .put("seconds", seconds)
            .put("rate", rate)
            .put("enqueued", enqueued.get())
            .put("completed", completed)
            .put("dead", dead)
            .put("lost", lost)
            .put("refusedBulks", refused.get())
            .put("heapAfterGcMiB", heap)
            .put("redisUsedMiB", redisMem)
            .put("heapFlat", heapFlat)
            .put("redisFlat", redisFlat)
            .put("ok", lost == 0 && heapFlat && redisFlat);
    block(vertx.undeploy(deployment));
    block(KeyScan.deleteByPrefix(redis, prefix));
    block(redis.send(Request.cmd(Command.SREM).arg(prefix + ":queues").arg(queue)));
    block(vertx.close());
    return out;
  }

  private static double heapAfterGcMiB() {
    System.gc();
    return Math.round(
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0 * 10)
        / 10.0;
  }

  private static double redisUsedMiB(Vertx vertx, Redis redis) throws Exception {
    String info = block(redis.send(Request.cmd(Command.INFO).arg("memory"))).toString();
    long used = Long.parseLong(info.replaceAll("(?s).*used_memory:(\\d+).*", "$1"));
    return Math.round(used / 1048576.0 * 10) / 10.0;
  }

  private static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
