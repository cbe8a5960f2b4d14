package io.vertiq.bench;

import io.vertiq.Job;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.VertiqOptions;
import io.vertiq.core.JobCodec;
import io.vertiq.redis.Keys;
import io.vertiq.worker.WorkerStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The "scripts" scenario: the Redis time a job costs in each script it passes through (enqueue in
 * bulk, fetch, finish with the shipped retention), the scripts driven one call at a time without
 * worker verticles, as a worker would: fetch a batch, report the one before. Redis's own figure
 * (INFO commandstats) for the design's cost, which the VM's noise moves far less than jobs per
 * second, and which no JIT warm-up changes.
 */
final class ScriptCosts {
  private final Vertx vertx;
  private final Redis redis;

  ScriptCosts(Vertx vertx, Redis redis) {
    this.vertx = vertx;
    this.redis = redis;
  }

  JsonObject measure(String prefix, QueueOptions q, int n, int batch) {
    JobQueue queue =
        Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("scripts");
    long[] plain =
        costs(
            new WorkerStore(redis, new Keys(prefix, "scripts")),
            () -> Bench.fill(queue, n),
            q,
            batch);
    // the same jobs over 1,000 groups (each job's only option its group), as a fetch takes turns
    JobQueue groupedQueue =
        Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("grouped");
    long[] grouped =
        costs(
            new WorkerStore(redis, new Keys(prefix, "grouped")),
            () -> fillGrouped(groupedQueue, n),
            q,
            batch);
    // flows of a parent and 10 children on one queue, added 256 at a time as FlowsRun does (so they
    // share enqueue calls); a parent is fetched once its children's finish made it ready
    Vertiq flowEngine = Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD);
    int flowJobs = n / 11 * 11;
    long[] flows =
        costs(
            new WorkerStore(redis, new Keys(prefix, "flows")),
            () -> FlowsRun.addFlows(flowEngine, flowJobs / 11, 10),
            q,
            batch);
    // a durable step (Job#step): one recordStep call when the step runs; none when a later run
    // reuses it, since its
    // result comes with the fetch of the job's fields
    JobQueue stepped =
        Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("steps");
    WorkerStore stepStore = new WorkerStore(redis, new Keys(prefix, "steps"));
    int steps = Math.min(n, 10_000);
    Bench.fill(stepped, steps);
    long step = 0;
    for (int got = 0; got < steps; ) {
      List<? extends Job> jobs = Bench.await(stepStore.fetch(batch, 30_000)).jobs();
      if (jobs.isEmpty()) break;
      got += jobs.size();
      step +=
          scriptMicros(
              () -> {
                for (Job job : jobs) {
                  Bench.await(
                      stepStore
                          .runs()
                          .recordStep(
                              job.id(), WorkerStore.token(job), "charge", "{\"charge\":\"ch_1\"}"));
                }
              });
    }
    return new JsonObject()
        .put("stepMicrosPerStep", (double) step / steps)
        .put("scenario", "scripts")
        .put("jobs", n)
        .put("fetchBatch", batch)
        .put("keepCompleted", q.keepCompleted().toConf())
        .put("enqueueMicrosPerJob", (double) plain[0] / n)
        .put("fetchMicrosPerJob", (double) plain[1] / n)
        .put("finishMicrosPerJob", (double) plain[2] / n)
        .put("totalMicrosPerJob", (double) (plain[0] + plain[1] + plain[2]) / n)
        .put("groupedEnqueueMicrosPerJob", (double) grouped[0] / n)
        .put("groupedFetchMicrosPerJob", (double) grouped[1] / n)
        .put("groupedFinishMicrosPerJob", (double) grouped[2] / n)
        .put("groupedTotalMicrosPerJob", (double) (grouped[0] + grouped[1] + grouped[2]) / n)
        .put("flowEnqueueMicrosPerJob", (double) flows[0] / flowJobs)
        .put("flowFetchMicrosPerJob", (double) flows[1] / flowJobs)
        .put("flowFinishMicrosPerJob", (double) flows[2] / flowJobs)
        .put("flowTotalMicrosPerJob", (double) (flows[0] + flows[1] + flows[2]) / flowJobs);
  }

  private static void fillGrouped(JobQueue q, int n) {
    JsonObject payload = new JsonObject().put("to", "user@example.com").put("template", "welcome");
    for (int done = 0; done < n; done += 1000) {
      List<NewJob> jobs = new ArrayList<>(1000);
      for (int i = done; i < Math.min(n, done + 1000); i++)
        jobs.add(NewJob.of("bench", payload).setGroup("g" + (i % 1000)));
      Bench.await(q.enqueueBulk(jobs));
    }
  }

  /**
   * Redis microseconds in the enqueue (by {@code fill}), the fetches and the finishes of every job
   * of a queue, driven a batch at a time as a worker does: fetch a batch, report the one before.
   */
  private long[] costs(WorkerStore store, Runnable fill, QueueOptions q, int batch) {
    long enqueue = scriptMicros(fill);
    long fetch = 0;
    long finish = 0;
    List<String> previous = List.of();
    long previousEpoch = WorkerStore.UNKNOWN_EPOCH;
    while (true) {
      WorkerStore.Fetched[] f = new WorkerStore.Fetched[1];
      fetch += scriptMicros(() -> f[0] = Bench.await(store.fetch(batch, 30_000)));
      if (!previous.isEmpty()) {
        List<String> done = previous;
        long epoch = previousEpoch;
        finish += scriptMicros(() -> Bench.await(store.finish(q, done, List.of(), epoch)));
      }
      if (f[0].jobs().isEmpty()) {
        // the finish just sent may have made jobs ready (a flow's parents): fetch once more
        if (previous.isEmpty()) break;
        previous = List.of();
        continue;
      }
      List<String> done = new ArrayList<>(f[0].jobs().size() * 3);
      for (Job job : f[0].jobs()) {
        done.add(job.id());
        done.add(WorkerStore.token(job));
        done.add(JobCodec.completed(job.attemptsMade(), Long.toString(job.startedAt()), "null"));
      }
      previous = done;
      previousEpoch = f[0].leaseEpoch();
    }
    return new long[] {enqueue, fetch, finish};
  }

  /**
   * Microseconds Redis spent in script calls (EVALSHA, inner commands included) while {@code work}
   * ran.
   */
  private long scriptMicros(Runnable work) {
    Supplier<Long> usec =
        () -> {
          long[] v =
              Bench.parseStats(
                      Bench.await(redis.send(Request.cmd(Command.INFO).arg("commandstats")))
                          .toString())
                  .get("evalsha");
          return v == null ? 0L : v[1];
        };
    long before = usec.get();
    work.run();
    return usec.get() - before;
  }
}
