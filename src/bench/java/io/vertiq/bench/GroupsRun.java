package io.vertiq.bench;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.KeyScan;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The "groups" scenario: 1,000 groups of 100 jobs and one group of 100,000 (scaled), all waiting
 * before the workers start, drained with the shipped queue's shape. Reports Jain's fairness index
 * of the small groups' throughput (jobs started per group until the first small group is through),
 * the latest first start of a small group after the drain began, and the drain's jobs/s against a
 * plain drain of as many ungrouped jobs in the same run.
 */
public final class GroupsRun {
  /**
   * Notes each job's group (its index; -1 the big group, -2 none) and start (the Redis time of its
   * fetch).
   */
  public static final class Stamps implements JobHandler {
    static final ConcurrentLinkedQueue<long[]> STARTS = new ConcurrentLinkedQueue<>();

    @Override
    public Future<Object> handle(Job job) {
      String g = job.group();
      long index = g == null ? -2 : g.equals("big") ? -1 : Long.parseLong(g.substring(1));
      STARTS.add(new long[] {index, job.startedAt()});
      return Future.succeededFuture();
    }
  }

  private GroupsRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    int groups = Math.max(10, (int) (1_000 * scale));
    int perGroup = 100;
    int big = Integer.getInteger("groups.big", Math.max(1_000, (int) (100_000 * scale)));
    int total = groups * perGroup + big;
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, url);
    List<String> prefixes = new ArrayList<>();
    try {
      // the plain drain first, of as many jobs, the same handler and queue shape
      double plainRate =
          drain(
                  vertx,
                  redis,
                  url,
                  prefixes,
                  total,
                  q -> fill(q, total, i -> NewJob.of("t", new JsonObject())))
              .rate;
      List<long[]> plainStarts = new ArrayList<>(Stamps.STARTS);
      if (Boolean.getBoolean("groups.debug")) {
        double hashRate =
            drain(
                    vertx,
                    redis,
                    url,
                    prefixes,
                    total,
                    q -> fill(q, total, i -> NewJob.of("t", new JsonObject()).setPriority(1)))
                .rate;
        System.err.println(
            "ungrouped jobs with a hash of their own (priority 1): "
                + Math.round(hashRate)
                + " jobs/s");
      }
      Drained grouped =
          drain(
              vertx,
              redis,
              url,
              prefixes,
              total,
              q -> {
                fill(q, big, i -> NewJob.of("t", new JsonObject()).setGroup("big"));
                fill(
                    q,
                    groups * perGroup,
                    i -> NewJob.of("t", new JsonObject()).setGroup("g" + (i % groups)));
              });
      List<long[]> starts = new ArrayList<>(Stamps.STARTS);
      starts.sort((a, b) -> Long.compare(a[1], b[1]));
      long begin = starts.get(0)[1];
      long[] first = new long[groups];
      long[] last = new long[groups];
      Arrays.fill(first, -1);
      for (long[] s : starts) {
        if (s[0] < 0) continue;
        int g = (int) s[0];
        if (first[g] < 0) first[g] = s[1];
        last[g] = s[1];
      }
      long firstDone = Long.MAX_VALUE;
      long latestFirst = 0;
      for (int g = 0; g < groups; g++) {
        firstDone = Math.min(firstDone, last[g]);
        latestFirst = Math.max(latestFirst, first[g] - begin);
      }
      // throughput per small group while every one of them still had jobs waiting
      double[] x = new double[groups];
      for (long[] s : starts) if (s[0] >= 0 && s[1] <= firstDone) x[(int) s[0]]++;
      double sum = 0, sq = 0;
      for (double v : x) {
        sum += v;
        sq += v * v;
      }
      double jain = sq == 0 ? 0 : sum * sum / (groups * sq);
      return new JsonObject()
          .put("scenario", "groups")
          .put("groups", groups)
          .put("jobsPerGroup", perGroup)
          .put("bigGroup", big)
          .put("jobs", total)
          .put("jain", Math.round(jain * 10_000) / 10_000.0)
          .put("latestFirstStartMs", latestFirst)
          .put("groupedJobsPerSec", Math.round(grouped.rate))
          .put("plainJobsPerSec", Math.round(plainRate))
          .put("ratioToPlain", Math.round(grouped.rate / plainRate * 1000) / 1000.0)
          .put("plainStarted", plainStarts.size());
    } finally {
      for (String p : prefixes) {
        block(KeyScan.deleteByPrefix(redis, p));
        block(redis.send(Request.cmd(Command.DEL).arg(p + ":queues")));
      }
      block(vertx.close());
    }
  }

  private record Drained(double rate) {}

  /**
   * Fills a fresh queue untimed, then times its drain from the workers' start to the last
   * completion.
   */
  private static Drained drain(
      Vertx vertx,
      Redis redis,
      String url,
      List<String> prefixes,
      int total,
      Consumer<JobQueue> fill)
      throws Exception {
    String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    prefixes.add(prefix);
    JobQueue q =
        Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("groups");
    fill.accept(q);
    Stamps.STARTS.clear();
    JsonObject shipped = Bench.shippedQueue();
    QueueOptions shape = new QueueOptions(shipped.copy().put("handler", "noop"));
    JsonObject conf =
        Bench.serviceConf(
            url,
            prefix,
            "groups",
            new JsonObject()
                .put("handler", Stamps.class.getName())
                .put("instances", shape.instances())
                .put("concurrency", shape.concurrency())
                .put("threading", "event-loop")
                .put("retention", new JsonObject().put("completed", "none")));
    String before = block(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    long t0 = System.nanoTime();
    String id = block(Vertiq.deploy(vertx, conf));
    while (block(q.counts()).total("completed") < total)
      Thread.sleep(20); // polled: the end of the drain
    double secs = (System.nanoTime() - t0) / 1e9;
    if (Boolean.getBoolean(
        "groups.debug")) { // Redis time per job in each command, of the drain alone
      String after = block(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
      Bench.printCommandCosts(before, after, total, total / 10);
      System.err.println("drain: " + Math.round(total / secs) + " jobs/s");
    }
    block(vertx.undeploy(id));
    return new Drained(total / secs);
  }

  private static void fill(JobQueue q, int n, IntFunction<NewJob> job) {
    try {
      for (int done = 0; done < n; done += 1_000) {
        List<NewJob> jobs = new ArrayList<>(1_000);
        for (int i = done; i < Math.min(n, done + 1_000); i++) jobs.add(job.apply(i));
        block(q.enqueueBulk(jobs));
      }
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
