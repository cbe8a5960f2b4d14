package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * tracing.enabled in the fat jar, with the logging exporter: a producer's request to process A (the
 * HTTP API, no worker of the queue) and the job's run in process B (the workers) are spans of the
 * producer's trace.
 */
class TracingProcessesTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void aJobsTraceGoesFromTheRequestOnOneProcessToItsRunOnAnother() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String queue = TestSupport.randomName("traced");
      int port = RedisServerProcess.freePort();
      JsonObject tracing = new JsonObject().put("enabled", true).put("exporter", "logging");
      JsonObject confA =
          h.conf(
                  new JsonObject()
                      .put(
                          TestSupport.randomName("other"), new JsonObject().put("handler", "noop")))
              .put("http", VertiqHarness.http(port))
              .put("tracing", tracing);
      JsonObject confB =
          h.conf(new JsonObject().put(queue, new JsonObject().put("handler", "echo")))
              .put("tracing", tracing);
      try (JarProcess a = JarProcess.start("-conf", JarProcess.writeConf(confA).toString());
          JarProcess b = JarProcess.start("-conf", JarProcess.writeConf(confB).toString())) {
        a.awaitStarted();
        b.awaitStarted();
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/queues/" + queue + "/jobs"))
                        .header("content-type", "application/json")
                        .header("traceparent", "00-" + TRACE + "-b7ad6b7169203331-01")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"welcome\",\"payload\":{}}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        String id = new JsonObject(r.body()).getString("id");
        // the exporter writes "'<span name>' : <trace id> <span id> <kind> ... attributes"
        until(
            "A exported the enqueue's span",
            Duration.ofSeconds(20),
            () -> a.output().contains("'enqueue " + queue + "' : " + TRACE));
        until(
            "B exported the run's span",
            Duration.ofSeconds(20),
            () -> b.output().contains("'run " + queue + "' : " + TRACE));
        String run =
            b.output()
                .lines()
                .filter(l -> l.contains("'run " + queue + "' : " + TRACE))
                .findFirst()
                .orElseThrow();
        assertTrue(run.contains("CONSUMER") && run.contains("vertiq.job.id=" + id), run);
        assertFalse(a.output().contains("'run " + queue + "'"), "A runs no job of the queue");
      }
    }
  }
}
