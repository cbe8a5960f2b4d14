package io.vertiq.limit;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A queue's rate limit and global concurrency, held by several worker instances together, on Redis
 * time.
 */
class LimitsTest {
  private VertiqHarness h;

  @AfterEach
  void cleanup() {
    if (h != null) h.close();
  }

  private static List<NewJob> jobs(int n, long ms) {
    List<NewJob> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(NewJob.of("t", new JsonObject().put("ms", ms)));
    return out;
  }

  @Test
  void threeInstancesTogetherNeverStartMoreThanTheRateInAnyWindow() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("rate");
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    VertiqHarness.queue(RecordingHandler.class.getName(), 3, 100)
                        .put("rateLimit", new JsonObject().put("max", 40).put("per", "500ms")))));
    JobQueue q = h.queue(name);
    await(q.enqueueBulk(jobs(200, 0)));
    until(
        "200 completions",
        Duration.ofSeconds(30),
        () -> await(q.counts()).total("completed") == 200);
    List<Long> starts =
        RecordingHandler.runs(name).stream().map(RecordingHandler.Run::startedAt).toList();
    assertEquals(200, starts.size());
    assertTrue(
        TestSupport.mostInAnyWindow(starts, 500) <= 40,
        "most started in a 500 ms window: " + TestSupport.mostInAnyWindow(starts, 500));
    long span =
        starts.stream().mapToLong(Long::longValue).max().getAsLong()
            - starts.stream().mapToLong(Long::longValue).min().getAsLong();
    // 200 jobs at 40 per 500 ms: the fifth window's first start comes 2 s after the first one's
    assertTrue(span >= 2_000, "the limit spread the starts over " + span + " ms");
    assertTrue(span < 6_000, "and the queue kept to its rate, not far below it: " + span + " ms");
  }

  @Test
  void aGlobalConcurrencyHoldsAcrossInstancesAndWorkContinuesAsRunsEnd() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("global");
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    VertiqHarness.queue(RecordingHandler.class.getName(), 2, 20)
                        .put("globalConcurrency", 5))));
    JobQueue q = h.queue(name);
    await(q.enqueueBulk(jobs(40, 100)));
    long most = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (await(q.counts()).total("completed") < 40 && System.nanoTime() < deadline) {
      most =
          Math.max(
              most, await(q.counts()).active()); // sampling the active count while the queue drains
    }
    assertEquals(40, await(q.counts()).total("completed"));
    assertTrue(most <= 5, "at most 5 ran at once, saw " + most);
    assertTrue(most >= 4, "and the limit was used, not starved: " + most);
  }
}
