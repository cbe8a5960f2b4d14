package io.vertiq.worker;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.server.Bootstrap;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Workers that visibly recover: after every client's connection is killed and after a Redis
 * restart, every worker group's fetch loop hears Redis again (its instances fetch or wait anew), a
 * job runs on each queue, and /ready says so with each loop's state.
 */
class FetchLoopRecoveryTest {
  @Test
  void everyGroupFetchesAgainAfterAClientKillAndARestart() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.launch();
        VertiqHarness h = new VertiqHarness(redis.url())) {
      String a = TestSupport.randomName("loopa");
      String b = TestSupport.randomName("loopb");
      int port = RedisServerProcess.freePort();
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(a, VertiqHarness.queue("noop", 2, 5))
                  .put(b, VertiqHarness.queue("noop", 1, 5)));
      conf.getJsonObject("redis").put("startupTimeout", "60s");
      conf.put("http", VertiqHarness.http(port));
      Bootstrap node = h.deploy(conf);
      try (ApiClient api = new ApiClient(h.vertx, port)) {
        recovered(h, node, api, List.of(a, b), System.currentTimeMillis(), "the start");

        long killedAt = System.currentTimeMillis();
        Redis admin = Redis.createClient(h.vertx, redis.url());
        await(admin.send(Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("normal")));
        admin.close();
        recovered(h, node, api, List.of(a, b), killedAt, "a CLIENT KILL of every client");

        redis.stop();
        redis.start();
        recovered(h, node, api, List.of(a, b), System.currentTimeMillis(), "a Redis restart");
      }
    }
  }

  /** Every group heard Redis after {@code since}, a job runs on each queue, /ready is 200. */
  private static void recovered(
      VertiqHarness h,
      Bootstrap node,
      ApiClient api,
      List<String> queues,
      long since,
      String after) {
    until(
        "every fetch loop heard Redis after " + after,
        Duration.ofSeconds(60),
        () -> {
          JsonObject loops = node.node().deployer().fetchLoops();
          long now = System.currentTimeMillis();
          return queues.stream()
              .allMatch(
                  q ->
                      loops.getJsonObject(q) != null
                          && loops.getJsonObject(q).getLong("heardMsAgo") < now - since);
        });
    for (String q : queues) {
      JobQueue queue = h.queue(q);
      long before = await(queue.counts()).total("completed");
      await(queue.enqueue(NewJob.of("t", new JsonObject())));
      until(
          "a job of " + q + " ran after " + after,
          Duration.ofSeconds(30),
          () -> await(queue.counts()).total("completed") > before);
    }
    until(
        "/ready after " + after,
        Duration.ofSeconds(30),
        () -> api.send("GET", "/ready", null).statusCode() == 200);
    JsonObject ready = api.send("GET", "/ready", null).bodyAsJsonObject();
    assertTrue(ready.encode().contains("fetchLoops"), ready.encode());
  }
}
