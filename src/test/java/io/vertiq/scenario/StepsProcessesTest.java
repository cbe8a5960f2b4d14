package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Durable steps through the fat jar: an eight-step job (the built-in "steps" handler), its process
 * SIGKILLed three times mid-step. Every step that finished (its result stored) ran exactly once:
 * its run's line is in the job's log once, no later run of the step follows it, and the job's
 * result holds that run's value.
 */
class StepsProcessesTest {
  @Test
  void anEightStepJobKilledThreeTimesRunsEachFinishedStepOnce() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("steps");
      // a short lease, so the job a killed process held runs again soon
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      new JsonObject()
                          .put("handler", "steps")
                          .put("lease", "1s")
                          .put("maxStalled", 10)
                          .put("retention", new JsonObject().put("completed", "all"))));
      conf.put("maintenance", new JsonObject().put("interval", "200ms"));
      Path file = JarProcess.writeConf(conf);
      JobQueue q = h.queue(name);
      String id =
          await(q.enqueue(NewJob.of("eight", new JsonObject().put("count", 8).put("ms", 2_500))))
              .id();
      int kills = 0;
      while (kills < 3) {
        try (JarProcess p = JarProcess.start("-conf", file.toString())) {
          p.awaitStarted();
          // this run finishes a step of its own, then begins the next: kill it there, mid-step
          int stepsBefore = await(q.get(id)).steps().size();
          until(
              "a step finished by this run",
              Duration.ofSeconds(60),
              () -> await(q.get(id)).steps().size() > stepsBefore);
          int linesThen = lines(await(q.get(id))).size();
          try {
            until(
                "the next step begun",
                Duration.ofSeconds(60),
                () -> lines(await(q.get(id))).size() > linesThen);
          } catch (AssertionError e) {
            Job now = await(q.get(id));
            throw new AssertionError(
                e.getMessage()
                    + "; the job: "
                    + now.toJson().encode()
                    + "\nthe process:\n"
                    + p.output(),
                e);
          }
          p.sigkill();
          kills++;
        }
      }
      try (JarProcess last = JarProcess.start("-conf", file.toString())) {
        last.awaitStarted();
        until(
            "completed",
            Duration.ofSeconds(90),
            () -> await(q.get(id)).state() == JobState.COMPLETED);
      }
      Job done = await(q.get(id));
      List<String> log = lines(done);
      JsonObject result = (JsonObject) done.result();
      assertTrue(done.attemptsMade() >= 4, "it ran after each kill: " + done.attemptsMade());
      // each kill came mid-step: that step's work ran twice (its first run was never recorded)
      assertTrue(log.size() >= 8 + 3, "a line per step's work, and one more per kill: " + log);
      for (int i = 1; i <= 8; i++) {
        String step = "step-" + i;
        String kept = result.getString(step);
        String line = step + " ran as " + kept;
        assertEquals(1, log.stream().filter(line::equals).count(), step + " finished once: " + log);
        int at = log.indexOf(line);
        assertTrue(
            log.subList(at + 1, log.size()).stream()
                .noneMatch(l -> l.startsWith(step + " ran as ")),
            step + " ran again after it finished: " + log);
        assertEquals(kept, done.steps().getString(step));
      }
    }
  }

  private static List<String> lines(Job job) {
    List<String> out = new ArrayList<>();
    JsonArray logs = job.logs();
    if (logs != null) logs.forEach(o -> out.add(((JsonObject) o).getString("line")));
    return out;
  }
}
