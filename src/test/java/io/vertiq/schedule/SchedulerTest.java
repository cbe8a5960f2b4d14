package io.vertiq.schedule;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Addresses;
import io.vertiq.Job;
import io.vertiq.JobPage;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.QueueCounts;
import io.vertiq.VertiqException;
import io.vertiq.config.InvalidConfigException;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.Keys;
import io.vertiq.server.Bootstrap;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules end to end on a real Redis: declared in the conf, fired once per fire time by racing
 * nodes, missed fires.
 */
class SchedulerTest {
  private static final String H = RecordingHandler.class.getName();
  private VertiqHarness h;

  @AfterEach
  void cleanup() {
    if (h != null) h.close();
  }

  private JsonObject conf(String queue, JsonObject schedules) {
    return h.conf(
        new JsonObject().put(queue, VertiqHarness.queue(H, 1, 10).put("schedules", schedules)));
  }

  @Test
  void twoNodesFiringTheSameScheduleMakeOneJobPerFireTime() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("sched");
    JsonObject conf =
        conf(
            name,
            new JsonObject()
                .put(
                    "tick",
                    new JsonObject()
                        .put("every", "500ms")
                        .put(
                            "job",
                            new JsonObject()
                                .put("name", "tick")
                                .put("payload", new JsonObject().put("from", "schedule")))));
    h.deploy(conf);
    // a second node on the same Redis: its scheduler races the first for every fire
    String second =
        await(h.vertx.deployVerticle(new Bootstrap(null), new DeploymentOptions().setConfig(conf)));
    JobQueue q = h.queue(name);
    ScheduleStore store = new ScheduleStore(h.redis, new Keys(h.prefix, name));
    until(
        "six fires", Duration.ofSeconds(15), () -> await(store.get("tick")).getLong("fires") >= 6);
    // every fire's job, run or still waiting (the next fire's is enqueued ahead, delayed to its
    // time): as many as
    // fires between two passes; a fire made twice would leave one more job for good
    until(
        "one job per fire",
        Duration.ofSeconds(10),
        () -> {
          long fires = await(store.get("tick")).getLong("fires");
          QueueCounts c = await(q.counts());
          return c.completed() + c.delayed() + c.ready() + c.active() == fires;
        });
    JsonObject s = await(store.get("tick"));
    assertTrue(
        RecordingHandler.runs(name).size() >= 5,
        "the fires' jobs ran: " + RecordingHandler.runs(name).size());
    assertEquals("conf", s.getString("source"));
    assertTrue(
        s.getLong("nextFireAt") > System.currentTimeMillis() - 1_000,
        "a next fire ahead: " + s.encode());
    await(
        h.vertx.undeploy(
            second)); // before the harness deletes the keys, which a running node would write again
  }

  @Test
  void missedFiresFollowTheSchedulesPolicy() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("missed");
    h.deploy(conf(name, new JsonObject()));
    Keys keys = new Keys(h.prefix, name);
    ScheduleStore store = new ScheduleStore(h.redis, keys);
    // hourly from 5.5 h ago: six fires missed, and the next on time half an hour away, so no
    // fire on time can land while the test runs (with fires on the minute, one near a minute's
    // end counted a fire for "skip")
    long origin = System.currentTimeMillis() - 5 * 3_600_000L - 1_800_000L;
    for (String policy : new String[] {"skip", "once", "all"}) {
      JsonObject spec =
          new JsonObject()
              .put("every", "1h")
              .put("startAt", origin)
              .put("missed", policy)
              .put("maxMissed", 5)
              .put("job", new JsonObject().put("name", policy));
      await(store.put(policy, spec, "api"));
      // as if every node had been down since the first fire
      await(
          h.redis.send(
              Request.cmd(Command.ZADD)
                  .arg(keys.scheduleNext())
                  .arg(Long.toString(origin))
                  .arg(policy)));
    }
    until(
        "the missed fires handled",
        Duration.ofSeconds(10),
        () -> {
          JsonArray all = await(store.list());
          return all.stream()
              .allMatch(
                  o -> ((JsonObject) o).getLong("nextFireAt") > System.currentTimeMillis() - 1_000);
        });
    until("their jobs ran", Duration.ofSeconds(10), () -> RecordingHandler.runs(name).size() >= 6);
    assertEquals(0, await(store.get("skip")).getLong("fires"), "skip: none of the missed fires");
    assertEquals(1, await(store.get("once")).getLong("fires"), "once: one for them all");
    assertEquals(5, await(store.get("all")).getLong("fires"), "all: each, up to maxMissed");
  }

  @Test
  void aReloadReconcilesConfSchedulesAndKeepsThoseMadeThroughTheApi() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("reconcile");
    JsonObject daily =
        new JsonObject()
            .put("cron", "0 8 * * *")
            .put("tz", "Europe/Berlin")
            .put("job", new JsonObject());
    Bootstrap b = h.deploy(conf(name, new JsonObject().put("digest", daily).put("report", daily)));
    ScheduleStore store = new ScheduleStore(h.redis, new Keys(h.prefix, name));
    await(
        store.put("mine", new JsonObject().put("every", "1h").put("job", new JsonObject()), "api"));
    assertEquals(3, await(store.list()).size());
    await(
        b.reload(
            conf(name, new JsonObject().put("digest", daily.copy().put("cron", "0 9 * * *")))));
    JsonArray left = await(store.list());
    assertEquals(2, left.size(), left.encode());
    assertEquals(
        "0 9 * * *",
        await(store.get("digest")).getJsonObject("spec").getString("cron"),
        "changed in place");
    assertEquals("api", await(store.get("mine")).getString("source"), "the API's schedule is kept");
  }

  @Test
  void aBadScheduleInTheConfIsRefusedNamingTheField() {
    String[][] cases = {
      {
        "{\"cron\": \"61 * * * *\", \"job\": {}}",
        "queues.q.schedules.s.cron: invalid cron expression"
      },
      {
        "{\"cron\": \"0 8 * * *\", \"tz\": \"Mars/Olympus\", \"job\": {}}",
        "queues.q.schedules.s.tz: expected an IANA time zone"
      },
      {"{\"job\": {}}", "queues.q.schedules.s.cron: expected either"},
      {"{\"every\": \"1s\", \"job\": {\"priority\": 5000}}", "queues.q.schedules.s.job.priority"},
      {
        "{\"every\": \"1s\", \"missed\": \"sometimes\"}",
        "queues.q.schedules.s.missed: expected one of all, once, skip"
      },
    };
    for (String[] c : cases) {
      JsonObject conf =
          new JsonObject()
              .put(
                  "queues",
                  new JsonObject()
                      .put(
                          "q",
                          new JsonObject()
                              .put("handler", "noop")
                              .put("schedules", new JsonObject().put("s", new JsonObject(c[0])))));
      InvalidConfigException e =
          assertThrows(InvalidConfigException.class, () -> new VertiqOptions(conf));
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
    assertNotNull(new QueueOptions(new JsonObject().put("handler", "noop")));
  }

  @Test
  void schedulesAreManagedOverTheEventBus() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("bus");
    h.deploy(conf(name, new JsonObject()));
    JsonObject spec =
        new JsonObject().put("every", "1h").put("job", new JsonObject().put("name", "hourly"));
    JsonObject made =
        (JsonObject)
            await(
                    h.vertx
                        .eventBus()
                        .request(
                            Addresses.CONTROL,
                            new JsonObject()
                                .put("action", "schedule")
                                .put("queue", name)
                                .put("name", "hourly")
                                .put("spec", spec)))
                .body();
    assertTrue(made.getBoolean("ok"));
    assertEquals("api", made.getString("source"));
    JsonObject listed =
        (JsonObject)
            await(
                    h.vertx
                        .eventBus()
                        .request(
                            Addresses.CONTROL,
                            new JsonObject().put("action", "schedules").put("queue", name)))
                .body();
    assertEquals(1, listed.getJsonArray("schedules").size());
    JsonObject fired =
        (JsonObject)
            await(
                    h.vertx
                        .eventBus()
                        .request(
                            Addresses.CONTROL,
                            new JsonObject()
                                .put("action", "triggerSchedule")
                                .put("queue", name)
                                .put("name", "hourly")))
                .body();
    assertTrue(fired.getBoolean("created"));
    RuntimeException bad =
        assertThrows(
            RuntimeException.class,
            () ->
                await(
                    h.vertx
                        .eventBus()
                        .request(
                            Addresses.CONTROL,
                            new JsonObject()
                                .put("action", "schedule")
                                .put("queue", name)
                                .put("name", "x")
                                .put("spec", new JsonObject().put("cron", "nope")))));
    assertTrue(bad.getMessage().contains("cron"), bad.getMessage());
  }

  @Test
  void aFireEnqueuedAheadWaitsForItsTimeAndPausingOrDeletingTheScheduleTakesItBack() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("ahead");
    h.deploy(conf(name, new JsonObject()));
    JobQueue q = h.queue(name);
    ScheduleStore store = new ScheduleStore(h.redis, new Keys(h.prefix, name));
    await(
        store.put(
            "hourly",
            new JsonObject().put("every", "1h").put("job", new JsonObject().put("name", "hourly")),
            "api"));
    long fireAt = await(store.get("hourly")).getLong("nextFireAt");
    // a scheduler whose lead is an hour: the next fire (at the next whole hour) is enqueued now,
    // the node's own
    // scheduler (half a second ahead) leaves it alone
    Scheduler ahead = new Scheduler(h.vertx, h.redis, h.engine, h.prefix, 1_000, 3_600_000);
    ahead.start(Set.of(name));
    until(
        "the fire enqueued ahead",
        Duration.ofSeconds(10),
        () -> await(store.get("hourly")).getLong("fires") == 1);
    ahead.stop();
    JobPage delayed = await(q.list(JobState.DELAYED, 0, 10));
    assertEquals(1, delayed.jobs().size(), "one job, delayed: " + delayed);
    Job job = delayed.jobs().get(0);
    assertEquals(fireAt, job.runAt(), "due at its fire time");
    assertEquals(0, RecordingHandler.runs(name).size(), "not run before its time");

    await(store.setPaused("hourly", true));
    assertEquals(0, await(q.counts()).delayed(), "pausing took the job back");
    assertThrows(VertiqException.class, () -> await(q.get(job.id())), "its job is gone");
    assertEquals(0, await(store.get("hourly")).getLong("fires"), "and its fire");

    await(store.setPaused("hourly", false));
    assertEquals(
        fireAt, await(store.get("hourly")).getLong("nextFireAt"), "resumed for the same fire");
    Scheduler again = new Scheduler(h.vertx, h.redis, h.engine, h.prefix, 1_000, 3_600_000);
    again.start(Set.of(name));
    until("enqueued ahead again", Duration.ofSeconds(10), () -> await(q.counts()).delayed() == 1);
    again.stop();
    assertTrue(await(store.remove("hourly")));
    assertEquals(0, await(q.counts()).delayed(), "deleting the schedule took its job back");
  }
}
