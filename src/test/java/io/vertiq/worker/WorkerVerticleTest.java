package io.vertiq.worker;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Addresses;
import io.vertiq.EnqueueResult;
import io.vertiq.Job;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.config.QueueOptions;
import io.vertiq.redis.Keys;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.RecordingHandler.Run;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue engine end to end against a real Redis: every job runs, retries, delays, priorities,
 * leases.
 */
class WorkerVerticleTest {
  private static final String H = RecordingHandler.class.getName();
  private VertiqHarness h;

  @AfterEach
  void cleanup() {
    if (h != null) h.close();
  }

  private static JsonObject q(int instances, int concurrency) {
    return VertiqHarness.queue(H, instances, concurrency);
  }

  private static List<NewJob> jobs(int n, JsonObject payload) {
    List<NewJob> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(NewJob.of("t", payload.copy().put("i", i)));
    return out;
  }

  @Test
  void twentyThousandJobsOnTwoGroupsOfFourRunExactlyOnce() {
    h = new VertiqHarness();
    String a = TestSupport.randomName("a");
    String b = TestSupport.randomName("b");
    h.deploy(
        h.conf(
            new JsonObject()
                .put(a, q(4, 50).put("retention", new JsonObject().put("completed", "none")))
                .put(b, q(4, 50).put("retention", new JsonObject().put("completed", "none")))));
    for (String name : List.of(a, b)) {
      for (int batch = 0; batch < 10; batch++)
        await(h.queue(name).enqueueBulk(jobs(1_000, new JsonObject())));
    }
    until(
        "20,000 completions",
        Duration.ofSeconds(90),
        () ->
            await(h.queue(a).counts()).total("completed")
                    + await(h.queue(b).counts()).total("completed")
                >= 20_000);
    for (String name : List.of(a, b)) {
      Map<String, Integer> perId = new HashMap<>();
      for (Run r : RecordingHandler.runs(name)) perId.merge(r.id(), 1, Integer::sum);
      assertEquals(10_000, perId.size(), "every job of " + name + " ran");
      assertTrue(perId.values().stream().allMatch(c -> c == 1), "no job of " + name + " ran twice");
      var counts = await(h.queue(name).counts());
      assertEquals(0, counts.ready() + counts.active() + counts.delayed() + counts.dead());
    }
    // retention "none": no job hash is left behind
    assertEquals(
        0,
        TestSupport.countKeys(h.redis, h.prefix + ":{" + a + "}:j"),
        "completed jobs leave no keys");
  }

  @Test
  void retriesFollowTheBackoffThenDieAndComeBackOnManualRetry() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("retry");
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    q(1, 5)
                        .put("attempts", 3)
                        .put(
                            "backoff",
                            new JsonObject()
                                .put("type", "exponential")
                                .put("delay", "200ms")
                                .put("jitter", 0)))));
    String id =
        await(h.queue(name).enqueue(NewJob.of("t", new JsonObject().put("failTimes", -1)))).id();
    until(
        "the job is dead", Duration.ofSeconds(10), () -> await(h.queue(name).counts()).dead() == 1);
    List<Run> runs = RecordingHandler.runs(name);
    assertEquals(3, runs.size());
    // Redis-clock start times: 200ms then 400ms between attempts (exponential, no jitter)
    long gap1 = runs.get(1).startedAt() - runs.get(0).startedAt();
    long gap2 = runs.get(2).startedAt() - runs.get(1).startedAt();
    assertTrue(gap1 >= 200 && gap1 < 400, "first retry after " + gap1 + "ms");
    assertTrue(gap2 >= 400 && gap2 < 700, "second retry after " + gap2 + "ms");
    Job dead = await(h.queue(name).get(id));
    assertEquals(JobState.DEAD, dead.state());
    assertEquals("planned failure 3", dead.error());
    assertTrue(await(h.queue(name).recentFailures(10)).size() >= 3);

    assertEquals(1L, await(h.queue(name).retryDead(List.of())));
    until(
        "three more runs",
        Duration.ofSeconds(10),
        () -> runs.size() == 6 && await(h.queue(name).counts()).dead() == 1);
    assertEquals(1, runs.get(3).attempt(), "a manual retry starts a fresh set of attempts");
  }

  @Test
  void delayedJobsNeverStartEarlyAndStartWithin100msOfTheirTime() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("delay");
    h.deploy(h.conf(new JsonObject().put(name, q(2, 10))));
    List<String> ids = new ArrayList<>();
    for (long delay : new long[] {300, 600, 900, 50, 1200}) {
      ids.add(
          await(h.queue(name).enqueue(NewJob.of("t", new JsonObject()).setDelayMs(delay))).id());
    }
    until(
        "all delayed jobs ran",
        Duration.ofSeconds(10),
        () -> RecordingHandler.runs(name).size() == 5);
    for (Run r : RecordingHandler.runs(name)) {
      Job j = await(h.queue(name).get(r.id()));
      long late = r.startedAt() - j.runAt();
      assertTrue(late >= 0, "job " + r.id() + " started " + (-late) + "ms early");
      assertTrue(late <= 100, "job " + r.id() + " started " + late + "ms late");
    }
  }

  @Test
  void higherPriorityRunsFirstAndFifoWithinAPriority() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("prio");
    JobQueue queue = h.queue(name);
    await(queue.pause());
    h.deploy(h.conf(new JsonObject().put(name, q(1, 1))));
    String low1 = await(queue.enqueue(NewJob.of("t", new JsonObject()).setPriority(-5))).id();
    String mid1 = await(queue.enqueue(NewJob.of("t", new JsonObject()))).id();
    String high = await(queue.enqueue(NewJob.of("t", new JsonObject()).setPriority(10))).id();
    String mid2 = await(queue.enqueue(NewJob.of("t", new JsonObject()))).id();
    String low2 = await(queue.enqueue(NewJob.of("t", new JsonObject()).setPriority(-5))).id();
    await(queue.resume());
    until("all ran", Duration.ofSeconds(10), () -> RecordingHandler.runs(name).size() == 5);
    assertEquals(
        List.of(high, mid1, mid2, low1, low2),
        RecordingHandler.runs(name).stream().map(Run::id).toList());
  }

  @Test
  void pauseStopsFetchingAndResumeRestartsIt() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("pause");
    h.deploy(h.conf(new JsonObject().put(name, q(2, 10))));
    JobQueue queue = h.queue(name);
    await(queue.pause());
    await(queue.enqueueBulk(jobs(20, new JsonObject())));
    // asserting an absence needs a window: for 500ms the workers, awake and polled by the enqueue,
    // take nothing
    long end = System.currentTimeMillis() + 500;
    while (System.currentTimeMillis() < end) {
      assertEquals(20, await(queue.counts()).ready());
      assertTrue(await(queue.counts()).paused());
    }
    await(queue.resume());
    until(
        "all ran after resume",
        Duration.ofSeconds(10),
        () -> await(queue.counts()).total("completed") == 20);
  }

  /**
   * A sleeping worker has its next fetch queued behind its BLPOP. A stop must end that wait at once
   * and must not drop the reply of a fetch Redis ran as the wait ended: such jobs would sit leased
   * to nobody for their 30 s lease. So a job enqueued just as its worker stops still runs within
   * seconds of the next deploy, in every round.
   */
  @Test
  void aSleepingWorkerStopsAtOnceAndAJobEnqueuedAsItStopsIsNotLost() {
    try (RedisServerProcess own = RedisServerProcess.launch()) {
      h = new VertiqHarness(own.url());
      String name = TestSupport.randomName("stopwake");
      JsonObject conf = h.conf(new JsonObject().put(name, q(1, 5)));
      JobQueue queue = h.queue(name);
      int rounds = 10;
      for (int i = 0; i < rounds; i++) {
        h.deploy(conf);
        until(
            "the worker sleeps in BLPOP",
            Duration.ofSeconds(5),
            () ->
                await(h.redis.send(Request.cmd(Command.CLIENT).arg("LIST")))
                    .toString()
                    .contains("cmd=blpop"));
        queue.enqueue(
            NewJob.of("race", new JsonObject().put("round", i))); // not awaited: races the stop
        long t0 = System.nanoTime();
        h.undeploy();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(
            ms < 1_500,
            "round " + i + ": a sleeping worker took " + ms + "ms to stop (its idle wait is 2s)");
      }
      h.deploy(conf);
      until(
          "every raced job completed, none waiting out a lease",
          Duration.ofSeconds(10),
          () -> await(queue.counts()).total("completed") == rounds);
      assertEquals(
          0, await(queue.counts()).total("stalled"), "no job was leased to a stopped worker");
    }
  }

  /**
   * A stopping worker whose wait cannot be ended early (here an ACL refuses CLIENT, so no UNBLOCK:
   * on a cluster it is the same) may still be woken by another instance's release and take the
   * released job with its queued fetch. Its stop must wait for that wait and release what it
   * brought in, even past the drain timeout: the job is ready again when the undeploy returns, not
   * leased to a stopped worker for its 30 s lease.
   */
  @Test
  void aJobReleasedByOneStoppingInstanceIsNotLeftWithAnotherStoppingOne() {
    try (RedisServerProcess own =
        RedisServerProcess.launch(
            "--user", "worker", "on", "nopass", "~*", "&*", "+@all", "-client")) {
      String workerUrl = "redis://worker:x@127.0.0.1:" + own.port();
      h = new VertiqHarness(workerUrl);
      Redis admin = Redis.createClient(h.vertx, own.url());
      String name = TestSupport.randomName("handoff");
      JobQueue queue = h.queue(name);
      for (int round = 0; round < 3; round++) {
        h.deploy(
            h.conf(
                new JsonObject()
                    .put(name, VertiqHarness.queue("sleep", 2, 5).put("drainTimeout", "50ms"))));
        if (round == 0) await(queue.enqueue(NewJob.of("long", new JsonObject().put("ms", 60_000))));
        until(
            "the job runs and both instances sleep in BLPOP",
            Duration.ofSeconds(10),
            () ->
                await(queue.counts()).active() == 1
                    && await(admin.send(Request.cmd(Command.CLIENT).arg("LIST")))
                            .toString()
                            .split("cmd=blpop", -1)
                            .length
                        == 3);
        h.undeploy();
        var c = await(queue.counts());
        assertEquals(
            List.of(1L, 0L),
            List.of(c.ready(), c.active()),
            "round " + round + ": the unfinished job is back in ready when the stop returns");
      }
      admin.close();
    }
  }

  @Test
  void uniqueKeysDedupeWhileTheJobIsPending() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("uniq");
    JobQueue queue = h.queue(name);
    EnqueueResult first =
        await(queue.enqueue(NewJob.of("t", new JsonObject()).setUniqueKey("user-7")));
    EnqueueResult again =
        await(queue.enqueue(NewJob.of("t", new JsonObject()).setUniqueKey("user-7")));
    assertTrue(first.created());
    assertFalse(again.created());
    assertEquals(first.id(), again.id());
    h.deploy(h.conf(new JsonObject().put(name, q(1, 1))));
    until(
        "the job ran", Duration.ofSeconds(10), () -> await(queue.counts()).total("completed") == 1);
    EnqueueResult after =
        await(queue.enqueue(NewJob.of("t", new JsonObject()).setUniqueKey("user-7")));
    assertTrue(after.created(), "a finished job frees its unique key");
    assertNotEquals(first.id(), after.id());
  }

  @Test
  void completedRetentionKeepsTheLastN() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("keep");
    h.deploy(
        h.conf(
            new JsonObject()
                .put(name, q(1, 20).put("retention", new JsonObject().put("completed", 10)))));
    await(h.queue(name).enqueueBulk(jobs(200, new JsonObject())));
    until(
        "all ran",
        Duration.ofSeconds(10),
        () -> await(h.queue(name).counts()).total("completed") == 200);
    assertEquals(10, await(h.queue(name).counts()).completed());
    // the kept jobs, and only they, hold storage: a spec and a completed run each (plain jobs have
    // no hash)
    Keys keys = new Keys(h.prefix, name);
    assertEquals(0, TestSupport.countKeys(h.redis, h.prefix + ":{" + name + "}:j"));
    for (String hash : List.of(keys.specs(), keys.done())) {
      assertEquals(10L, await(h.redis.send(Request.cmd(Command.HLEN).arg(hash))).toLong(), hash);
    }
    var page = await(h.queue(name).list(JobState.COMPLETED, 0, 5));
    assertEquals(5, page.jobs().size());
    assertEquals(10, page.total());
    assertEquals("5", page.nextCursor());
    assertEquals(
        page.jobs().get(0).id(), page.jobs().get(0).result(), "the handler's result is kept");
  }

  @Test
  void aHangingHandlerIsFailedAtItsTimeout() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("hang");
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    q(1, 5)
                        .put("attempts", 2)
                        .put("timeout", "200ms")
                        .put(
                            "backoff",
                            new JsonObject().put("type", "fixed").put("delay", "10ms")))));
    String id =
        await(h.queue(name).enqueue(NewJob.of("t", new JsonObject().put("hang", true)))).id();
    until(
        "dead after two timeouts",
        Duration.ofSeconds(10),
        () -> await(h.queue(name).counts()).dead() == 1);
    assertEquals("timed out after 200ms", await(h.queue(name).get(id)).error());
  }

  @Test
  void heartbeatsKeepTheLeasesOfJobsThatRunLongerThanTheirLease() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("long");
    // a 500ms lease renewed every ~170ms, maintenance every 50ms, and no stall allowed: a lapsed
    // lease means dead
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    q(1, 5).put("lease", "500ms").put("maxStalled", 0).put("timeout", "10s"))));
    await(h.queue(name).enqueueBulk(jobs(3, new JsonObject().put("ms", 2_000))));
    until(
        "all three completed",
        Duration.ofSeconds(10),
        () -> await(h.queue(name).counts()).total("completed") == 3);
    var counts = await(h.queue(name).counts());
    assertEquals(0, counts.dead());
    assertEquals(0, counts.total("stalled"));
    assertEquals(3, RecordingHandler.runs(name).size(), "each ran once, four leases long");
  }

  @Test
  void anExpiredLeaseSendsTheJobBackAndThenToDeadAfterMaxStalled() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("stall");
    JobQueue queue = h.queue(name);
    // no worker group: take the job by hand (as a worker that then dies would) with a 100ms lease
    String id = await(queue.enqueue(NewJob.of("t", new JsonObject()))).id();
    WorkerStore store = new WorkerStore(h.redis, new Keys(h.prefix, name));
    assertEquals(1, await(store.fetch(10, 100)).jobs().size());
    var opts = new QueueOptions().setHandler("noop").setMaxStalled(1);
    // a deadline for a busy machine: a pass delayed over 3 s reads as an outage, which grants a 10
    // s grace first
    until(
        "requeued after the lease",
        Duration.ofSeconds(30),
        () -> {
          await(new MaintainPass(h.redis, store.keys()).run(opts, 50));
          return await(queue.counts()).ready() == 1;
        });
    assertEquals(1, await(store.fetch(10, 100)).jobs().size());
    until(
        "dead after the second stall",
        Duration.ofSeconds(30),
        () -> {
          await(new MaintainPass(h.redis, store.keys()).run(opts, 50));
          return await(queue.counts()).dead() == 1;
        });
    Job j = await(queue.get(id));
    assertEquals(2, j.stalls());
    assertTrue(j.error().startsWith("stalled"), j.error());
  }

  @Test
  void scriptFlushWhileJobsRunLosesNothing() {
    try (RedisServerProcess own = RedisServerProcess.launch()) {
      h = new VertiqHarness(own.url());
      String name = TestSupport.randomName("flush");
      h.deploy(h.conf(new JsonObject().put(name, q(2, 20))));
      for (int i = 0; i < 5; i++) {
        await(h.queue(name).enqueueBulk(jobs(400, new JsonObject().put("ms", 1))));
        await(h.redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
      }
      until(
          "all 2000 ran",
          Duration.ofSeconds(30),
          () -> await(h.queue(name).counts()).total("completed") == 2000);
      h.close();
      h = null;
    }
  }

  @Test
  void jobsEnqueuedOnTheEventBusRun() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("bus");
    h.deploy(h.conf(new JsonObject().put(name, q(1, 5))));
    JsonObject reply =
        (JsonObject)
            await(
                    h.vertx
                        .eventBus()
                        .request(
                            Addresses.ENQUEUE,
                            new JsonObject()
                                .put("queue", name)
                                .put("name", "hello")
                                .put("payload", new JsonObject().put("x", 1))))
                .body();
    assertTrue(reply.getBoolean("created"));
    until("the job ran", Duration.ofSeconds(10), () -> RecordingHandler.runs(name).size() == 1);
    var err =
        assertThrows(
            RuntimeException.class,
            () ->
                await(
                    h.vertx
                        .eventBus()
                        .request(
                            Addresses.ENQUEUE,
                            new JsonObject().put("queue", name).put("payload", "not an object"))));
    assertTrue(err.getMessage().contains("payload: expected a JSON object"), err.getMessage());
  }

  @Test
  void aHandlerOnAnEventBusAddressRunsTheJob() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("addr");
    String address = "test." + name;
    h.vertx
        .eventBus()
        .<JsonObject>consumer(
            address, m -> m.reply(new JsonObject().put("seen", m.body().getString("id"))));
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    new JsonObject()
                        .put("address", address)
                        .put("retention", new JsonObject().put("completed", 10)))));
    String id = await(h.queue(name).enqueue(NewJob.of("t", new JsonObject()))).id();
    until(
        "completed",
        Duration.ofSeconds(10),
        () -> await(h.queue(name).counts()).total("completed") == 1);
    assertEquals(new JsonObject().put("seen", id), await(h.queue(name).get(id)).result());
  }

  @Test
  void lifecycleEventsArePublishedInTheDocumentedShapes() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("events");
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    await(
        h.vertx
            .eventBus()
            .<JsonObject>consumer(Addresses.events(name), m -> seen.add(m.body()))
            .completion());
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    q(1, 5)
                        .put("attempts", 2)
                        .put(
                            "backoff",
                            new JsonObject()
                                .put("type", "fixed")
                                .put("delay", "20ms")
                                .put("jitter", 0)))));
    String id =
        await(h.queue(name).enqueue(NewJob.of("t", new JsonObject().put("failTimes", 1)))).id();
    until(
        "completed event",
        Duration.ofSeconds(10),
        () -> seen.stream().anyMatch(e -> "completed".equals(e.getString("event"))));
    List<String> kinds = seen.stream().map(e -> e.getString("event")).toList();
    // The producer publishes `enqueued`, the worker the rest: only the worker's own events are
    // ordered
    // (the worker can be woken and publish `active` before the producer's reply is handled).
    assertEquals(1, kinds.stream().filter("enqueued"::equals).count(), kinds.toString());
    List<String> workerKinds = kinds.stream().filter(k -> !"enqueued".equals(k)).toList();
    assertEquals(List.of("active", "failed", "retried", "active", "completed"), workerKinds);
    for (JsonObject e : seen) {
      assertEquals(name, e.getString("queue"));
      if (List.of("enqueued", "active", "completed").contains(e.getString("event"))) {
        assertEquals(new JsonArray().add(id), e.getJsonArray("ids"), e.encode());
      } else {
        assertEquals(id, e.getString("id"));
        assertEquals("planned failure 1", e.getString("error"));
      }
    }
    assertEquals(
        20L,
        seen.stream()
            .filter(e -> "retried".equals(e.getString("event")))
            .findFirst()
            .orElseThrow()
            .getLong("delay"));
  }
}
