package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.QueueCounts;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Redis crashes (SIGKILL) and comes back with its append-only file while workers run: they
 * reconnect, nothing is lost.
 */
class RedisRestartTest {

  @Test
  void workersReconnectAfterARedisCrashAndFinishEveryJob() throws Exception {
    try (RedisServerProcess own =
            RedisServerProcess.launch("--appendonly", "yes", "--appendfsync", "always");
        VertiqHarness h = new VertiqHarness(own.url())) {
      String name = TestSupport.randomName("restart");
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      VertiqHarness.queue(RecordingHandler.class.getName(), 2, 10)
                          .put("lease", "2s")
                          .put("retention", new JsonObject().put("completed", "none"))));
      h.deploy(conf);
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < 300; i++) jobs.add(NewJob.of("t", new JsonObject().put("ms", 20)));
      await(h.queue(name).enqueueBulk(jobs));
      until(
          "some jobs done",
          Duration.ofSeconds(20),
          () -> await(h.queue(name).counts()).total("completed") >= 50);

      own.stop(); // SIGKILL: every connection drops mid-flight
      own.start();

      until(
          "every job done after the restart",
          Duration.ofSeconds(60),
          () -> {
            QueueCounts c;
            try {
              c = await(h.queue(name).counts());
            } catch (RuntimeException e) {
              return false; // the test's own probe met Redis still loading its AOF (LOADING) or
              // reconnecting: ask again
            }
            return c.total("completed") == 300 && c.ready() + c.active() + c.delayed() == 0;
          });
      Set<String> ran = new HashSet<>();
      RecordingHandler.runs(name).forEach(r -> ran.add(r.id()));
      assertEquals(300, ran.size(), "every job ran (some may have run twice: at-least-once)");
      assertEquals(0, await(h.queue(name).counts()).dead());
    }
  }
}
