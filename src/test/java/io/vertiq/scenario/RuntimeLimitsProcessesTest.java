package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.GroupLimits;
import io.vertiq.Job;
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
 * A group's limit set at run time, through two fat-jar processes that run the queue: it holds
 * across both from their next fetch, and a new one replaces it without a restart. The runs' overlap
 * is read from the jobs' own start and finish times (Redis time), not from the limiter.
 */
class RuntimeLimitsProcessesTest {
  @Test
  void aGroupConcurrencySetAtRunTimeHoldsAcrossTwoProcesses() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("rtlimit");
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      new JsonObject()
                          .put("handler", "sleep")
                          .put("instances", 2)
                          .put("concurrency", 10)
                          .put("retention", new JsonObject().put("completed", "all"))));
      Path file = JarProcess.writeConf(conf);
      JobQueue q = h.queue(name);
      try (JarProcess one = JarProcess.start("-conf", file.toString());
          JarProcess two = JarProcess.start("-conf", file.toString())) {
        one.awaitStarted();
        two.awaitStarted();
        await(q.setGroupLimits("acme", GroupLimits.none().concurrency(2)));
        assertEquals(2, mostAtOnce(q, enqueue(q, 16)), "at most 2 at once over 2 processes");
        // raised while both run: the next fetches use it
        await(q.setGroupLimits("acme", GroupLimits.none().concurrency(5)));
        int most = mostAtOnce(q, enqueue(q, 30));
        assertTrue(most > 2 && most <= 5, "the raised limit: " + most + " at once");
      }
    }
  }

  private static List<String> enqueue(JobQueue q, int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++)
      jobs.add(NewJob.of("t", new JsonObject().put("ms", 150)).setGroup("acme"));
    List<String> ids = new ArrayList<>();
    await(q.enqueueBulk(jobs)).forEach(r -> ids.add(r.id()));
    return ids;
  }

  /** Waits for the jobs to complete, then the most of them that ran at one time. */
  private static int mostAtOnce(JobQueue q, List<String> ids) {
    until(
        ids.size() + " completed",
        Duration.ofSeconds(60),
        () -> ids.stream().allMatch(id -> await(q.get(id)).state() == JobState.COMPLETED));
    List<long[]> edges = new ArrayList<>(); // time, +1 start / -1 end
    for (String id : ids) {
      Job j = await(q.get(id));
      edges.add(new long[] {j.startedAt(), 1});
      edges.add(new long[] {j.finishedAt(), -1});
    }
    // an end and a start at the same millisecond: the end first
    edges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    int now = 0;
    int most = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      most = Math.max(most, now);
    }
    return most;
  }
}
