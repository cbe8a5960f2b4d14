package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobPage;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A schedule on two service processes (the fat jar): each fire makes one job although both fire it,
 * and a SIGKILL of one loses no fire while the other runs.
 */
class ScheduleProcessesTest {
  @Test
  void twoProcessesFireOncePerFireTimeAndOneSurvivesTheOthersKill() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("sched2");
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      new JsonObject()
                          .put("handler", "noop")
                          .put("retention", new JsonObject().put("completed", "all"))
                          .put(
                              "schedules",
                              new JsonObject()
                                  .put(
                                      "beat",
                                      new JsonObject()
                                          .put("every", "500ms")
                                          .put("job", new JsonObject().put("name", "beat"))))));
      conf.put("maintenance", new JsonObject().put("interval", "200ms"));
      Path file = JarProcess.writeConf(conf);
      JobQueue q = h.queue(name);
      try (JarProcess a = JarProcess.start("-conf", file.toString());
          JarProcess b = JarProcess.start("-conf", file.toString())) {
        a.awaitStarted();
        b.awaitStarted();
        until(
            "four beats", Duration.ofSeconds(20), () -> await(q.counts()).total("completed") >= 4);
        a.sigkill();
        long afterKill = await(q.counts()).total("completed");
        until(
            "beats go on with one process",
            Duration.ofSeconds(20),
            () -> await(q.counts()).total("completed") >= afterKill + 4);
      }
      List<Long> fires = new ArrayList<>();
      List<Long> onTime = new ArrayList<>();
      String cursor = "0";
      while (cursor != null) {
        JobPage page = await(q.list(JobState.COMPLETED, Long.parseLong(cursor), 500));
        // a fire's time: its job's run-at when it was enqueued ahead (delayed to it), else its
        // creation (a late fire: those the kill left to the other process are made together)
        for (Job j : page.jobs()) {
          fires.add(j.runAt() > 0 ? j.runAt() : j.createdAt());
          if (j.runAt() > 0) onTime.add(j.runAt());
        }
        cursor = page.nextCursor();
      }
      fires.sort(null);
      onTime.sort(null);
      // one job per fire: two processes racing would make pairs for the same fire time
      for (int i = 1; i < onTime.size(); i++) {
        assertTrue(onTime.get(i) - onTime.get(i - 1) >= 250, "two jobs for one fire: " + fires);
      }
      // and no more jobs than fire times over the whole span (late ones included)
      long slots = (fires.get(fires.size() - 1) - fires.get(0)) / 500 + 2;
      assertTrue(fires.size() <= slots, fires.size() + " jobs for " + slots + " fires: " + fires);
      // and no fire lost across the kill: no gap much longer than the interval
      for (int i = 1; i < fires.size(); i++) {
        assertTrue(fires.get(i) - fires.get(i - 1) <= 2_500, "a fire was lost: " + fires);
      }
    }
  }
}
