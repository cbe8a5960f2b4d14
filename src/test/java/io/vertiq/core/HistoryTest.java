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
      assertEquals(1440, await(q.history(1440)).getJsonArray("completed").size());
      // beyond a day, hour by hour: 7 days are 168 steps
      JsonObject week = await(q.history(JobQueue.HISTORY_MINUTES));
      assertEquals(168, week.getJsonArray("completed").size());
      assertEquals(3_600_000, week.getInteger("stepMs"));
      assertEquals(40, sum(week.getJsonArray("completed")), week.encode());
      assertEquals(1, sum(week.getJsonArray("dead")), week.encode());
      VertiqException bad = assertThrows(VertiqException.class, () -> await(q.history(0)));
      assertTrue(bad.getMessage().contains("minutes"), bad.getMessage());
    }
  }

  /** The index of the last step with a wait percentile, or -1. */
  private static int lastWithWaits(JsonObject history) {
    JsonArray p50 = history.getJsonArray("waitP50Ms");
    for (int i = p50.size() - 1; i >= 0; i--) if (p50.getValue(i) != null) return i;
    return -1;
  }

  @Test
  void waitPercentilesComeFromTheWorkersReportsForTheMinuteAndTheHour() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("waits");
      h.deploy(h.conf(new JsonObject().put(name, VertiqHarness.queue("noop", 1, 50))));
      JobQueue q = h.queue(name);
      // 20 jobs that wait at least 400 ms (the queue paused), then 180 that start at once
      await(q.pause());
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < 20; i++) jobs.add(NewJob.of("held", new JsonObject()));
      await(q.enqueueBulk(jobs));
      long pausedAt = System.nanoTime();
      until(
          "400 ms held", Duration.ofSeconds(5), () -> System.nanoTime() - pausedAt > 400_000_000L);
      await(q.resume());
      until(
          "the held jobs ran",
          Duration.ofSeconds(10),
          () -> sum(await(q.history(2)).getJsonArray("completed")) == 20);
      jobs.clear();
      for (int i = 0; i < 180; i++) jobs.add(NewJob.of("quick", new JsonObject()));
      await(q.enqueueBulk(jobs));
      // the workers report their waits every few seconds
      until(
          "the waits of all 200 runs reported",
          Duration.ofSeconds(30),
          () -> {
            JsonObject m = await(q.history(3));
            return sum(m.getJsonArray("completed")) == 200 && lastWithWaits(m) >= 0;
          });
      JsonObject week = await(q.history(JobQueue.HISTORY_MINUTES));
      int hour = lastWithWaits(week);
      assertTrue(hour >= 0, week.encode());
      // 1 run in 10 waited 400 ms or more: the p95 shows it, the median does not
      double p50 = week.getJsonArray("waitP50Ms").getDouble(hour);
      double p95 = week.getJsonArray("waitP95Ms").getDouble(hour);
      assertTrue(p95 >= 360, "p95 " + p95 + " ms: " + week.encode());
      assertTrue(p50 < 360, "p50 " + p50 + " ms: " + week.encode());
      assertTrue(p50 >= 0 && p95 >= p50);
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
