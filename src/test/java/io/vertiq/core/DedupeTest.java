package io.vertiq.core;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.EnqueueResult;
import io.vertiq.Job;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.config.ConfigErrors;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Deduplication windows (a unique key held after its job finished) and debounce (the newest payload
 * wins).
 */
class DedupeTest {
  @Test
  void aUniqueKeyHeldForItsWindowAfterTheJobFinishedThenFreed() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("dedupe");
      h.deploy(h.conf(new JsonObject().put(name, VertiqHarness.queue("noop", 1, 5))));
      JobQueue q = h.queue(name);
      NewJob held =
          NewJob.of("report", new JsonObject()).setUniqueKey("daily").setUniqueForMs(1_500);
      EnqueueResult first = await(q.enqueue(held));
      assertTrue(first.created());
      until("completed", Duration.ofSeconds(10), () -> await(q.counts()).total("completed") == 1);
      EnqueueResult again =
          await(q.enqueue(NewJob.of("report", new JsonObject()).setUniqueKey("daily")));
      assertFalse(again.created(), "within the window after the job finished: nothing new");
      assertEquals(first.id(), again.id(), "answered with the finished job's id");
      assertEquals("1500ms", await(q.get(first.id())).toJson().getString("uniqueFor"));
      // once the window is over the key is free (polled: each try that is refused creates nothing)
      until(
          "the window over",
          Duration.ofSeconds(10),
          () ->
              await(q.enqueue(NewJob.of("report", new JsonObject()).setUniqueKey("daily")))
                  .created());
      // without a window the key is free as soon as its job finished
      EnqueueResult plain = await(q.enqueue(NewJob.of("once", new JsonObject()).setUniqueKey("k")));
      until(
          "its job completed",
          Duration.ofSeconds(10),
          () -> await(q.get(plain.id())).state() == JobState.COMPLETED);
      assertTrue(await(q.enqueue(NewJob.of("once", new JsonObject()).setUniqueKey("k"))).created());
    }
  }

  @Test
  void debounceReplacesTheWaitingJobsPayloadAndRunAt() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("debounce");
      h.deploy(h.conf(new JsonObject().put(name, VertiqHarness.queue("noop", 1, 5))));
      JobQueue q = h.queue(name);
      await(q.pause());
      String id =
          await(
                  q.enqueue(
                      NewJob.of("sync", new JsonObject().put("v", 1))
                          .setUniqueKey("user:7")
                          .setDelayMs(3_600_000)))
              .id();
      EnqueueResult d =
          await(
              q.enqueue(
                  NewJob.of("sync", new JsonObject().put("v", 2))
                      .setUniqueKey("user:7")
                      .setDebounce(true)
                      .setDelayMs(7_200_000)));
      assertFalse(d.created());
      assertEquals(id, d.id());
      Job j = await(q.get(id));
      assertEquals(2, j.payload().getInteger("v"), "the newest payload");
      assertTrue(
          j.runAt() > System.currentTimeMillis() + 3_600_000,
          "its run-at moved with the newest enqueue");
      assertEquals(JobState.DELAYED, j.state());
      // a unique enqueue that does not debounce is dropped, as before
      await(q.enqueue(NewJob.of("sync", new JsonObject().put("v", 3)).setUniqueKey("user:7")));
      assertEquals(2, await(q.get(id)).payload().getInteger("v"));
      // a ready job takes the payload and stays ready
      String ready =
          await(q.enqueue(NewJob.of("sync", new JsonObject().put("v", 1)).setUniqueKey("user:8")))
              .id();
      await(
          q.enqueue(
              NewJob.of("sync", new JsonObject().put("v", 9))
                  .setUniqueKey("user:8")
                  .setDebounce(true)));
      assertEquals(9, await(q.get(ready)).payload().getInteger("v"));
      assertEquals(JobState.READY, await(q.get(ready)).state());
      assertEquals(
          2, await(q.counts()).ready() + await(q.counts()).delayed(), "no job more than the two");
      await(q.resume());
      until(
          "both ran",
          Duration.ofSeconds(10),
          () -> await(q.get(ready)).state() == JobState.COMPLETED);
    }
  }

  @Test
  void aWindowOrDebounceWithoutAUniqueKeyIsRefusedNamingTheField() {
    try (VertiqHarness h = new VertiqHarness()) {
      JobQueue q = h.queue(TestSupport.randomName("dedupebad"));
      VertiqException e =
          assertThrows(
              VertiqException.class,
              () -> await(q.enqueue(NewJob.of("x", new JsonObject()).setUniqueForMs(1_000))));
      assertTrue(e.getMessage().contains("uniqueFor"), e.getMessage());
      ConfigErrors errors = new ConfigErrors();
      NewJob.fromJson(new JsonObject().put("debounce", true), "body", errors);
      assertTrue(
          String.join("; ", errors.messages()).contains("body.debounce"),
          errors.messages().toString());
    }
  }
}
