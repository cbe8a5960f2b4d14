package io.vertiq.durable;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Durable sleeps and waits for signals: the job parks (no slot, no attempt), comes back, and passes
 * them at once.
 */
class SignalsTest {
  static final Map<String, AtomicInteger> BEFORE = new ConcurrentHashMap<>();

  /** A step, a sleep of payload.ms, then returns; counts how often its step ran. */
  public static final class Sleeper implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      return job.step(
              "before",
              () -> {
                BEFORE
                    .computeIfAbsent(job.queue() + "/" + job.id(), k -> new AtomicInteger())
                    .incrementAndGet();
                return Future.succeededFuture(System.currentTimeMillis());
              })
          .compose(t -> job.sleep(Duration.ofMillis(job.payload().getLong("ms", 0L))))
          .map(v -> (Object) "rested");
    }
  }

  /** Waits for "approved" at most payload.ms, and returns what the wait gave. */
  public static final class Approver implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      return job.waitFor("approved", Duration.ofMillis(job.payload().getLong("ms", 30_000L)))
          .map(w -> w);
    }
  }

  private static JsonObject conf(VertiqHarness h, String name, String handler) {
    return h.conf(
        new JsonObject()
            .put(
                name,
                VertiqHarness.queue(handler, 1, 1)
                    .put("retention", new JsonObject().put("completed", "all"))));
  }

  @Test
  void aSleepingJobFreesItsSlotAndComesBackPastTheSleep() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("sleep");
      h.deploy(conf(h, name, Sleeper.class.getName()));
      JobQueue q = h.queue(name);
      String sleeper = await(q.enqueue(NewJob.of("nap", new JsonObject().put("ms", 1_500)))).id();
      until(
          "asleep",
          Duration.ofSeconds(30),
          () -> await(q.get(sleeper)).state() == JobState.DELAYED);
      // the queue's one slot is free while it sleeps: another job runs meanwhile
      String other = await(q.enqueue(NewJob.of("quick", new JsonObject()))).id();
      assertEquals(JobState.COMPLETED, await(q.awaitResult(other, 20_000)).state());
      assertEquals(JobState.DELAYED, await(q.get(sleeper)).state(), "still asleep");
      Job done = await(q.awaitResult(sleeper, 20_000));
      assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.error()));
      assertEquals("rested", done.result());
      assertEquals(1, BEFORE.get(name + "/" + sleeper).get(), "the step before the sleep ran once");
      assertTrue(done.finishedAt() - done.createdAt() >= 1_500, "it slept");
    }
  }

  @Test
  void aSignalFromAnotherInstanceWakesAWaitingJobWithItsData() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("approve");
      h.deploy(conf(h, name, Approver.class.getName()));
      JobQueue q = h.queue(name); // the harness's own engine and pool, not the service's
      String id = await(q.enqueue(NewJob.of("order", new JsonObject()))).id();
      until("parked", Duration.ofSeconds(30), () -> await(q.get(id)).state() == JobState.DELAYED);
      long sent = System.currentTimeMillis();
      assertEquals("woken", await(q.signal(id, "approved", new JsonObject().put("by", "ada"))));
      Job done = await(q.awaitResult(id, 20_000));
      assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.error()));
      JsonObject result = (JsonObject) done.result();
      assertTrue(result.getBoolean("received"));
      assertEquals("ada", result.getJsonObject("data").getString("by"));
      assertTrue(done.finishedAt() - sent < 10_000, "woken at once, not at the 30 s timeout");
      assertEquals(
          new JsonObject().put("approved", new JsonObject().put("by", "ada")),
          done.toJson().getJsonObject("signals"));
    }
  }

  @Test
  void aWaitThatTimesOutIsToldSo() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("timeout");
      h.deploy(conf(h, name, Approver.class.getName()));
      JobQueue q = h.queue(name);
      String id = await(q.enqueue(NewJob.of("order", new JsonObject().put("ms", 300)))).id();
      Job done = await(q.awaitResult(id, 20_000));
      assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.error()));
      assertFalse(((JsonObject) done.result()).getBoolean("received"));
    }
  }

  @Test
  void aSignalSentBeforeTheWaitIsKeptUntilTheJobWaits() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("early");
      h.deploy(conf(h, name, Approver.class.getName()));
      JobQueue q = h.queue(name);
      String id = await(q.enqueue(NewJob.of("order", new JsonObject()).setDelayMs(1_000))).id();
      assertEquals("kept", await(q.signal(id, "approved", "yes")));
      Job done = await(q.awaitResult(id, 20_000));
      assertEquals(JobState.COMPLETED, done.state());
      assertEquals("yes", ((JsonObject) done.result()).getString("data"));
    }
  }

  @Test
  void badSignalsAreRefusedAndWriteNothing() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("badsig");
      int port = RedisServerProcess.freePort();
      JsonObject conf = conf(h, name, "noop");
      conf.put("http", VertiqHarness.http(port));
      conf.put("jobs", new JsonObject().put("maxPayloadBytes", 1024));
      h.deploy(conf);
      JobQueue q = h.queue(name);
      String done = await(q.enqueue(NewJob.of("n", new JsonObject()))).id();
      assertEquals(JobState.COMPLETED, await(q.awaitResult(done, 20_000)).state());
      assertEquals(
          VertiqException.Code.CONFLICT,
          assertThrows(VertiqException.class, () -> await(q.signal(done, "approved", 1))).code());
      try (ApiClient api = new ApiClient(h.vertx, port)) {
        String base = "/queues/" + name + "/jobs/";
        var missing = api.send("POST", base + "999999/signals/approved", new JsonObject());
        assertEquals(404, missing.statusCode(), missing.bodyAsString());
        var longName =
            api.send("POST", base + done + "/signals/" + "x".repeat(200), new JsonObject());
        assertEquals(400, longName.statusCode());
        assertTrue(
            longName.bodyAsJsonObject().getString("message").startsWith("path parameter signal"),
            longName.bodyAsString());
        String waiting =
            await(q.enqueue(NewJob.of("later", new JsonObject()).setDelayMs(3_600_000))).id();
        var big =
            api.send(
                "POST",
                base + waiting + "/signals/approved",
                new JsonObject().put("x", "y".repeat(2_000)));
        assertEquals(413, big.statusCode(), big.bodyAsString());
        assertTrue(
            await(q.get(waiting)).toJson().getJsonObject("signals") == null,
            "a refused signal wrote nothing");
        var ok =
            api.send(
                "POST",
                base + waiting + "/signals/approved",
                "yes".equals("yes") ? new JsonObject().put("ok", true) : null);
        assertEquals("kept", ok.bodyAsJsonObject().getString("outcome"));
      }
    }
  }
}
