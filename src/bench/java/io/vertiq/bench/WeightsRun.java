package io.vertiq.bench;

import io.vertiq.GroupLimits;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The "weights" scenario: 100 backlogged groups with weights 1, 2 and 5 set at run time (a third of
 * them each), drained with the shipped queue's shape. While every group still has jobs waiting,
 * each group's starts divided by its weight should be the same: reports, per weight, the mean of
 * that figure against the mean over all groups (1.0 is exact), and the worst single group.
 */
public final class WeightsRun {
  static final int GROUPS = 100;
  static final int[] WEIGHTS = {1, 2, 5};

  /** Notes each start's group index and its fetch's Redis time. */
  public static final class Stamps implements JobHandler {
    static final ConcurrentLinkedQueue<long[]> STARTS = new ConcurrentLinkedQueue<>();

    @Override
    public Future<Object> handle(Job job) {
      STARTS.add(new long[] {Long.parseLong(job.group().substring(1)), job.startedAt()});
      return Future.succeededFuture();
    }
  }

  private WeightsRun() {}

  private static int weight(int group) {
    return WEIGHTS[group % WEIGHTS.length];
  }

  static JsonObject run(String url, double scale) throws Exception {
    int perWeight = Math.max(50, (int) (400 * scale)); // a group of weight w holds w times this
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, url);
    String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      JobQueue q =
          Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("weights");
      int total = 0;
      for (int g = 0; g < GROUPS; g++) {
        block(q.setGroupLimits("g" + g, GroupLimits.none().weight(weight(g))));
        int n = perWeight * weight(g);
        List<NewJob> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) jobs.add(NewJob.of("t", new JsonObject()).setGroup("g" + g));
        block(q.enqueueBulk(jobs));
        total += n;
      }
      Stamps.STARTS.clear();
      QueueOptions shape = new QueueOptions(Bench.shippedQueue().copy().put("handler", "noop"));
      JsonObject conf =
          Bench.serviceConf(
              url,
              prefix,
              "weights",
              new JsonObject()
                  .put("handler", Stamps.class.getName())
                  .put("instances", shape.instances())
                  .put("concurrency", shape.concurrency())
                  .put("retention", new JsonObject().put("completed", "none")));
      long t0 = System.nanoTime();
      String id = block(Vertiq.deploy(vertx, conf));
      while (block(q.counts()).total("completed") < total)
        Thread.sleep(20); // polled: the end of the drain
      double secs = (System.nanoTime() - t0) / 1e9;
      block(vertx.undeploy(id));
      List<long[]> starts = new ArrayList<>(Stamps.STARTS);
      starts.sort((a, b) -> Long.compare(a[1], b[1]));
      // until the first group ran out: every group backlogged
      long[] last = new long[GROUPS];
      for (long[] s : starts) last[(int) s[0]] = s[1];
      long firstDone = Long.MAX_VALUE;
      for (long t : last) firstDone = Math.min(firstDone, t);
      double[] perUnit = new double[GROUPS];
      for (long[] s : starts) if (s[1] < firstDone) perUnit[(int) s[0]] += 1.0 / weight((int) s[0]);
      double mean = 0;
      for (double v : perUnit) mean += v / GROUPS;
      JsonObject byWeight = new JsonObject();
      double worstClass = 0;
      for (int w : WEIGHTS) {
        double sum = 0;
        int n = 0;
        for (int g = 0; g < GROUPS; g++)
          if (weight(g) == w) {
            sum += perUnit[g];
            n++;
          }
        double ratio = mean == 0 ? 0 : sum / n / mean;
        byWeight.put(Integer.toString(w), Math.round(ratio * 1000) / 1000.0);
        worstClass = Math.max(worstClass, Math.abs(ratio - 1));
      }
      double worstGroup = 0;
      for (double v : perUnit) worstGroup = Math.max(worstGroup, Math.abs(v / mean - 1));
      return new JsonObject()
          .put("scenario", "weights")
          .put("groups", GROUPS)
          .put("jobs", total)
          .put("drainJobsPerSec", Math.round(total / secs))
          .put("shareByWeight", byWeight)
          .put("worstWeightDeviation", Math.round(worstClass * 1000) / 1000.0)
          .put("worstGroupDeviation", Math.round(worstGroup * 1000) / 1000.0);
    } finally {
      block(KeyScan.deleteByPrefix(redis, prefix));
      block(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      block(vertx.close());
    }
  }

  private static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
