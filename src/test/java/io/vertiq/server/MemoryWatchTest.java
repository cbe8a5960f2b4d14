package io.vertiq.server;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A Redis that fills up (maxmemory 16 MB, the mark at half of it): enqueues are refused with a 503
 * that names the mark before Redis refuses writes, /ready says so, and once the workers drained it
 * enqueues are accepted again by themselves; the jobs accepted before all complete.
 */
class MemoryWatchTest {
  @Test
  void aboveTheHighWaterMarkEnqueuesAreRefusedUntilTheWorkersDrainIt() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.launch("--maxmemory", "16mb");
        VertiqHarness h = new VertiqHarness(redis.url())) {
      String name = TestSupport.randomName("full");
      int port = RedisServerProcess.freePort();
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      VertiqHarness.queue("noop", 1, 50)
                          .put("retention", new JsonObject().put("completed", "none"))));
      conf.getJsonObject("redis").put("memoryHighWater", 0.5);
      conf.put("http", VertiqHarness.http(port));
      // the node's own engine, as its HTTP API and event bus use it (an engine embedded elsewhere
      // has no watch of its own)
      JobQueue q = h.deploy(conf).node().vertiq().queue(name);
      await(q.pause()); // the jobs stay in Redis until it is full
      String big = "x".repeat(20_000);
      AtomicReference<VertiqException> refused = new AtomicReference<>();
      long accepted = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (refused.get() == null && System.nanoTime() < deadline) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) jobs.add(NewJob.of("t", new JsonObject().put("pad", big)));
        try {
          accepted += await(q.enqueueBulk(jobs)).size();
        } catch (VertiqException e) {
          refused.set(e);
        }
        Thread.sleep(25); // a producer's steady pace (about 8 MB/s): a span of time, not a state
      }
      VertiqException e = refused.get();
      assertNotNull(e, "enqueues were never refused after " + accepted + " jobs");
      assertEquals(VertiqException.Code.UNAVAILABLE, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains("redis.memoryHighWater (50.0%)"), e.getMessage());

      try (ApiClient api = new ApiClient(h.vertx, port)) {
        HttpResponse<Buffer> ready = api.send("GET", "/ready", null);
        assertEquals(503, ready.statusCode(), ready.bodyAsString());
        assertTrue(ready.bodyAsString().contains("aboveHighWater"), ready.bodyAsString());
        HttpResponse<Buffer> post =
            api.send(
                "POST",
                "/queues/" + name + "/jobs",
                new JsonObject().put("payload", new JsonObject()));
        assertEquals(503, post.statusCode(), post.bodyAsString());
        assertTrue(post.bodyAsJsonObject().getString("message").contains("memoryHighWater"));

        // the workers drain it: enqueues come back by themselves
        await(q.resume());
        long all = accepted;
        until(
            "the accepted jobs completed",
            Duration.ofSeconds(60),
            () -> await(q.counts()).total("completed") == all);
        until(
            "enqueues accepted again",
            Duration.ofSeconds(30),
            () -> {
              try {
                await(q.enqueue(NewJob.of("t", new JsonObject())));
                return true;
              } catch (VertiqException again) {
                return false;
              }
            });
        assertEquals(200, api.send("GET", "/ready", null).statusCode());
      }
    }
  }
}
