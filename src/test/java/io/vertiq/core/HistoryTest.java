package io.vertiq.core;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-minute history the dashboard charts: runs completed, failed and dead, and the mean wait.
 */
class HistoryTest {
  private static long sum(JsonArray a) {
    long s = 0;
    for (Object o : a) s += ((Number) o).longValue();
    return s;
  }

  @Test
  void runsAndWaitsAreCountedPerMinute() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("history");
      h.deploy(
          h.conf(
              new JsonObject().put(name, VertiqHarness.queue("sleep", 1, 50).put("attempts", 1))));
      JobQueue q = h.queue(name);
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < 40; i++) jobs.add(NewJob.of("ok", new JsonObject()));
      jobs.add(NewJob.of("bad", new JsonObject().put("error", "boom")));
      await(q.enqueueBulk(jobs));
      // two minutes: the runs may straddle a minute's end
      until(
          "every run counted",
          Duration.ofSeconds(10),
          () -> sum(await(q.history(2)).getJsonArray("completed")) == 40);
      JsonObject h2 = await(q.history(2));
      assertEquals(1, sum(h2.getJsonArray("failed")), h2.encode());
      assertEquals(1, sum(h2.getJsonArray("dead")), h2.encode());
      assertTrue(
          h2.getJsonArray("waitMs").stream()
              .anyMatch(v -> v != null && ((Number) v).doubleValue() >= 0),
          h2.encode());
      assertEquals(60_000, h2.getInteger("stepMs"));
      assertEquals(2, h2.getJsonArray("completed").size());
      assertEquals(0, h2.getLong("from") % 60_000);
      assertEquals(
          JobQueue.HISTORY_MINUTES,
          await(q.history(JobQueue.HISTORY_MINUTES)).getJsonArray("completed").size());
      VertiqException bad = assertThrows(VertiqException.class, () -> await(q.history(0)));
      assertTrue(bad.getMessage().contains("minutes"), bad.getMessage());
    }
  }

  @Test
  void theLatencyIsHowLongTheNextJobHasBeenDue() {
    try (VertiqHarness h = new VertiqHarness()) {
      JobQueue q = h.queue(TestSupport.randomName("latency"));
      assertEquals(0, await(q.counts()).latencyMs(), "nothing waits");
      await(q.enqueue(NewJob.of("plain", new JsonObject())));
      until(
          "the plain job's wait shows",
          Duration.ofSeconds(5),
          () -> await(q.counts()).latencyMs() >= 50);
      // a job of a priority runs first: its wait is the latency now (fresh, so below the plain
      // job's)
      await(q.enqueue(NewJob.of("urgent", new JsonObject()).setPriority(5)));
      long withUrgent = await(q.counts()).latencyMs();
      assertTrue(withUrgent < 50, "the next job is the urgent one: " + withUrgent);
      assertTrue(await(q.counts()).toJson().containsKey("latencyMs"));
    }
  }
}
