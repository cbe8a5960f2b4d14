package io.vertiq.http;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics per job name against a known mix of run times: 60 runs of 10 ms, 12 of 250 ms and 6
 * that fail, read back over HTTP for an hour and a day.
 */
class JobMetricsTest {
  private VertiqHarness h;
  private ApiClient api;

  @AfterEach
  void cleanup() {
    if (api != null) api.close();
    if (h != null) h.close();
  }

  private static JsonObject named(JsonArray jobs, String name) {
    for (int i = 0; i < jobs.size(); i++)
      if (jobs.getJsonObject(i).getString("name").equals(name)) return jobs.getJsonObject(i);
    return null;
  }

  @Test
  void runsFailuresAndPercentilesPerJobName() {
    h = new VertiqHarness();
    String queue = TestSupport.randomName("metrics");
    int port = RedisServerProcess.freePort();
    JsonObject conf =
        h.conf(
            new JsonObject()
                .put(
                    queue,
                    VertiqHarness.queue(RecordingHandler.class.getName(), 1, 100)
                        .put("attempts", 1)));
    conf.put("http", VertiqHarness.http(port));
    h.deploy(conf);
    api = new ApiClient(h.vertx, port);
    JobQueue q = h.queue(queue);
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 60; i++) jobs.add(NewJob.of("fast", new JsonObject().put("ms", 10)));
    for (int i = 0; i < 12; i++) jobs.add(NewJob.of("slow", new JsonObject().put("ms", 250)));
    for (int i = 0; i < 6; i++)
      jobs.add(NewJob.of("broken", new JsonObject().put("failTimes", -1)));
    await(q.enqueueBulk(jobs));

    String path = "/queues/" + queue + "/metrics?period=1h";
    // each worker instance sends its counts every 5 s
    until(
        "every run counted",
        Duration.ofSeconds(30),
        () -> {
          JsonArray got = api.send("GET", path, null).bodyAsJsonObject().getJsonArray("jobs");
          long runs = 0;
          for (int i = 0; i < got.size(); i++) runs += got.getJsonObject(i).getLong("runs");
          return runs == 78;
        });
    JsonObject body = api.send("GET", path, null).bodyAsJsonObject();
    assertEquals(queue, body.getString("queue"));
    assertEquals(3_600_000L, body.getLong("periodMs"));
    JsonArray got = body.getJsonArray("jobs");
    assertEquals("fast", got.getJsonObject(0).getString("name"), "the most run first: " + got);
    JsonObject fast = named(got, "fast"), slow = named(got, "slow"), broken = named(got, "broken");
    assertEquals(60, fast.getLong("runs"));
    assertEquals(0, fast.getLong("failures"));
    assertEquals(12, slow.getLong("runs"));
    assertEquals(6, broken.getLong("runs"));
    assertEquals(6, broken.getLong("failures"));
    // a timer of 10 ms fires after at least 10 ms; the histogram reads within 9%
    assertTrue(fast.getDouble("p50Ms") >= 9 && fast.getDouble("p50Ms") < 100, fast.encode());
    assertTrue(slow.getDouble("p50Ms") >= 225 && slow.getDouble("p50Ms") < 500, slow.encode());
    assertTrue(slow.getDouble("p99Ms") >= slow.getDouble("p50Ms"), slow.encode());
    assertTrue(slow.getDouble("meanMs") >= 250 && slow.getDouble("meanMs") < 500, slow.encode());
    assertTrue(fast.getDouble("p95Ms") < slow.getDouble("p50Ms"), got.encode());

    // a day is read by the hour: the same runs
    JsonArray day =
        api.send("GET", "/queues/" + queue + "/metrics?period=24h", null)
            .bodyAsJsonObject()
            .getJsonArray("jobs");
    assertEquals(60, named(day, "fast").getLong("runs"), day.encode());
    assertEquals(6, named(day, "broken").getLong("failures"), day.encode());
    assertEquals(
        slow.getDouble("p50Ms"), named(day, "slow").getDouble("p50Ms"), "the same histogram");

    var bad = api.send("GET", "/queues/" + queue + "/metrics?period=8d", null);
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsJsonObject().getString("message").contains("period"), bad.bodyAsString());
    var worse = api.send("GET", "/queues/" + queue + "/metrics?period=soon", null);
    assertEquals(400, worse.statusCode());
    assertTrue(
        worse.bodyAsJsonObject().getString("message").contains("query parameter period"),
        worse.bodyAsString());
    assertTrue(await(h.queue(queue).metricsByName(60_000)).size() >= 3, "the Java API");
  }
}
