package io.vertiq.limit;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.redis.Keys;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Groups: fair turns between groups, per-group concurrency and rate, pausing one group, counts,
 * removal.
 */
class GroupsTest {
  /** Records each run's group, start and end, and the most runs of one group seen at once. */
  public static final class GroupHandler implements JobHandler {
    record Run(String group, long startedAt, String id) {}

    static final Map<String, List<Run>> RUNS = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> MOST = new ConcurrentHashMap<>();

    static List<Run> runs(String queue) {
      return RUNS.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>());
    }

    @Override
    public Future<Object> handle(Job job) {
      String key = job.queue() + "/" + job.group();
      int now = RUNNING.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      MOST.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      runs(job.queue())
          .add(
              new Run(
                  job.group(), job.startedAt(), job.id())); // Redis time, as the limits judge it
      long ms = job.payload().getLong("ms", 0L);
      Promise<Object> p = Promise.promise();
      if (job.payload().getBoolean("hang", false) && job.attemptsMade() == 1)
        return p.future(); // its first run never ends
      Runnable end =
          () -> {
            RUNNING.get(key).decrementAndGet();
            p.complete(job.group());
          };
      if (ms > 0) Vertx.currentContext().owner().setTimer(ms, t -> end.run());
      else end.run();
      return p.future();
    }
  }

  private VertiqHarness h;

  @AfterEach
  void cleanup() {
    if (h != null) h.close();
  }

  /** {@code n} jobs of {@code group} (none: null) whose handler takes {@code ms}. */
  static List<NewJob> jobs(String group, int n, long ms) {
    List<NewJob> out = new ArrayList<>();
    for (int i = 0; i < n; i++)
      out.add(NewJob.of("t", new JsonObject().put("ms", ms)).setGroup(group));
    return out;
  }

  private JobQueue start(String name, JsonObject queueConf) {
    h = new VertiqHarness();
    h.deploy(h.conf(new JsonObject().put(name, queueConf)));
    return h.queue(name);
  }

  static JsonObject queue(int instances, int concurrency) {
    return VertiqHarness.queue(GroupHandler.class.getName(), instances, concurrency);
  }

  @Test
  void aSmallGroupIsNotHeldBehindALargeBacklog() {
    String name = TestSupport.randomName("fair");
    // paused while filling, so the big group's backlog is all there before the first fetch
    JobQueue q = start(name, queue(1, 4));
    await(q.pause());
    await(q.enqueueBulk(jobs("big", 2_000, 0)));
    for (int g = 0; g < 20; g++) await(q.enqueueBulk(jobs("small-" + g, 3, 0)));
    await(
        q.enqueueBulk(
            List.of(NewJob.of("t", new JsonObject())))); // one ungrouped job takes turns too
    assertEquals(2_061, await(q.counts()).ready(), "ready counts the grouped jobs");
    await(q.resume());
    until(
        "every job completed",
        Duration.ofSeconds(60),
        () -> await(q.counts()).total("completed") == 2_061);
    List<GroupHandler.Run> runs = GroupHandler.runs(name);
    // round robin over 22 members (20 small groups, the big one, the ungrouped jobs): every small
    // group has run all
    // 3 of its jobs within the first 4 rounds, long before the big group's 2,000 are through
    int lastSmall = 0;
    for (int i = 0; i < runs.size(); i++)
      if (runs.get(i).group() != null && runs.get(i).group().startsWith("small-")) lastSmall = i;
    assertTrue(
        lastSmall < 22 * 4,
        "the last small group's job ran as run " + lastSmall + " of " + runs.size());
    int firstUngrouped = -1;
    for (int i = 0; i < runs.size() && firstUngrouped < 0; i++)
      if (runs.get(i).group() == null) firstUngrouped = i;
    assertTrue(
        firstUngrouped >= 0 && firstUngrouped < 30,
        "the ungrouped job ran as run " + firstUngrouped);
    assertEquals(0, await(q.counts()).groups(), "drained groups are forgotten");
  }

  @Test
  void aGroupWhoseLastJobsRunIsListedWithThemUntilTheyEnd() {
    // no group limit of any kind: the runs are counted all the same
    String name = TestSupport.randomName("listed");
    JobQueue q = start(name, queue(1, 10));
    await(q.enqueueBulk(jobs("acme", 2, 1_500)));
    until(
        "acme listed with its two runs",
        Duration.ofSeconds(10),
        () -> {
          JsonArray groups = await(q.groups("0", 10)).getJsonArray("groups");
          return groups.size() == 1
              && groups.getJsonObject(0).getString("name").equals("acme")
              && groups.getJsonObject(0).getLong("waiting") == 0
              && groups.getJsonObject(0).getLong("active") == 2;
        });
    until(
        "forgotten once both ended",
        Duration.ofSeconds(20),
        () ->
            await(q.counts()).total("completed") == 2
                && await(q.groups("0", 10)).getJsonArray("groups").isEmpty());
  }

  @Test
  void priorityOrdersJobsWithinAGroup() {
    String name = TestSupport.randomName("gprio");
    JobQueue q = start(name, queue(1, 1));
    await(q.pause());
    List<NewJob> js = new ArrayList<>();
    for (int i = 0; i < 5; i++)
      js.add(NewJob.of("t", new JsonObject().put("i", i)).setGroup("a").setPriority(i));
    await(q.enqueueBulk(js));
    await(q.resume());
    until("5 completed", Duration.ofSeconds(20), () -> await(q.counts()).total("completed") == 5);
    List<String> order = GroupHandler.runs(name).stream().map(GroupHandler.Run::id).toList();
    List<String> expected = new ArrayList<>(order);
    expected.sort(
        (a, b) ->
            Long.compare(Long.parseLong(b), Long.parseLong(a))); // higher priority = later id here
    assertEquals(expected, order, "highest priority first within the group");
  }

  @Test
  void aGroupConcurrencyHoldsAcrossInstancesAndOtherGroupsGoOn() {
    String name = TestSupport.randomName("gconc");
    JobQueue q = start(name, queue(2, 20).put("groups", new JsonObject().put("concurrency", 2)));
    await(q.enqueueBulk(jobs("a", 30, 50)));
    await(q.enqueueBulk(jobs("b", 30, 50)));
    until("60 completed", Duration.ofSeconds(30), () -> await(q.counts()).total("completed") == 60);
    assertEquals(
        2,
        GroupHandler.MOST.get(name + "/a").get(),
        "group a ran at most 2 at once, and used both");
    assertEquals(2, GroupHandler.MOST.get(name + "/b").get(), "group b too");
    JsonObject page = await(q.groups("0", 100));
    assertEquals(0, page.getJsonArray("groups").size(), "nothing left: " + page.encode());
  }

  @Test
  void aGroupRateLimitHoldsPerGroup() {
    String name = TestSupport.randomName("grate");
    JobQueue q =
        start(
            name,
            queue(2, 20)
                .put(
                    "groups",
                    new JsonObject()
                        .put("rateLimit", new JsonObject().put("max", 10).put("per", "500ms"))));
    await(q.enqueueBulk(jobs("a", 40, 0)));
    await(q.enqueueBulk(jobs("b", 40, 0)));
    // while the limit holds them back, the group says so
    until(
        "group a held back by its rate window",
        Duration.ofSeconds(10),
        () -> "rate".equals(await(q.group("a")).getString("limited")));
    until("80 completed", Duration.ofSeconds(30), () -> await(q.counts()).total("completed") == 80);
    for (String g : List.of("a", "b")) {
      List<Long> starts =
          GroupHandler.runs(name).stream()
              .filter(r -> g.equals(r.group()))
              .map(GroupHandler.Run::startedAt)
              .toList();
      assertEquals(40, starts.size());
      assertTrue(
          TestSupport.mostInAnyWindow(starts, 500) <= 10,
          g + ": most in 500 ms " + TestSupport.mostInAnyWindow(starts, 500));
      long span =
          starts.stream().mapToLong(Long::longValue).max().getAsLong()
              - starts.stream().mapToLong(Long::longValue).min().getAsLong();
      assertTrue(
          span >= 1_400 && span < 5_000,
          g + ": 40 jobs at 10 per 500 ms spread over " + span + " ms");
    }
  }

  @Test
  void aPausedGroupWaitsWhileTheOthersRunAndResumes() {
    String name = TestSupport.randomName("gpause");
    JobQueue q = start(name, queue(1, 5));
    JsonObject paused = await(q.pauseGroup("slow", true));
    assertTrue(paused.getBoolean("paused"));
    await(q.enqueueBulk(jobs("slow", 10, 0)));
    await(q.enqueueBulk(jobs("fast", 10, 0)));
    until("fast done", Duration.ofSeconds(20), () -> GroupHandler.runs(name).size() == 10);
    assertTrue(
        GroupHandler.runs(name).stream().allMatch(r -> "fast".equals(r.group())),
        "only the fast group ran");
    JsonObject slow = await(q.group("slow"));
    assertEquals(10, slow.getLong("waiting"));
    assertTrue(slow.getBoolean("paused"));
    assertEquals(10, await(q.counts()).ready());
    await(q.pauseGroup("slow", false));
    until(
        "all 20 completed",
        Duration.ofSeconds(20),
        () -> await(q.counts()).total("completed") == 20);
  }

  @Test
  void aGroupedJobCanBeRemovedAndReadBack() {
    String name = TestSupport.randomName("gremove");
    JobQueue q = start(name, queue(1, 5));
    await(q.pause());
    String id = await(q.enqueue(NewJob.of("t", new JsonObject()).setGroup("tenant-1"))).id();
    Job job = await(q.get(id));
    assertEquals("tenant-1", job.group());
    assertEquals(JobState.READY, job.state());
    assertEquals("tenant-1", job.toJson().getString("group"));
    assertTrue(await(q.remove(id)));
    assertEquals(0, await(q.counts()).ready());
    assertEquals(0, await(q.groups("0", 10)).getJsonArray("groups").size());
  }

  @Test
  void aJobWhoseOnlyOptionIsItsGroupHasNoHashAndKeepsItsGroupWhereverItGoes() {
    String name = TestSupport.randomName("glight");
    JobQueue q = start(name, queue(1, 5));
    await(q.pause());
    String plain = await(q.enqueue(NewJob.of("t", new JsonObject()).setGroup("a"))).id();
    String moved = await(q.enqueue(NewJob.of("t", new JsonObject()).setGroup("b"))).id();
    Keys keys = new Keys(h.prefix, name);
    // stored as a plain job is: its spec, no hash of its own
    assertEquals(0, exists(keys.job(plain)), "no hash for a job whose only option is its group");
    assertEquals(0, exists(keys.job(moved)));
    assertEquals(2, await(q.counts()).ready());
    // a priority change gives it a hash, which keeps its group
    assertEquals(JobState.READY, await(q.setPriority(moved, 5)));
    assertEquals("b", await(q.get(moved)).group());
    assertEquals(1, await(q.group("b")).getLong("waiting"));
    assertEquals(1, await(q.group("a")).getLong("waiting"));
    await(q.resume());
    until(
        "both completed", Duration.ofSeconds(10), () -> await(q.counts()).total("completed") == 2);
    assertEquals("a", await(q.get(plain)).group(), "read back with its group");
    assertEquals(
        List.of("a", "b"),
        GroupHandler.runs(name).stream().map(GroupHandler.Run::group).sorted().toList(),
        "each ran as its group's");
    assertEquals(0, await(q.group("a")).getLong("active"), "its run's end was uncounted");
  }

  private long exists(String key) {
    return await(h.redis.send(Request.cmd(Command.EXISTS).arg(key))).toLong();
  }

  @Test
  void aReleasedRunGivesItsGroupBackItsTurn() {
    String name = TestSupport.randomName("grelease");
    JsonObject conf =
        queue(1, 5)
            .put("groups", new JsonObject().put("concurrency", 1))
            .put("drainTimeout", "200ms");
    JobQueue q = start(name, conf);
    await(q.enqueue(NewJob.of("t", new JsonObject().put("hang", true)).setGroup("a")));
    await(q.enqueue(NewJob.of("t", new JsonObject()).setGroup("a")));
    until(
        "the first run started", Duration.ofSeconds(10), () -> GroupHandler.runs(name).size() == 1);
    // the second job waits for the group's one run: the next fetch parks the group (the enqueue
    // woke a worker)
    until(
        "group a held back by its concurrency",
        Duration.ofSeconds(10),
        () -> "concurrency".equals(await(q.group("a")).getString("limited")));
    JsonObject a = await(q.group("a"));
    assertEquals(1, a.getLong("active"), a.encode());
    assertEquals(1, a.getLong("waiting"), a.encode());
    h.undeploy(); // the stopping worker gives the hung run back
    a = await(q.group("a"));
    assertEquals(0, a.getLong("active"), a.encode());
    assertEquals(2, a.getLong("waiting"), a.encode());
    h.deploy(h.conf(new JsonObject().put(name, conf)));
    until(
        "both completed", Duration.ofSeconds(20), () -> await(q.counts()).total("completed") == 2);
  }

  @Test
  void aBadGroupNameIsRefusedNamingTheField() {
    String name = TestSupport.randomName("gbad");
    JobQueue q = start(name, queue(1, 1));
    for (String bad : List.of("", "has space", "x".repeat(129), "a/b")) {
      VertiqException e =
          assertThrows(
              VertiqException.class,
              () -> await(q.enqueue(NewJob.of("t", new JsonObject()).setGroup(bad))));
      assertEquals(VertiqException.Code.INVALID_ARGUMENT, e.code());
      assertTrue(e.getMessage().startsWith("group:"), e.getMessage());
      assertThrows(VertiqException.class, () -> await(q.pauseGroup(bad, true)));
    }
    assertEquals(0, await(q.counts()).total("enqueued"), "nothing was written");
  }
}
