package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fat jar as users run it: a bad conf, a SIGKILL mid-job, a SIGTERM with jobs running. */
class ProcessLifecycleTest {

  private static Path write(JsonObject conf) throws Exception {
    return JarProcess.writeConf(conf);
  }

  private static JsonObject sleepQueue(String lease, String drain) {
    return new JsonObject()
        .put("handler", "sleep")
        .put("instances", 2)
        .put("concurrency", 10)
        .put("lease", lease)
        .put("drainTimeout", drain)
        .put("maxStalled", 2);
  }

  @Test
  void aBadConfExitsWithOneAndSaysWhatAndWhere() throws Exception {
    Path broken = Files.createTempFile("vertiq-bad-", ".json");
    Files.writeString(broken, "{ \"redis\": ");
    try (JarProcess p = JarProcess.start("-conf", broken.toString())) {
      assertEquals(1, p.waitFor(60));
      assertTrue(p.output().contains("conf file " + broken + ": not valid JSON"), p.output());
    }
    try (JarProcess p = JarProcess.start("-conf", "/nonexistent/vertiq.json")) {
      assertEquals(1, p.waitFor(60));
      assertTrue(p.output().contains("conf file /nonexistent/vertiq.json: not found"), p.output());
    }
    Path invalid =
        write(
            new JsonObject()
                .put(
                    "queues",
                    new JsonObject()
                        .put(
                            "emails",
                            new JsonObject().put("handler", "echo").put("concurrency", "ten"))));
    try (JarProcess p = JarProcess.start("-conf", invalid.toString())) {
      assertEquals(1, p.waitFor(60));
      assertTrue(
          p.output()
              .contains("queues.emails.concurrency: expected a positive integer, got \"ten\""),
          p.output());
    }
    Files.delete(broken);
  }

  @Test
  void jobsOfAProcessKilledMidJobAreRunByAnotherOne() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("kill");
      JsonObject conf = h.conf(new JsonObject().put(name, sleepQueue("1s", "10s")));
      conf.put("maintenance", new JsonObject().put("interval", "200ms"));
      Path file = write(conf);
      JobQueue queue = h.queue(name);
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < 20; i++) jobs.add(NewJob.of("slow", new JsonObject().put("ms", 2_000)));
      await(queue.enqueueBulk(jobs));
      try (JarProcess first = JarProcess.start("-conf", file.toString())) {
        until(
            "the first process runs all 20",
            Duration.ofSeconds(60),
            () -> await(queue.counts()).active() == 20);
        first.sigkill();
      }
      assertEquals(0, await(queue.counts()).total("completed"), "nothing finished before the kill");
      try (JarProcess second = JarProcess.start("-conf", file.toString())) {
        until(
            "the second process completes all 20",
            Duration.ofSeconds(60),
            () -> await(queue.counts()).total("completed") == 20);
        var c = await(queue.counts());
        assertEquals(0, c.dead() + c.ready() + c.active());
        assertEquals(20, c.total("stalled"), "each job was requeued once after its lease expired");
        second.sigterm();
        assertEquals(0, second.waitFor(30));
      }
    }
  }

  @Test
  void sigtermDrainsReleasesUnfinishedJobsAndExitsZero() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("term");
      Path file = write(h.conf(new JsonObject().put(name, sleepQueue("30s", "1s"))));
      JobQueue queue = h.queue(name);
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < 5; i++) jobs.add(NewJob.of("quick", new JsonObject().put("ms", 200)));
      for (int i = 0; i < 5; i++) jobs.add(NewJob.of("long", new JsonObject().put("ms", 60_000)));
      await(queue.enqueueBulk(jobs));
      try (JarProcess p = JarProcess.start("-conf", file.toString())) {
        until(
            "5 quick done and 5 long running",
            Duration.ofSeconds(60),
            () -> {
              var c = await(queue.counts());
              return c.total("completed") == 5 && c.active() == 5;
            });
        long t0 = System.currentTimeMillis();
        p.sigterm();
        assertEquals(0, p.waitFor(20), p.output());
        long took = System.currentTimeMillis() - t0;
        assertTrue(took < 1_000 + 10_000, "stopped in " + took + "ms");
        var c = await(queue.counts());
        assertEquals(
            5,
            c.ready(),
            "the unfinished jobs are back in ready at once, not after their 30s lease");
        assertEquals(0, c.active());
        assertTrue(
            p.output().contains("releasing 5 unfinished jobs") || p.output().contains("releasing"),
            p.output());
      }
    }
  }
}
