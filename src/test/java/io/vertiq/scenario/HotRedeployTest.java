package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.server.Bootstrap;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Redeploys and conf reloads while jobs flow: nothing lost, nothing run twice, no long stall. */
class HotRedeployTest {
  private static final String H = RecordingHandler.class.getName();

  private static JsonObject queueConf(int concurrency) {
    return new JsonObject()
        .put("handler", H)
        .put("instances", 1)
        .put("concurrency", concurrency)
        .put("drainTimeout", "5s")
        .put("retention", new JsonObject().put("completed", "none"));
  }

  /** A Bootstrap watching its own conf file (scanned every 100ms), with one queue. */
  private record Watched(Bootstrap boot, Path file, JsonObject conf) {}

  private static Watched startOnFile(VertiqHarness h, String name, int concurrency)
      throws Exception {
    Path file = Files.createTempFile("vertiq-" + name + "-", ".json");
    JsonObject conf = h.conf(new JsonObject().put(name, queueConf(concurrency)));
    conf.put("reload", new JsonObject().put("scanPeriod", "100ms"));
    Files.writeString(file, conf.encodePrettily());
    Bootstrap boot = new Bootstrap(file.toString());
    h.adopt(await(h.vertx.deployVerticle(boot, new DeploymentOptions())));
    return new Watched(boot, file, conf);
  }

  @Test
  void fifteenRedeploysAndRescalesUnderSteadyLoadRunEveryJobExactlyOnce() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("hot");
      Watched w = startOnFile(h, name, 20);
      Bootstrap boot = w.boot();
      Path file = w.file();
      JsonObject conf = w.conf();

      int total = 20_000;
      AtomicInteger sent = new AtomicInteger();
      long producer =
          h.vertx.setPeriodic(
              10,
              t -> {
                if (sent.get() >= total) return;
                List<NewJob> batch = new ArrayList<>();
                for (int i = 0; i < 20 && sent.get() < total; i++, sent.incrementAndGet())
                  batch.add(NewJob.of("t", new JsonObject()));
                h.queue(name).enqueueBulk(batch);
              });
      try {
        for (int i = 0; i < 5; i++) {
          int gen = boot.node().deployer().groups().get(name).generation();
          Files.writeString(
              file,
              conf.copy()
                  .put("queues", new JsonObject().put(name, queueConf(21 + i)))
                  .encodePrettily());
          until(
              "conf edit " + i + " redeployed",
              Duration.ofSeconds(10),
              () -> boot.node().deployer().groups().get(name).generation() > gen);
          await(boot.node().redeploy(name));
        }
        for (int n : new int[] {4, 2}) await(boot.node().scale(name, n));
        assertEquals(2, boot.node().deployer().groups().get(name).options().instances());

        // an invalid conf changes nothing, is reported, and the next valid one is picked up
        Files.writeString(
            file,
            conf.copy()
                .put("queues", new JsonObject().put(name, queueConf(5).put("instances", "many")))
                .encodePrettily());
        until(
            "the reload is rejected",
            Duration.ofSeconds(10),
            () -> "rejected".equals(boot.node().lastReload().getString("status")));
        assertTrue(
            boot.node()
                .lastReload()
                .encode()
                .contains("queues." + name + ".instances: expected a positive integer"));
        assertEquals(
            2,
            boot.node().deployer().groups().get(name).options().instances(),
            "still on the old conf");
        Files.writeString(
            file,
            conf.copy()
                .put("queues", new JsonObject().put(name, queueConf(30).put("instances", 3)))
                .encodePrettily());
        until(
            "the next valid conf applies",
            Duration.ofSeconds(10),
            () -> boot.node().deployer().groups().get(name).options().instances() == 3);

        until(
            "all jobs ran",
            Duration.ofSeconds(90),
            () -> sent.get() == total && await(h.queue(name).counts()).total("completed") == total);
      } finally {
        h.vertx.cancelTimer(producer);
        Files.deleteIfExists(file);
      }
      Map<String, Integer> perId = new HashMap<>();
      List<Long> times = new ArrayList<>();
      for (RecordingHandler.Run r : RecordingHandler.runs(name)) {
        perId.merge(r.id(), 1, Integer::sum);
        times.add(r.at());
      }
      assertEquals(total, perId.size(), "every job ran");
      assertEquals(
          List.of(),
          perId.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList(),
          "no job ran twice");
      times.sort(null);
      long maxGap = 0;
      for (int i = 1; i < times.size(); i++)
        maxGap = Math.max(maxGap, times.get(i) - times.get(i - 1));
      System.out.println(
          "hot redeploy: longest gap between job starts " + maxGap + "ms over " + total + " jobs");
      assertTrue(maxGap < 1_000, "longest gap with no job starting: " + maxGap + "ms");
    }
  }

  @Test
  void aChangedRedisSectionMovesEveryGroupToANewPoolWithoutLosingJobs() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("pool");
      Watched w = startOnFile(h, name, 10);
      Bootstrap boot = w.boot();
      Path file = w.file();
      JsonObject conf = w.conf();
      try {
        List<NewJob> first = new ArrayList<>();
        for (int i = 0; i < 500; i++) first.add(NewJob.of("t", new JsonObject().put("ms", 2)));
        await(h.queue(name).enqueueBulk(first));
        var oldClient = boot.node().redis();
        JsonObject changed = conf.copy();
        changed.getJsonObject("redis").put("poolSize", 3);
        Files.writeString(file, changed.encodePrettily());
        until(
            "the new pool is in use",
            Duration.ofSeconds(10),
            () ->
                boot.node().redis() != oldClient
                    && boot.node().lastReload().encode().contains("redis: new shared pool"));
        assertEquals(
            2,
            boot.node().deployer().groups().get(name).generation(),
            "the group moved to the new pool");
        await(h.queue(name).enqueueBulk(first));
        until(
            "all 1,000 jobs ran",
            Duration.ofSeconds(30),
            () -> await(h.queue(name).counts()).total("completed") == 1_000);
        Map<String, Integer> perId = new HashMap<>();
        for (RecordingHandler.Run r : RecordingHandler.runs(name))
          perId.merge(r.id(), 1, Integer::sum);
        assertEquals(1_000, perId.size());
        assertTrue(
            perId.values().stream().allMatch(c -> c == 1), "no job ran twice across the pool swap");
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }
}
