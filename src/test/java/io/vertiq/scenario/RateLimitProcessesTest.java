package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobPage;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two service processes (the fat jar) on one rate-limited queue: together they never start more
 * than the limit.
 */
class RateLimitProcessesTest {
  @Test
  void twoProcessesTogetherKeepToTheRate() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("rate2");
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      new JsonObject()
                          .put("handler", "sleep")
                          .put("instances", 2)
                          .put("concurrency", 100)
                          .put("rateLimit", new JsonObject().put("max", 50).put("per", "1s"))
                          .put("retention", new JsonObject().put("completed", "all"))));
      Path file = JarProcess.writeConf(conf);
      JobQueue q = h.queue(name);
      try (JarProcess a = JarProcess.start("-conf", file.toString());
          JarProcess b = JarProcess.start("-conf", file.toString())) {
        a.awaitStarted();
        b.awaitStarted();
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 200; i++) jobs.add(NewJob.of("t", new JsonObject()));
        await(q.enqueueBulk(jobs));
        until(
            "200 completions",
            Duration.ofSeconds(60),
            () -> await(q.counts()).total("completed") == 200);
      }
      List<Long> starts = new ArrayList<>();
      String cursor = "0";
      while (cursor != null) {
        JobPage page = await(q.list(JobState.COMPLETED, Long.parseLong(cursor), 500));
        for (Job j : page.jobs()) starts.add(j.startedAt());
        cursor = page.nextCursor();
      }
      assertEquals(200, starts.size());
      int most = TestSupport.mostInAnyWindow(starts, 1_000);
      assertTrue(most <= 50, "most started in any 1 s window by both processes: " + most);
    }
  }
}
