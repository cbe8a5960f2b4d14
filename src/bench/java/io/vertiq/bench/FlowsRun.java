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
 */
public final class FlowsRun {
  private FlowsRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    int flows = Math.max(50, (int) (10_000 * scale));
    int children = 10;
    long jobs = (long) flows * (children + 1);
    double flowRate =
        measure(
            url,
            "flows",
            q -> {
              List<Future<?>> inFlight = new ArrayList<>();
              for (int i = 0; i < flows; i++) {
                Flow f = Flow.of("flows", NewJob.of("parent", new JsonObject().put("i", i)));
                for (int c = 0; c < children; c++)
                  f.child(Flow.of("flows", NewJob.of("child", new JsonObject().put("c", c))));
                inFlight.add(q.vertiq.enqueueFlow(f));
                if (inFlight.size() == 256) {
                  block(Future.all(inFlight));
                  inFlight.clear();
                }
              }
              block(Future.all(inFlight));
            },
            jobs);
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
    return new JsonObject()
        .put("scenario", "flows")
        .put("flows", flows)
        .put("childrenPerFlow", children)
        .put("jobs", jobs)
        .put("jobsPerSec", Math.round(flowRate))
        .put("plainJobsPerSec", Math.round(plainRate))
        .put("ratioToPlain", Math.round(flowRate / plainRate * 100) / 100.0);
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
      long t0 = System.nanoTime();
      producer.produce(new Target(v, q));
      if (Boolean.getBoolean("flows.paused")) {
        System.err.println(
            queue + ": enqueued, paused, in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
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
      return jobs / ((System.nanoTime() - t0) / 1e9);
    } finally {
      // the service first: a maintenance pass of a running one would write keys back after they are
      // deleted
      if (service != null) block(vertx.undeploy(service));
      block(KeyScan.deleteByPrefix(redis, prefix));
      block(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      block(vertx.close());
    }
  }

  private static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
