package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Redis that stalls (SIGSTOP) on a server of the test's own: producers get an answer in time,
 * nothing runs twice.
 */
class RedisOutageTest {

  @Test
  void aStalledRedisFailsEnqueuesWithinTheCommandTimeoutAndReadyAnswers503() {
    try (RedisServerProcess own = RedisServerProcess.launch();
        VertiqHarness h = new VertiqHarness(own.url())) {
      String name = TestSupport.randomName("stall");
      int port = RedisServerProcess.freePort();
      JsonObject conf = h.conf(new JsonObject().put(name, VertiqHarness.queue("noop", 1, 10)));
      conf.getJsonObject("redis").put("commandTimeout", "500ms");
      conf.put("http", VertiqHarness.http(port));
      var b = h.deploy(conf);
      WebClient web =
          WebClient.create(
              h.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      JobQueue q =
          b.node().vertiq().queue(name); // the service's own client, with the conf's timeout
      await(q.enqueue(NewJob.of("t", new JsonObject())));
      own.pause();
      try {
        long t0 = System.nanoTime();
        VertiqException e =
            assertThrows(
                VertiqException.class, () -> await(q.enqueue(NewJob.of("t", new JsonObject()))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(VertiqException.Code.UNAVAILABLE, e.code(), e.getMessage());
        assertTrue(ms < 2_000, "answered after " + ms + "ms");
        var post =
            await(
                web.post("/queues/" + name + "/jobs").sendJsonObject(new JsonObject()),
                Duration.ofSeconds(5));
        assertEquals(503, post.statusCode(), post.bodyAsString());
        assertTrue(
            post.bodyAsString().contains("idempotencyKey"), "the answer says how to retry safely");
        var ready = await(web.get("/ready").send(), Duration.ofSeconds(5));
        assertEquals(503, ready.statusCode(), ready.bodyAsString());
      } finally {
        own.resume();
      }
      until(
          "ready again",
          Duration.ofSeconds(10),
          () -> await(web.get("/ready").send()).statusCode() == 200);
      assertTrue(await(q.enqueue(NewJob.of("t", new JsonObject()))).created());
      web.close();
    }
  }

  @Test
  void anOutageLongerThanTheLeaseRunsNoFinishedJobAgain() {
    try (RedisServerProcess own = RedisServerProcess.launch();
        VertiqHarness h = new VertiqHarness(own.url())) {
      String name = TestSupport.randomName("outage");
      // a lease far shorter than the stall: every lease in flight expires while Redis is stopped
      h.deploy(
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      VertiqHarness.queue(RecordingHandler.class.getName(), 1, 100)
                          .put("lease", "1s")
                          .put("retention", new JsonObject().put("completed", "none")))));
      JobQueue q = h.queue(name);
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < 60; i++) jobs.add(NewJob.of("t", new JsonObject().put("ms", 1_500)));
      await(q.enqueueBulk(jobs));
      until("jobs running", Duration.ofSeconds(10), () -> RecordingHandler.runs(name).size() >= 60);
      own.pause(); // the handlers finish while Redis is away: their reports wait, their leases
      // expire
      try {
        Thread.sleep(
            4_500); // the outage itself: a span of time to let pass, not a state to wait for
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        own.resume();
      }
      JobQueue probe = h.queue(name);
      until(
          "every job completed",
          Duration.ofSeconds(30),
          () -> await(probe.counts()).total("completed") >= 60);
      Map<String, Integer> perId = new HashMap<>();
      for (RecordingHandler.Run r : RecordingHandler.runs(name))
        perId.merge(r.id(), 1, Integer::sum);
      assertEquals(60, perId.size());
      assertTrue(
          perId.values().stream().allMatch(c -> c == 1),
          "a job ran again after the outage: " + perId);
    }
  }
}
