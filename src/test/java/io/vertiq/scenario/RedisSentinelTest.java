package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.RedisConfig;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.RedisConnector;
import io.vertiq.server.Bootstrap;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.RedisSentinelProcess;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same service behind Redis Sentinel: the master is found through the sentinel, for the pool
 * and the waits.
 */
class RedisSentinelTest {

  @Test
  void jobsRunThroughASentinelAndIdleWorkersWakeForNewOnes() throws InterruptedException {
    try (RedisServerProcess master = RedisServerProcess.launch();
        RedisSentinelProcess sentinel = RedisSentinelProcess.launch(master.port(), "vqmaster")) {
      Vertx vertx = Vertx.vertx();
      try {
        RedisConfig rc =
            new RedisConfig()
                .setType("sentinel")
                .setMasterName("vqmaster")
                .setEndpoints(List.of(sentinel.url()))
                .setKeyPrefix(TestSupport.randomPrefix());
        JsonObject redisConf =
            new JsonObject()
                .put("type", "sentinel")
                .put("masterName", "vqmaster")
                .put("endpoints", new JsonArray().add(sentinel.url()))
                .put("keyPrefix", rc.keyPrefix());
        Redis redis = RedisConnector.create(vertx, rc);
        JobQueue q =
            Vertiq.create(vertx, redis, rc.keyPrefix(), VertiqOptions.DEFAULT_MAX_PAYLOAD)
                .queue(TestSupport.randomName("sent"));
        JsonObject conf =
            new JsonObject()
                .put("redis", redisConf)
                .put("http", new JsonObject().put("enabled", false))
                .put("reload", new JsonObject().put("scanPeriod", "0ms"))
                .put(
                    "queues",
                    new JsonObject()
                        .put(
                            q.name(),
                            new JsonObject()
                                .put("handler", RecordingHandler.class.getName())
                                .put("instances", 2)
                                .put("concurrency", 10)));
        await(vertx.deployVerticle(new Bootstrap(null), new DeploymentOptions().setConfig(conf)));
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 200; i++) jobs.add(NewJob.of("t", new JsonObject().put("i", i)));
        await(q.enqueueBulk(jobs));
        until(
            "200 jobs ran",
            Duration.ofSeconds(20),
            () -> await(q.counts()).total("completed") == 200);
        assertEquals(200, RecordingHandler.runs(q.name()).size());
        // idle longer than a worker's idle wait (5 s); the pause makes the idle spell, it waits for
        // no state
        Thread.sleep(5_500);
        long t0 = System.nanoTime();
        await(q.enqueue(NewJob.of("late", new JsonObject())));
        until(
            "the job enqueued after the idle spell ran",
            Duration.ofSeconds(10),
            () -> await(q.counts()).total("completed") == 201);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1_000, "started " + ms + " ms after its enqueue");
      } finally {
        await(vertx.close());
      }
    }
  }
}
