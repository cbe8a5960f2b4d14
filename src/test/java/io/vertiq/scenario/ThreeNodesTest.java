package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Three fat-jar processes on one queue and one Redis: each takes a fair share of the jobs (read
 * from its own /metrics), and a SIGKILL of one mid-drain loses nothing (its leased jobs run again
 * once their lease expires).
 */
class ThreeNodesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * The jobs this process completed, from its own vertiq_jobs_completed_total; -1 when it does not
   * answer.
   */
  private static long completedOn(int port, String queue) {
    try {
      String text =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m =
          Pattern.compile(
                  "vertiq_jobs_completed_total\\{[^}]*queue=\""
                      + Pattern.quote(queue)
                      + "\"[^}]*} ([0-9.E]+)")
              .matcher(text);
      return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void threeProcessesShareAQueueAndAKilledOneLosesNothing() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("three");
      int[] ports = {
        RedisServerProcess.freePort(), RedisServerProcess.freePort(), RedisServerProcess.freePort()
      };
      List<JarProcess> procs = new ArrayList<>();
      try {
        for (int port : ports) {
          JsonObject conf =
              h.conf(
                  new JsonObject()
                      .put(
                          name,
                          new JsonObject()
                              .put("handler", "sleep")
                              .put("concurrency", 5)
                              .put("lease", "2s")
                              .put("retention", new JsonObject().put("completed", "none"))));
          conf.put("http", VertiqHarness.http(port));
          conf.put("maintenance", new JsonObject().put("interval", "200ms"));
          procs.add(JarProcess.start("-conf", JarProcess.writeConf(conf).toString()));
        }
        for (JarProcess p : procs) p.awaitStarted();
        JobQueue q = h.queue(name);
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) jobs.add(NewJob.of("t", new JsonObject().put("ms", 20)));
        await(q.enqueueBulk(jobs));
        until(
            "600 completed",
            Duration.ofSeconds(60),
            () -> await(q.counts()).total("completed") >= 600);
        long[] share = new long[3];
        long sum = 0;
        for (int i = 0; i < 3; i++) {
          share[i] = completedOn(ports[i], name);
          sum += share[i];
        }
        for (int i = 0; i < 3; i++) {
          assertTrue(
              share[i] >= sum / 5, "each process took at least a fifth: " + Arrays.toString(share));
        }
        System.out.println(
            "THREE NODES | completed per process after "
                + sum
                + " jobs | "
                + Arrays.toString(share));
        procs.get(2).sigkill(); // mid-drain, with jobs leased to it
        until(
            "all 3,000 completed",
            Duration.ofSeconds(90),
            () -> await(q.counts()).total("completed") == 3_000);
        assertEquals(0, await(q.counts()).dead());
        assertEquals(0, await(q.counts()).ready() + await(q.counts()).active());
      } finally {
        for (JarProcess p : procs) p.close();
      }
    }
  }
}
