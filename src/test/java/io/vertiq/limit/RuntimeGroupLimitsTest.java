package io.vertiq.limit;

import static io.vertiq.limit.GroupsTest.jobs;
import static io.vertiq.limit.GroupsTest.queue;
import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Addresses;
import io.vertiq.GroupLimits;
import io.vertiq.JobQueue;
import io.vertiq.VertiqException;
import io.vertiq.server.Bootstrap;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A group's limits set at run time (kept in Redis, applied by every node's next fetch): a
 * concurrency across two nodes, a return to the queue's limits, weights that share the starts, and
 * the smooth rate limit that spreads them.
 */
class RuntimeGroupLimitsTest {
  private VertiqHarness h;
  private Vertx second;

  @AfterEach
  void cleanup() {
    if (second != null) await(second.close());
    if (h != null) h.close();
  }

  private JobQueue start(String name, JsonObject queueConf) {
    h = new VertiqHarness();
    h.deploy(h.conf(new JsonObject().put(name, queueConf)));
    return h.queue(name);
  }

  private static int most(String queue, String group) {
    var m = GroupsTest.GroupHandler.MOST.get(queue + "/" + group);
    return m == null ? 0 : m.get();
  }

  @Test
  void aConcurrencySetAtRunTimeHoldsOnTwoNodesAndItsRemovalLiftsIt() {
    String name = TestSupport.randomName("rtconc");
    JsonObject conf = queue(2, 10);
    JobQueue q = start(name, conf);
    // a second node on the same Redis and prefix, with its own Vert.x
    second = Vertx.vertx();
    await(
        second.deployVerticle(
            new Bootstrap(null),
            new DeploymentOptions().setConfig(h.conf(new JsonObject().put(name, conf)))));

    JsonObject state = await(q.setGroupLimits("acme", GroupLimits.none().concurrency(2)));
    assertEquals(2, state.getJsonObject("limits").getInteger("concurrency"), state.encode());
    await(q.enqueueBulk(jobs("acme", 30, 40)));
    until("30 completed", Duration.ofSeconds(60), () -> await(q.counts()).total("completed") == 30);
    assertEquals(2, most(name, "acme"), "at most 2 runs at once over 4 instances on 2 nodes");

    JsonObject cleared = await(q.clearGroupLimits("acme"));
    assertFalse(cleared.containsKey("limits"), cleared.encode());
    await(q.enqueueBulk(jobs("acme", 40, 200)));
    until("70 completed", Duration.ofSeconds(60), () -> await(q.counts()).total("completed") == 70);
    assertTrue(
        most(name, "acme") > 2, "back to no group limit: " + most(name, "acme") + " at once");
  }

  @Test
  void aLimitSetWhileAGroupIsHeldBackAppliesAtOnce() {
    String name = TestSupport.randomName("rtraise");
    JobQueue q = start(name, queue(1, 20).put("groups", new JsonObject().put("concurrency", 1)));
    await(q.enqueueBulk(jobs("slow", 12, 300)));
    until(
        "the group held back by the queue's group concurrency",
        Duration.ofSeconds(20),
        () -> "concurrency".equals(await(q.group("slow")).getString("limited")));
    await(q.setGroupLimits("slow", GroupLimits.none().concurrency(4)));
    until("4 runs of the group at once", Duration.ofSeconds(20), () -> most(name, "slow") == 4);
    until("12 completed", Duration.ofSeconds(60), () -> await(q.counts()).total("completed") == 12);
    assertEquals(4, most(name, "slow"), "never more than the new limit");
  }

  @Test
  void backloggedGroupsShareTheStartsByWeight() {
    String name = TestSupport.randomName("rtweight");
    JobQueue q = start(name, queue(1, 8));
    await(q.pause());
    Map<String, Integer> weights = Map.of("w1", 1, "w2", 2, "w5", 5);
    for (var w : weights.entrySet()) {
      await(q.setGroupLimits(w.getKey(), GroupLimits.none().weight(w.getValue())));
      await(q.enqueueBulk(jobs(w.getKey(), 600, 0)));
    }
    await(q.resume());
    until(
        "800 started",
        Duration.ofSeconds(60),
        () -> GroupsTest.GroupHandler.runs(name).size() >= 800);
    // the first 800 starts, while every group is still backlogged: 100, 200 and 500 expected
    Map<String, Long> share =
        // a copy: the workers still append to the list, and a view of it fails when they do
        List.copyOf(GroupsTest.GroupHandler.runs(name)).subList(0, 800).stream()
            .collect(
                Collectors.groupingBy(GroupsTest.GroupHandler.Run::group, Collectors.counting()));
    for (var w : weights.entrySet()) {
      double expected = 800.0 * w.getValue() / 8;
      long got = share.getOrDefault(w.getKey(), 0L);
      assertTrue(
          Math.abs(got - expected) <= expected * 0.1,
          w.getKey() + ": " + got + " of the first 800 starts, expected " + expected + " " + share);
    }
    until(
        "all completed",
        Duration.ofSeconds(60),
        () -> await(q.counts()).total("completed") == 1_800);
  }

  @Test
  void aSmoothRateSpreadsTheStartsOnePerSlot() {
    String name = TestSupport.randomName("rtsmooth");
    // the queue's own smooth limit: 20 a second, one every 50 ms
    JobQueue q =
        start(
            name,
            queue(2, 20)
                .put(
                    "rateLimit",
                    new JsonObject().put("max", 20).put("per", "1s").put("smooth", true)));
    await(q.enqueueBulk(jobs(null, 15, 0)));
    // and a group's, set at run time on another queue-wide unlimited group: 10 a second
    until("15 completed", Duration.ofSeconds(30), () -> await(q.counts()).total("completed") == 15);
    List<Long> starts = startsOf(name, null);
    for (int i = 1; i < starts.size(); i++)
      assertTrue(
          starts.get(i) - starts.get(i - 1) >= 49,
          "starts "
              + (i - 1)
              + " and "
              + i
              + " are "
              + (starts.get(i) - starts.get(i - 1))
              + " ms apart: "
              + starts);
  }

  @Test
  void aGroupsSmoothRateSetAtRunTimeSpreadsItsStarts() {
    String name = TestSupport.randomName("rtgsmooth");
    JobQueue q = start(name, queue(2, 20));
    await(q.setGroupLimits("api", GroupLimits.none().rateLimit(10, Duration.ofSeconds(1), true)));
    await(q.enqueueBulk(jobs("api", 8, 0)));
    await(q.enqueueBulk(jobs("other", 20, 0)));
    until("28 completed", Duration.ofSeconds(30), () -> await(q.counts()).total("completed") == 28);
    List<Long> api = startsOf(name, "api");
    for (int i = 1; i < api.size(); i++)
      assertTrue(api.get(i) - api.get(i - 1) >= 99, "api starts 100 ms apart: " + api);
    List<Long> other = startsOf(name, "other");
    assertTrue(
        other.get(other.size() - 1) - other.get(0) < 500,
        "the other group is not held back: " + other);
  }

  @Test
  void aGroupsRateHoldsWhenItsJobsArriveOneAtATime() {
    // each job is done before the next arrives, so the group is idle (and forgotten) between them:
    // its rate window and its smooth slot must outlive that
    String name = TestSupport.randomName("rtdrip");
    JobQueue q =
        start(
            name,
            queue(2, 20)
                .put(
                    "groups",
                    new JsonObject()
                        .put("rateLimit", new JsonObject().put("max", 5).put("per", "1s"))));
    await(
        q.setGroupLimits("smooth", GroupLimits.none().rateLimit(10, Duration.ofSeconds(1), true)));
    for (int i = 1; i <= 8; i++) {
      for (String g : List.of("window", "smooth")) await(q.enqueueBulk(jobs(g, 1, 0)));
      int done = 2 * i;
      until(
          done + " completed",
          Duration.ofSeconds(30),
          () -> await(q.counts()).total("completed") == done);
    }
    List<Long> window = startsOf(name, "window");
    assertTrue(
        TestSupport.mostInAnyWindow(window, 1_000) <= 5, "at most 5 in any second: " + window);
    List<Long> smooth = startsOf(name, "smooth");
    for (int i = 1; i < smooth.size(); i++)
      assertTrue(smooth.get(i) - smooth.get(i - 1) >= 99, "100 ms apart: " + smooth);
  }

  private static List<Long> startsOf(String queue, String group) {
    return GroupsTest.GroupHandler.runs(queue).stream()
        .filter(r -> group == null ? r.group() == null : group.equals(r.group()))
        .map(GroupsTest.GroupHandler.Run::startedAt)
        .sorted()
        .toList();
  }

  @Test
  void theEventBusSetsAndClearsAGroupsLimits() {
    String name = TestSupport.randomName("rtbus");
    JobQueue q = start(name, queue(1, 1));
    JsonObject set = control(name, "setGroupLimits", new JsonObject().put("weight", 2));
    assertTrue(set.getBoolean("ok"), set.encode());
    assertEquals(2, await(q.group("acme")).getJsonObject("limits").getInteger("weight"));
    ReplyException bad =
        assertThrows(
            ReplyException.class,
            () -> control(name, "setGroupLimits", new JsonObject().put("weight", "heavy")));
    assertTrue(bad.getMessage().contains("limits.weight"), bad.getMessage());
    control(name, "clearGroupLimits", null);
    assertFalse(await(q.group("acme")).containsKey("limits"));
  }

  /** A control action on group "acme" of the queue, over the event bus; its reply. */
  private JsonObject control(String queue, String action, JsonObject limits) {
    JsonObject body =
        new JsonObject().put("action", action).put("queue", queue).put("group", "acme");
    if (limits != null) body.put("limits", limits);
    return (JsonObject) await(h.vertx.eventBus().request(Addresses.CONTROL, body)).body();
  }

  @Test
  void badLimitsAreRefusedNamingTheKeyAndWriteNothing() {
    String name = TestSupport.randomName("rtbad");
    JobQueue q = start(name, queue(1, 1));
    Function<String, String> refusal =
        json ->
            assertThrows(
                    VertiqException.class, () -> GroupLimits.fromJson(new JsonObject(json), "body"))
                .getMessage();
    assertEquals("body.weight: expected 1 to 1000, got 0", refusal.apply("{\"weight\": 0}"));
    assertEquals("body.nope: unknown key", refusal.apply("{\"nope\": 1}"));
    assertTrue(
        refusal
            .apply("{\"rateLimit\": {\"max\": 5, \"per\": \"soon\"}}")
            .startsWith("body.rateLimit.per:"));
    assertTrue(
        refusal
            .apply("{\"rateLimit\": {\"max\": 5, \"per\": \"2d\"}}")
            .startsWith("body.rateLimit.per:"));
    assertTrue(
        refusal
            .apply("{\"concurrency\": \"ten\"}")
            .startsWith("body.concurrency: expected an integer"));
    VertiqException bad =
        assertThrows(
            VertiqException.class,
            () -> await(q.setGroupLimits("no way", GroupLimits.none().weight(2))));
    assertTrue(bad.getMessage().startsWith("group:"), bad.getMessage());
    assertEquals(
        GroupLimits.none().concurrency(3).rateLimit(50, Duration.ofSeconds(1), true).weight(4),
        GroupLimits.fromJson(
            new JsonObject(
                "{\"concurrency\":3,\"rateLimit\":{\"max\":50,\"per\":\"1s\",\"smooth\":true},\"weight\":4}"),
            "body"),
        "the JSON form reads back");
    assertEquals(
        GroupLimits.none().weight(2),
        GroupStore.decode(GroupStore.encode(GroupLimits.none().weight(2))),
        "the stored form reads back");
  }
}
