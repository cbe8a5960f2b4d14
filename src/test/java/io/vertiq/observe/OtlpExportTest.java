package io.vertiq.observe;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The meters pushed over OTLP (HTTP/protobuf) when the conf asks: an OTLP endpoint of the test's
 * own receives the service's meters, the job counters among them, with the service's name, beside
 * /metrics; the stop takes the push away.
 */
class OtlpExportTest {
  @Test
  void theMetersArePushedToAnOtlpEndpoint() {
    try (VertiqHarness h = new VertiqHarness()) {
      List<String> bodies = new CopyOnWriteArrayList<>();
      List<String> types = new CopyOnWriteArrayList<>();
      int port = RedisServerProcess.freePort();
      HttpServer receiver =
          await(
              h.vertx
                  .createHttpServer()
                  .requestHandler(
                      req ->
                          req.body()
                              .onSuccess(
                                  b -> {
                                    if (req.path().equals("/v1/metrics")) {
                                      types.add(String.valueOf(req.getHeader("content-type")));
                                      // protobuf keeps names and strings as their UTF-8 bytes
                                      bodies.add(b.toString(StandardCharsets.ISO_8859_1));
                                    }
                                    req.response().setStatusCode(200).end();
                                  }))
                  .listen(port, "127.0.0.1"));
      String name = TestSupport.randomName("otlp");
      JsonObject conf = h.conf(new JsonObject().put(name, VertiqHarness.queue("noop", 1, 1)));
      conf.put(
          "metrics",
          new JsonObject()
              .put(
                  "otlp",
                  new JsonObject()
                      .put("endpoint", "http://127.0.0.1:" + port + "/v1/metrics")
                      .put("step", "200ms")
                      .put("serviceName", "vertiq-otlp-test")));
      h.deploy(conf);
      JobQueue q = h.queue(name);
      await(q.enqueue(NewJob.of("t", new JsonObject())));
      until(
          "the job counters pushed with the service's name",
          Duration.ofSeconds(30),
          () ->
              bodies.stream()
                  .anyMatch(
                      b -> b.contains("vertiq_jobs_completed") && b.contains("vertiq-otlp-test")));
      assertTrue(
          types.stream().allMatch(t -> t.startsWith("application/x-protobuf")), types.toString());
      assertNotNull(Metrics.scrape(), "/metrics goes on beside the push");
      h.undeploy();
      assertTrue(
          ((CompositeMeterRegistry) Metrics.registry())
              .getRegistries().stream().noneMatch(r -> r instanceof OtlpMeterRegistry),
          "the stop took the push away");
      await(receiver.close());
    }
  }
}
