package io.vertiq.limit;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.RetryLater;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handler that says "retry later" (the downstream answered 429): the job waits, no attempt is
 * used.
 */
class RetryLaterTest {
  /**
   * Defers a job's first run by payload.later ms (the whole queue when payload.queueWide), then
   * completes.
   */
  public static final class Deferring implements JobHandler {
    static final Map<String, List<Long>> STARTS = new ConcurrentHashMap<>();

    @Override
    public Future<Object> handle(Job job) {
      STARTS
          .computeIfAbsent(job.queue() + "/" + job.id(), k -> new CopyOnWriteArrayList<>())
          .add(System.currentTimeMillis());
      long later = job.payload().getLong("later", 0L);
      if (later > 0 && job.deferrals() == 0) {
        RetryLater r = RetryLater.in(Duration.ofMillis(later));
        return Future.failedFuture(
            job.payload().getBoolean("queueWide", false) ? r.queueWide() : r);
      }
      return Future.succeededFuture("ran after " + job.deferrals() + " deferral(s)");
    }
  }

  private VertiqHarness h;

  @AfterEach
  void cleanup() {
    if (h != null) h.close();
  }

  private JobQueue deploy(String name) {
    h = new VertiqHarness();
    // one attempt: a failure would make the job dead at once, a deferral must not
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    VertiqHarness.queue(Deferring.class.getName(), 1, 10).put("attempts", 1))));
    return h.queue(name);
  }

  @Test
  void aDeferredJobWaitsItsDelayAndUsesNoAttempt() {
    String name = TestSupport.randomName("later");
    JobQueue q = deploy(name);
    String id = await(q.enqueue(NewJob.of("t", new JsonObject().put("later", 600)))).id();
    until(
        "completed", Duration.ofSeconds(15), () -> await(q.get(id)).state() == JobState.COMPLETED);
    List<Long> starts = Deferring.STARTS.get(name + "/" + id);
    assertEquals(2, starts.size(), "deferred once, then ran");
    assertTrue(
        starts.get(1) - starts.get(0) >= 550,
        "it waited the delay: " + (starts.get(1) - starts.get(0)) + " ms");
    Job job = await(q.get(id));
    assertEquals("ran after 1 deferral(s)", job.result());
    assertEquals(1, job.deferrals());
    assertEquals(0, await(q.counts()).dead());
    assertEquals(1L, await(q.counts()).total("deferred"));
    assertNull(await(q.counts()).totals().get("failed"), "a deferral is no failure");
  }

  @Test
  void aQueueWideDeferralHoldsEveryJobOfTheQueue() {
    String name = TestSupport.randomName("later-q");
    JobQueue q = deploy(name);
    String first =
        await(
                q.enqueue(
                    NewJob.of("t", new JsonObject().put("later", 1_000).put("queueWide", true))))
            .id();
    until(
        "the first run deferred",
        Duration.ofSeconds(10),
        () -> Deferring.STARTS.containsKey(name + "/" + first) && await(q.counts()).delayed() == 1);
    long deferredAt = System.currentTimeMillis();
    String second = await(q.enqueue(NewJob.of("t", new JsonObject()))).id();
    until(
        "both completed", Duration.ofSeconds(15), () -> await(q.counts()).total("completed") == 2);
    long secondStart = Deferring.STARTS.get(name + "/" + second).get(0);
    assertTrue(
        secondStart - deferredAt >= 800,
        "a new job waited for the queue's deferral: " + (secondStart - deferredAt) + " ms");
  }
}
