package io.vertiq.server;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.redis.Layout;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  /** Connections other than the one asking, as CLIENT LIST lines. */
  private static List<String> otherClients(Redis admin) {
    String list = await(admin.send(Request.cmd(Command.CLIENT).arg("LIST"))).toString();
    return Arrays.stream(list.split("\n"))
        .filter(l -> !l.isBlank() && !l.contains("cmd=client"))
        .toList();
  }

  @Test
  void eightInstancesShareOnePoolAndUndeployClosesEveryConnection() {
    try (RedisServerProcess own = RedisServerProcess.launch();
        VertiqHarness h = new VertiqHarness(own.url())) {
      Redis admin = Redis.createClient(h.vertx, own.url());
      String name = TestSupport.randomName("pool");
      JsonObject conf = h.conf(new JsonObject().put(name, VertiqHarness.queue("noop", 8, 50)));
      conf.getJsonObject("redis").put("poolSize", 4);
      await(h.redis.send(Request.cmd(Command.PING)));
      int baseline = otherClients(admin).size(); // the harness's own client
      h.deploy(conf);
      for (int i = 0; i < 20; i++) {
        List<NewJob> batch = new ArrayList<>();
        for (int k = 0; k < 500; k++) batch.add(NewJob.of("t", new JsonObject()));
        await(h.queue(name).enqueueBulk(batch));
      }
      until(
          "10,000 jobs done",
          Duration.ofSeconds(60),
          () -> await(h.queue(name).counts()).total("completed") == 10_000);
      until(
          "8 workers asleep on their own connections",
          Duration.ofSeconds(10),
          () -> otherClients(admin).stream().filter(l -> l.contains("cmd=blpop")).count() == 8);
      List<String> clients = otherClients(admin);
      long blocking = clients.stream().filter(l -> l.contains("cmd=blpop")).count();
      long pooled = clients.size() - blocking;
      // the harness's own client and the admin client are pooled too: at most 4 (pool) + 1 + 1
      assertTrue(
          pooled <= 4 + 2,
          "shared pool connections: " + pooled + "\n" + String.join("\n", clients));

      h.undeploy();
      until(
          "every Vertiq connection closed",
          Duration.ofSeconds(10),
          () -> otherClients(admin).size() == baseline);
      assertEquals(0, otherClients(admin).stream().filter(l -> l.contains("cmd=blpop")).count());
    }
  }

  @Test
  void redisDownAtStartFailsAfterTheRetryWindowWithTheMaskedUrl() {
    try (VertiqHarness h = new VertiqHarness()) {
      int port = RedisServerProcess.freePort();
      JsonObject conf = h.conf(new JsonObject());
      conf.getJsonObject("redis")
          .put("url", "redis://:hunter2@127.0.0.1:" + port)
          .put("startupTimeout", "1s");
      long start = System.currentTimeMillis();
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () ->
                  await(
                      h.vertx.deployVerticle(
                          new Bootstrap(null), new DeploymentOptions().setConfig(conf))));
      long took = System.currentTimeMillis() - start;
      assertTrue(took >= 1_000, "gave up after " + took + "ms");
      assertTrue(
          e.getMessage().contains("redis://:****@127.0.0.1:" + port + " is not reachable"),
          e.getMessage());
      assertFalse(e.getMessage().contains("hunter2"));
    }
  }

  @Test
  void aLayoutFromANewerBuildIsRefusedAndAnOlderOneIsRaised() {
    try (VertiqHarness h = new VertiqHarness()) {
      String key = Layout.key(h.prefix);
      JsonObject conf = h.conf(new JsonObject());
      // no key: the layout before it was versioned, read as it is and raised to this build's
      await(
          h.vertx
              .deployVerticle(new Bootstrap(null), new DeploymentOptions().setConfig(conf))
              .compose(h.vertx::undeploy));
      assertEquals(
          Integer.toString(Layout.CURRENT),
          await(h.redis.send(Request.cmd(Command.GET).arg(key))).toString());
      await(h.redis.send(Request.cmd(Command.SET).arg(key).arg("99")));
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () ->
                  await(
                      h.vertx.deployVerticle(
                          new Bootstrap(null), new DeploymentOptions().setConfig(conf))));
      assertTrue(
          e.getMessage().contains("layout under prefix \"" + h.prefix + "\" is version 99"),
          e.getMessage());
      assertTrue(e.getMessage().contains("reads up to version " + Layout.CURRENT), e.getMessage());
      await(h.redis.send(Request.cmd(Command.DEL).arg(key)));
    }
  }

  @Test
  void anUnknownHandlerFailsTheStartNamingTheQueue() {
    try (VertiqHarness h = new VertiqHarness()) {
      JsonObject conf =
          h.conf(new JsonObject().put("mail", new JsonObject().put("handler", "com.example.Nope")));
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () ->
                  await(
                      h.vertx.deployVerticle(
                          new Bootstrap(null), new DeploymentOptions().setConfig(conf))));
      assertTrue(
          e.getMessage()
              .contains(
                  "queues.mail.handler: no built-in handler or class named \"com.example.Nope\""),
          e.getMessage());
    }
  }

  @Test
  void deploysEveryConfiguredGroup() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("a");
      String b = TestSupport.randomName("b");
      Bootstrap boot =
          h.deploy(
              h.conf(
                  new JsonObject()
                      .put(a, VertiqHarness.queue("noop", 2, 5))
                      .put(b, VertiqHarness.queue("echo", 3, 5).put("threading", "worker"))));
      var groups = boot.node().deployer().groups();
      assertEquals(2, groups.size());
      assertEquals(2, groups.get(a).options().instances());
      assertEquals("worker", groups.get(b).options().threading());
      assertTrue(await(h.vertiq.queueNames()).containsAll(List.of(a, b)));
      await(h.queue(b).enqueue(NewJob.of("t", new JsonObject())));
      until(
          "the worker-threaded group ran a job",
          Duration.ofSeconds(10),
          () -> await(h.queue(b).counts()).total("completed") == 1);
    }
  }

  @Test
  void aRejectedReloadIsNoLongerReportedOnceTheFileIsBackToTheRunningConf() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("reload");
      JsonObject conf = h.conf(new JsonObject().put(name, VertiqHarness.queue("noop", 1, 5)));
      Bootstrap b = h.deploy(conf);
      JsonObject broken = conf.copy();
      broken.getJsonObject("queues").getJsonObject(name).put("concurrency", "ten");
      await(b.reload(broken));
      assertEquals("rejected", b.node().lastReload().getString("status"));
      assertTrue(
          b.node()
              .lastReload()
              .getJsonArray("errors")
              .encode()
              .contains("queues." + name + ".concurrency"));
      await(b.reload(conf));
      assertEquals(
          "accepted", b.node().lastReload().getString("status"), b.node().lastReload().encode());
    }
  }
}
