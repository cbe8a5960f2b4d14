package io.vertiq.http;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The service's /metrics as a Prometheus user checks it: `promtool check metrics` (Debian's
 * prometheus package, which .ci/run installs) finds nothing to complain of, and every vertiq_
 * series has HELP text.
 */
class MetricsExpositionTest {
  @Test
  void promtoolFindsNoProblemInTheMetrics() throws Exception {
    Assumptions.assumeTrue(
        new File("/usr/bin/promtool").canExecute() || onPath("promtool"),
        "promtool is not installed (apt-get install prometheus)");
    try (VertiqHarness h = new VertiqHarness()) {
      String queue = TestSupport.randomName("metrics");
      int port = RedisServerProcess.freePort();
      JsonObject conf = h.conf(new JsonObject().put(queue, VertiqHarness.queue("noop", 1, 5)));
      conf.put("http", VertiqHarness.http(port));
      h.deploy(conf);
      await(h.queue(queue).enqueue(NewJob.of("m", new JsonObject())));
      until(
          "the job ran",
          Duration.ofSeconds(20),
          () -> await(h.queue(queue).counts()).total("completed") == 1);
      String text;
      try (ApiClient api = new ApiClient(h.vertx, port)) {
        text = api.send("GET", "/metrics", null).bodyAsString();
      }
      assertTrue(text.contains("vertiq_jobs_running{"), text);
      for (String line : text.lines().toList()) {
        if (line.startsWith("# TYPE vertiq_")) {
          String name = line.split(" ")[2];
          assertTrue(text.contains("# HELP " + name + " "), name + " has no HELP text");
        }
      }
      Process p =
          new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
      p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
      // promtool reports each problem on a line of its own and exits 1 (3 for lint problems only)
      assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (new File(dir, tool).canExecute()) return true;
    }
    return false;
  }
}
