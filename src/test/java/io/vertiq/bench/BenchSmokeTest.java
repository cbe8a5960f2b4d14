package io.vertiq.bench;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestRedis;
import io.vertiq.testing.TestSupport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each bin/bench scenario at a tiny size: checks the harness works and reports its figures, not the
 * speed.
 */
class BenchSmokeTest {
  /** Every scenario's row, as bin/bench collects them, for the summary's run over all of them. */
  private static final List<String> ROWS = new CopyOnWriteArrayList<>();

  /**
   * bin/bench's summary over every scenario's row (and a warm one): it must print a line for each,
   * whatever fields a scenario reports.
   */
  @AfterAll
  static void theSummaryReadsEveryScenario() throws Exception {
    if (ROWS.isEmpty()) return; // the scenarios did not run (a filtered run of another test)
    Path rows = Files.createTempFile("vertiq-bench-", ".jsonl");
    try {
      Files.write(rows, ROWS);
      Process p =
          new ProcessBuilder("python3", "bin/bench-summary.py", rows.toString(), "50000")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the summary did not finish");
      assertEquals(0, p.exitValue(), out);
      for (String row : ROWS) {
        String scenario = new JsonObject(row).getString("scenario");
        assertTrue(
            out.contains("\"scenario\": \"" + scenario),
            scenario + " missing from the summary:\n" + out);
      }
    } finally {
      Files.delete(rows);
    }
  }

  /** Keys under any bench prefix on the shared Redis. */
  private static long benchKeys() {
    Vertx vertx = Vertx.vertx();
    try {
      return TestSupport.countKeys(Redis.createClient(vertx, TestRedis.url()), "vqbench-*");
    } finally {
      TestSupport.await(vertx.close());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "drain",
        "enqueue",
        "bulk",
        "latency",
        "idle",
        "memory",
        "scripts",
        "ratelimit",
        "groups",
        "weights",
        "schedules",
        "cancel",
        "signals",
        "dashboard",
        "flows",
        "payloads"
      })
  void scenarioRunsAndReports(String scenario) throws Exception {
    double scale =
        switch (scenario) {
          case "latency", "idle" -> 0.1;
          case "memory" -> 0.002;
          case "ratelimit" -> 0.15;
          case "schedules" -> 0.01;
          default -> 0.02;
        };
    JsonObject r;
    if (scenario.equals("ratelimit") || scenario.equals("payloads")) {
      // ratelimit pauses its Redis for an outage (CLIENT PAUSE), payloads reads its used_memory: a
      // server of its own, not the shared one
      try (RedisServerProcess own = RedisServerProcess.launch()) {
        r = Bench.run(own.url(), scenario, scale);
      }
    } else {
      long before = benchKeys();
      r = Bench.run(TestRedis.url(), scenario, scale);
      // a scenario deletes what it wrote, its workers' last reports included
      assertEquals(before, benchKeys(), scenario + " left keys on the shared Redis");
    }
    ROWS.add(r.encode());
    assertEquals(scenario, r.getString("scenario"));
    switch (scenario) {
      case "latency" ->
          assertTrue(
              r.getDouble("p99Ms") > 0
                  && r.getDouble("maxMs") >= r.getDouble("p99Ms")
                  && r.getDouble("eventP99Ms") > 0
                  && r.getDouble("pingP99Ms") > 0
                  && r.getDouble("threadWakeMaxMs") >= r.getDouble("threadWakeP99Ms"),
              r.encode());
      case "idle" -> assertTrue(r.getDouble("commandsPerSec") >= 0, r.encode());
      case "ratelimit" ->
          assertTrue(
              r.getInteger("mostInAnySecond") <= r.getInteger("limitPerSec")
                  && r.getDouble("measuredPerSec") > 0
                  && r.getInteger("smooth50MostInAnyRedisSecond") <= 50
                  && r.getInteger("window50MostInAnyHandlerSecond") > 0,
              r.encode());
      case "weights" ->
          assertTrue(
              r.getDouble("worstWeightDeviation") < 0.25 && r.getLong("drainJobsPerSec") > 0,
              r.encode());
      case "groups" ->
          assertTrue(r.getDouble("jain") > 0.9 && r.getDouble("ratioToPlain") > 0, r.encode());
      case "schedules" ->
          assertTrue(
              r.getLong("fires") > 0
                  && r.getLong("duplicates") == 0
                  && r.getLong("missedInSteadyPart") == 0
                  && r.getDouble("idleCommandsPerSec") > 0,
              r.encode());
      case "cancel" ->
          assertTrue(
              r.getDouble("toHandlerP50Ms") > 0
                  && r.getDouble("toDeadP99Ms") >= r.getDouble("toHandlerP50Ms"),
              r.encode());
      case "signals" ->
          assertTrue(
              r.getDouble("toHandlerP50Ms") > 0
                  && r.getDouble("toHandlerMaxMs") >= r.getDouble("toHandlerP99Ms"),
              r.encode());
      case "dashboard" ->
          assertTrue(
              r.getDouble("worstMs") > 0 && r.getJsonObject("pages").size() >= 10, r.encode());
      case "flows" ->
          assertTrue(r.getDouble("jobsPerSec") > 0 && r.getDouble("ratioToPlain") > 0, r.encode());
      case "payloads" ->
          // the 20 KiB event batch shrinks several times over; the stored job still reads back
          assertTrue(
              r.getLong("events20kWaitingBytesOn") > 0
                  && r.getDouble("events20kWaitingRatio") > 2
                  && r.getDouble("events20kCompletedRatio") > 2,
              r.encode());
      case "memory" -> {
        assertTrue(r.getDouble("heapAfterGcMiB") > 0, r.encode());
        assertEquals(3, r.getJsonObject("heapAfterGcMiBAtCompleted").size(), r.encode());
      }
      case "scripts" ->
          assertTrue(
              r.getDouble("enqueueMicrosPerJob") > 0
                  && r.getDouble("fetchMicrosPerJob") > 0
                  && r.getDouble("finishMicrosPerJob") > 0
                  && r.getInteger("jobs") == 2000,
              r.encode());
      default -> {
        assertTrue(r.getDouble("jobsPerSec") > 0, r.encode());
        assertTrue(r.getDouble("roundTripsPerJob") > 0, r.encode());
      }
    }
  }

  @Test
  void aWarmRunIsMarkedAndMeasuredAfterAnUntimedOne() throws Exception {
    JsonObject r = Bench.run(TestRedis.url(), "bulk", 0.01, true);
    ROWS.add(r.encode());
    assertTrue(r.getBoolean("warm"), r.encode());
    assertEquals(2000, r.getInteger("jobs"));
    assertTrue(r.getDouble("jobsPerSec") > 0, r.encode());
  }
}
