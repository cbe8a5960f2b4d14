package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Flow;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.RedisConfig;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.RedisConnector;
import io.vertiq.server.Bootstrap;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.RedisClusterProcess;
import io.vertiq.testing.TestSupport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same code on a three-master Redis Cluster: every queue's keys in one slot, scripts routed by
 * that slot.
 */
class RedisClusterTest {
  private static RedisClusterProcess cluster;

  @BeforeAll
  static void launch() throws Exception {
    cluster = RedisClusterProcess.launch();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  /**
   * The stock 5.0.7 cluster client stalls for good when every pooled connection is held by a send
   * that waits for the hash-slot reload it triggers each second (vert-x3/vertx-redis-client#541);
   * ours must not.
   */
  @Test
  void manyConcurrentCommandsAcrossSlotReloadsAllComplete() {
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis =
          RedisConnector.create(
              vertx,
              new RedisConfig().setType("cluster").setEndpoints(cluster.urls()).setPoolSize(4));
      String prefix = TestSupport.randomPrefix();
      long end =
          System.nanoTime() + Duration.ofMillis(3_500).toNanos(); // several slot-cache expiries
      int rounds = 0;
      while (System.nanoTime() < end) {
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          fs.add(redis.send(Request.cmd(Command.INCR).arg(prefix + ":{" + (i % 30) + "}:n")));
        }
        await(Future.all(fs), Duration.ofSeconds(20));
        rounds++;
      }
      assertTrue(rounds > 1, "ran " + rounds + " rounds");
      for (int i = 0; i < 30; i++) {
        await(redis.send(Request.cmd(Command.DEL).arg(prefix + ":{" + i + "}:n")));
      }
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void queuesOnDifferentNodesRunEveryJobOnceWithRetriesAndDelays() throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    try {
      String prefix = TestSupport.randomPrefix();
      Vertiq vq = client(vertx, prefix);
      List<String> names = new ArrayList<>();
      JsonObject queues = new JsonObject();
      for (int i = 0;
          i < 4;
          i++) { // four queues with random names: their hash tags spread over the three masters
        String name = TestSupport.randomName("c" + i);
        names.add(name);
        queues.put(
            name,
            new JsonObject()
                .put("handler", RecordingHandler.class.getName())
                .put("instances", 2)
                .put("concurrency", 20)
                .put("attempts", 2)
                .put("backoff", new JsonObject().put("type", "fixed").put("delay", "50ms")));
      }
      await(
          vertx.deployVerticle(
              new Bootstrap(null), new DeploymentOptions().setConfig(serviceConf(prefix, queues))));
      for (String name : names) {
        JobQueue q = vq.queue(name);
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 500; i++) jobs.add(NewJob.of("t", new JsonObject().put("i", i)));
        jobs.add(NewJob.of("flaky", new JsonObject().put("failTimes", 1)));
        jobs.add(NewJob.of("later", new JsonObject()).setDelayMs(300));
        await(q.enqueueBulk(jobs));
      }
      for (String name : names) {
        until(
            "queue " + name + " done",
            Duration.ofSeconds(60),
            () -> await(vq.queue(name).counts()).total("completed") == 502);
        Map<String, Integer> perId = new HashMap<>();
        RecordingHandler.runs(name).forEach(r -> perId.merge(r.id(), 1, Integer::sum));
        assertEquals(502, perId.size());
        assertEquals(
            503, RecordingHandler.runs(name).size(), "one planned retry, no other job twice");
        assertEquals(0, await(vq.queue(name).counts()).dead());
      }
      assertTrue(await(vq.queueNames()).containsAll(names));
      // idle workers stay awake: after an idle spell longer than the client's slot-cache lifetime
      // (1 s) and a
      // worker's idle wait (5 s), a new job still starts at once (the pause creates the idle spell;
      // it waits for
      // no state)
      Thread.sleep(5_500);
      long t0 = System.nanoTime();
      String late = names.get(0);
      await(vq.queue(late).enqueue(NewJob.of("late", new JsonObject())));
      until(
          "the job enqueued after the idle spell ran",
          Duration.ofSeconds(10),
          () -> await(vq.queue(late).counts()).total("completed") == 503);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 1_000, "started " + ms + " ms after its enqueue");
    } finally {
      await(vertx.close());
    }
  }

  /** A producer's client of the test cluster, on this key prefix. */
  private static Vertiq client(Vertx vertx, String prefix) {
    Redis redis =
        RedisConnector.create(
            vertx, new RedisConfig().setType("cluster").setEndpoints(cluster.urls()));
    return Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD);
  }

  /** A service on the test cluster: these queues, this key prefix, maintenance every 100 ms. */
  private static JsonObject serviceConf(String prefix, JsonObject queues) {
    return new JsonObject()
        .put(
            "redis",
            new JsonObject()
                .put("type", "cluster")
                .put("endpoints", new JsonArray(cluster.urls()))
                .put("keyPrefix", prefix))
        .put("http", new JsonObject().put("enabled", false))
        .put("reload", new JsonObject().put("scanPeriod", "0ms"))
        .put("maintenance", new JsonObject().put("interval", "100ms"))
        .put("queues", queues);
  }

  /**
   * A flow's queues are in different slots (on different masters): every step still touches one
   * slot.
   */
  @Test
  void flowsAcrossQueuesOnDifferentMastersComplete() {
    Vertx vertx = Vertx.vertx();
    try {
      String prefix = TestSupport.randomPrefix();
      Vertiq vq = client(vertx, prefix);
      List<String> names = new ArrayList<>();
      JsonObject queues = new JsonObject();
      for (int i = 0; i < 3; i++) {
        String name = TestSupport.randomName("f" + i);
        names.add(name);
        queues.put(
            name,
            new JsonObject()
                .put("handler", RecordingHandler.class.getName())
                .put("concurrency", 20));
      }
      await(
          vertx.deployVerticle(
              new Bootstrap(null), new DeploymentOptions().setConfig(serviceConf(prefix, queues))));
      List<String> parents = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Flow f =
            Flow.of(names.get(0), NewJob.of("parent", new JsonObject()))
                .child(
                    Flow.of(names.get(1), NewJob.of("middle", new JsonObject()))
                        .child(Flow.of(names.get(2), NewJob.of("leaf", new JsonObject()))))
                .child(Flow.of(names.get(2), NewJob.of("leaf", new JsonObject())));
        parents.add(await(vq.enqueueFlow(f)).getString("id"));
      }
      until(
          "every parent completed",
          Duration.ofSeconds(60),
          () -> await(vq.queue(names.get(0)).counts()).total("completed") == 20);
      assertEquals(20, await(vq.queue(names.get(1)).counts()).total("completed"));
      assertEquals(40, await(vq.queue(names.get(2)).counts()).total("completed"));
      // a batch on one master, its jobs on the others
      JsonObject batch =
          await(vq.openBatch(names.get(0), null, NewJob.of("batch-done", new JsonObject())));
      await(
          vq.addToBatch(
              names.get(0),
              batch.getString("id"),
              names.get(1),
              List.of(NewJob.of("b", new JsonObject()), NewJob.of("b", new JsonObject()))));
      await(
          vq.addToBatch(
              names.get(0),
              batch.getString("id"),
              names.get(2),
              List.of(NewJob.of("b", new JsonObject()))));
      await(vq.closeBatch(names.get(0), batch.getString("id")));
      String callback = batch.getJsonObject("onComplete").getString("id");
      until(
          "the batch's callback ran",
          Duration.ofSeconds(30),
          () -> await(vq.queue(names.get(0)).get(callback)).state() == JobState.COMPLETED);
      assertEquals(3, await(vq.batch(names.get(0), batch.getString("id"))).getLong("succeeded"));
      JsonObject tree = await(vq.flowTree(names.get(0), parents.get(0)));
      assertEquals(
          "completed",
          tree.getJsonArray("children")
              .getJsonObject(0)
              .getJsonArray("children")
              .getJsonObject(0)
              .getString("state"),
          tree.encode());
    } finally {
      await(vertx.close());
    }
  }

  /**
   * A cancel on Redis Cluster: its message (PUBLISH from a script) reaches the node running the
   * job.
   */
  @Test
  void aCancelReachesARunningJobOnTheCluster() {
    Vertx vertx = Vertx.vertx();
    try {
      String prefix = TestSupport.randomPrefix();
      Vertiq vq = client(vertx, prefix);
      String name = TestSupport.randomName("cx");
      // a 60 s lease: its renewal (every 20 s) would be far slower than the message
      await(
          vertx.deployVerticle(
              new Bootstrap(null),
              new DeploymentOptions()
                  .setConfig(
                      serviceConf(
                          prefix,
                          new JsonObject()
                              .put(
                                  name,
                                  new JsonObject().put("handler", "sleep").put("lease", "60s"))))));
      JobQueue q = vq.queue(name);
      String id = await(q.enqueue(NewJob.of("long", new JsonObject().put("ms", 120_000)))).id();
      until("running", Duration.ofSeconds(10), () -> await(q.get(id)).state() == JobState.ACTIVE);
      assertEquals(JobState.ACTIVE, await(q.cancel(id)));
      until(
          "dead as cancelled",
          Duration.ofSeconds(5),
          () -> await(q.get(id)).state() == JobState.DEAD);
    } finally {
      await(vertx.close());
    }
  }
}
