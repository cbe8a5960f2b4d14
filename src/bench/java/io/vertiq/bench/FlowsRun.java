package io.vertiq.bench;

import io.vertiq.Flow;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.RedisConfig;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.KeyScan;
import io.vertiq.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The "flows" scenario: 10,000 flows of a parent and 10 children (scaled) on a queue served by the
 * shipped queue settings and a no-op handler, enqueued 256 flows at a time while the workers run:
 * jobs/s of the whole trees, from the first enqueue to the last parent's completion, against as
 * many plain jobs enqueued in bulks the same way and drained by the same service, in the same run.
 * Options: -Dflows.warm=true (an untimed round of both first), -Dflows.paused=true (enqueue into a
 * paused queue, then time the drain alone), -Dflows.debug=true (Redis time per command, Redis and
 * JVM CPU per job).
 */
public final class FlowsRun {
  private FlowsRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    // -Dflows.warm=true: an untimed round of 1,000 flows and as many plain jobs first, so both are
    // timed with their code compiled (cold, the flows, timed first, also pay for the JIT's work)
    int children = 10;
    if (Boolean.getBoolean("flows.warm")) rates(url, 1000, children);
    int flows = Math.max(50, (int) (10_000 * scale));
    Rates r = rates(url, flows, children);
    return new JsonObject()
        .put("scenario", "flows")
        .put("flows", flows)
        .put("childrenPerFlow", children)
        .put("jobs", (long) flows * (children + 1))
        .put("jobsPerSec", Math.round(r.flows))
        .put("plainJobsPerSec", Math.round(r.plain))
        .put("ratioToPlain", Math.round(r.flows / r.plain * 100) / 100.0);
  }

  /** Jobs/s of flows and of as many plain jobs, each drained by a service of its own. */
  private record Rates(double flows, double plain) {}

  private static Rates rates(String url, int flows, int children) throws Exception {
    long jobs = (long) flows * (children + 1);
    double flowRate = measure(url, "flows", q -> addFlows(q.vertiq, flows, children), jobs);
    double plainRate =
        measure(
            url,
            "flows",
            q -> {
              List<Future<?>> inFlight = new ArrayList<>();
              for (long done = 0;
                  done < jobs;
                  done += 704) { // 704 jobs per bulk call, 4 calls in flight
                List<NewJob> batch = new ArrayList<>();
                for (long i = done; i < Math.min(jobs, done + 704); i++)
                  batch.add(NewJob.of("plain", new JsonObject()));
                inFlight.add(q.queue.enqueueBulk(batch));
                if (inFlight.size() == 4) {
                  block(Future.all(inFlight));
                  inFlight.clear();
                }
              }
              block(Future.all(inFlight));
            },
            jobs);
    return new Rates(flowRate, plainRate);
  }

  /**
   * Adds {@code flows} flows of a parent and {@code children} children on queue "flows", 256 in
   * flight: as a producer adds them, and so that those added in one event-loop turn share a call.
   */
  static void addFlows(Vertiq vertiq, int flows, int children) {
    List<Future<?>> inFlight = new ArrayList<>();
    for (int i = 0; i < flows; i++) {
      Flow f = Flow.of("flows", NewJob.of("parent", new JsonObject().put("i", i)));
      for (int c = 0; c < children; c++)
        f.child(Flow.of("flows", NewJob.of("child", new JsonObject().put("c", c))));
      inFlight.add(vertiq.enqueueFlow(f));
      if (inFlight.size() == 256) {
        Bench.await(Future.all(inFlight));
        inFlight.clear();
      }
    }
    Bench.await(Future.all(inFlight));
  }

  private record Target(Vertiq vertiq, JobQueue queue) {}

  private interface Producer {
    void produce(Target t) throws Exception;
  }

  /**
   * Starts a service on a fresh prefix, runs the producer, waits until {@code jobs} completed:
   * jobs/s overall.
   */
  private static double measure(String url, String queue, Producer producer, long jobs)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    Redis redis = RedisConnector.create(vertx, new RedisConfig().setUrl(url));
    String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    String service = null;
    try {
      JsonObject conf =
          Bench.serviceConf(url, prefix, queue, new JsonObject().put("handler", "noop"));
      service = block(Vertiq.deploy(vertx, conf));
      Vertiq v = Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD);
      JobQueue q = v.queue(queue);
      if (Boolean.getBoolean("flows.paused")) block(q.pause());
      boolean debug = Boolean.getBoolean("flows.debug");
      String before = debug ? info(redis) : null;
      long jvm0 = Bench.jvmCpuNanos();
      long t0 = System.nanoTime();
      producer.produce(new Target(v, q));
      if (Boolean.getBoolean("flows.paused")) {
        System.err.printf(
            "%s: enqueued, paused, in %d ms, JVM CPU %.2f usec/job (at %d)%n",
            queue,
            (System.nanoTime() - t0) / 1_000_000,
            (Bench.jvmCpuNanos() - jvm0) / 1e3 / jobs,
            System.currentTimeMillis());
        jvm0 = Bench.jvmCpuNanos();
        t0 = System.nanoTime();
        block(q.resume());
      }
      if (Boolean.getBoolean("flows.debug"))
        System.err.println(
            queue
                + ": enqueued in "
                + (System.nanoTime() - t0) / 1_000_000
                + " ms, "
                + block(q.counts()).toJson().encode());
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (block(q.counts()).total("completed") < jobs) {
        if (System.nanoTime() > deadline)
          throw new IllegalStateException("not every job completed: " + block(q.counts()).toJson());
        Thread.sleep(5); // polled: the drain's end
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      if (debug) {
        costs(before, info(redis), jobs, secs);
        System.err.printf(
            "JVM CPU %.2f usec/job (at %d)%n",
            (Bench.jvmCpuNanos() - jvm0) / 1e3 / jobs, System.currentTimeMillis());
      }
      return jobs / secs;
    } finally {
      // the service first: a maintenance pass of a running one would write keys back after they are
      // deleted
      if (service != null) block(vertx.undeploy(service));
      block(KeyScan.deleteByPrefix(redis, prefix));
      block(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      block(vertx.close());
    }
  }

  private static String info(Redis redis) throws Exception {
    return block(redis.send(Request.cmd(Command.INFO).arg("all"))).toString();
  }

  /**
   * -Dflows.debug: Redis time per job of each command (a script's calls are counted in it and
   * apart), and Redis's CPU per job and share of the wall time.
   */
  private static void costs(String before, String after, long jobs, double secs) {
    Bench.printCommandCosts(before, after, jobs, jobs / 100);
    double cpu = Bench.cpuSeconds(after) - Bench.cpuSeconds(before);
    System.err.printf(
        "Redis CPU %.2f usec/job, %.0f%% of the %.2f s%n",
        cpu * 1e6 / jobs, cpu / secs * 100, secs);
  }

  private static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
