package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.EnqueueResult;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.QueueCounts;
import io.vertiq.VertiqException;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every script at the largest sizes the conf and the API accept: a fetch of the largest
 * concurrency, bulks beyond one script call, a retention limit lowered far below what is kept.
 * Lua's unpack() limit (about 8,000 values) once made each of these fail midway and leave jobs in
 * no state.
 */
class ScriptSizesTest {
  private static final String H = RecordingHandler.class.getName();
  private VertiqHarness h;

  @AfterEach
  void cleanup() {
    if (h != null) h.close();
  }

  private static List<NewJob> jobs(int n, int priority) {
    List<NewJob> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++)
      out.add(NewJob.of("t", new JsonObject().put("i", i)).setPriority(priority));
    return out;
  }

  private long hlen(String key) {
    return await(h.redis.send(Request.cmd(Command.HLEN).arg(key))).toLong();
  }

  private long zcard(String key) {
    return await(h.redis.send(Request.cmd(Command.ZCARD).arg(key))).toLong();
  }

  @Test
  void aWorkerAtTheLargestConcurrencyRunsEveryJobOnce() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("wide");
    JobQueue q = h.queue(name);
    // queued before the worker starts, so its first fetch takes 10,000 at once (and the priority
    // ones come from
    // the ready zset, the rest from the fifo list)
    await(q.enqueueBulk(jobs(6_000, 0)));
    await(q.enqueueBulk(jobs(6_000, 3)));
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    VertiqHarness.queue(H, 1, 10_000)
                        .put("retention", new JsonObject().put("completed", "none")))));
    until(
        "12,000 completions",
        Duration.ofSeconds(60),
        () -> await(q.counts()).total("completed") >= 12_000);
    Map<String, Integer> perId = new HashMap<>();
    for (RecordingHandler.Run r : RecordingHandler.runs(name)) perId.merge(r.id(), 1, Integer::sum);
    assertEquals(12_000, perId.size(), "every job ran");
    assertTrue(perId.values().stream().allMatch(c -> c == 1), "no job ran twice");
    QueueCounts c = await(q.counts());
    assertEquals(0, c.ready() + c.active() + c.delayed() + c.dead(), "nothing left in any state");
    assertEquals(0, hlen(new Keys(h.prefix, name).specs()), "no spec left behind");
  }

  @Test
  void aBulkBeyondOneCallStoresEveryJobInOrderWithOptions() {
    h = new VertiqHarness();
    JobQueue q = h.queue(TestSupport.randomName("bulk"));
    List<EnqueueResult> plain = await(q.enqueueBulk(jobs(9_500, 0)));
    List<EnqueueResult> withOptions = await(q.enqueueBulk(jobs(9_500, 7)));
    assertEquals(9_500, plain.size());
    assertEquals(9_500, withOptions.size());
    assertTrue(
        plain.stream().allMatch(EnqueueResult::created)
            && withOptions.stream().allMatch(EnqueueResult::created));
    for (int i = 1; i < plain.size(); i++) {
      assertTrue(
          Long.parseLong(plain.get(i).id()) > Long.parseLong(plain.get(i - 1).id()),
          "ids follow the bulk's order");
    }
    assertEquals(19_000, await(q.counts()).ready());
    assertThrows(
        UnsupportedOperationException.class,
        () -> plain.add(plain.get(0)),
        "the result list is read-only");
  }

  @Test
  void aBulkWithOneBadJobStoresNothingAndAnOversizedBulkIsRefused() {
    h = new VertiqHarness();
    JobQueue q = h.queue(TestSupport.randomName("bad"));
    List<NewJob> jobs = jobs(2_500, 0);
    jobs.get(2_200).setPriority(5_000);
    VertiqException e = assertThrows(VertiqException.class, () -> await(q.enqueueBulk(jobs)));
    assertTrue(e.getMessage().startsWith("jobs[2200].priority"), e.getMessage());
    assertEquals(0, await(q.counts()).ready(), "the first calls' jobs were not stored either");
    VertiqException big =
        assertThrows(
            VertiqException.class, () -> await(q.enqueueBulk(jobs(JobQueue.MAX_BULK + 1, 0))));
    assertEquals(VertiqException.Code.INVALID_ARGUMENT, big.code());
    assertTrue(big.getMessage().contains("at most " + JobQueue.MAX_BULK), big.getMessage());
  }

  @Test
  void theEnqueueScriptItselfTakesAnyNumberOfJobsInOneCall() {
    h = new VertiqHarness();
    Keys k = new Keys(h.prefix, TestSupport.randomName("raw"));
    int n = 10_000;
    List<String> args =
        new ArrayList<>(List.of(k.jobPrefix(), Integer.toString(n), "86400000", "0", ""));
    for (int i = 0; i < n; i++) {
      // a job with options (priority 2): 14 values each, as the Java side sends them (see
      // EnqueueArgs), after no fires
      // and no flow parent
      args.addAll(List.of("", "t", "{}", "2", "0", "0", "", "", "", "", "", "", "", ""));
    }
    await(Scripts.run(h.redis, Scripts.ENQUEUE, List.of(k.enqueue()), args));
    assertEquals(n, zcard(k.ready()));
  }

  @Test
  void loweringCountRetentionTrimsEveryRecordInBoundedStepsAndCountingGoesOn() {
    h = new VertiqHarness();
    String name = TestSupport.randomName("keep");
    Keys k = new Keys(h.prefix, name);
    JobQueue q = h.queue(name);
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    VertiqHarness.queue("echo", 1, 500)
                        .put("retention", new JsonObject().put("completed", 10_000)))));
    for (int i = 0; i < 10; i++) await(q.enqueueBulk(jobs(1_000, 0)));
    until(
        "10,000 completions",
        Duration.ofSeconds(60),
        () -> await(q.counts()).total("completed") >= 10_000);
    assertEquals(10_000, zcard(k.completed()));
    h.undeploy();
    // the same as a live reload of retention.completed: new worker groups on the lower limit
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    VertiqHarness.queue("echo", 1, 500)
                        .put("retention", new JsonObject().put("completed", 1_000)))));
    await(q.enqueueBulk(jobs(100, 0)));
    until(
        "the kept runs trimmed to 1,000",
        Duration.ofSeconds(30),
        () -> zcard(k.completed()) == 1_000 && hlen(k.done()) == 1_000 && hlen(k.specs()) == 1_000);
    until(
        "the lifetime counter counts on",
        Duration.ofSeconds(10),
        () -> await(q.counts()).total("completed") == 10_100);
  }

  @Test
  void theLargestBulkIsStoredInCallsThatEachHoldRedisBriefly() {
    // a Redis of the test's own: its slow log, set to record every command, gives each call's time
    // in Redis
    try (RedisServerProcess own =
        RedisServerProcess.launch(
            "--slowlog-log-slower-than", "0", "--slowlog-max-len", "100000")) {
      h = new VertiqHarness(own.url());
      JobQueue q = h.queue(TestSupport.randomName("max"));
      List<EnqueueResult> r =
          await(q.enqueueBulk(jobs(JobQueue.MAX_BULK, 0)), Duration.ofSeconds(60));
      assertEquals(JobQueue.MAX_BULK, r.size());
      assertEquals(JobQueue.MAX_BULK, await(q.counts()).ready());
      long longest = 0;
      int calls = 0;
      for (var entry : await(h.redis.send(Request.cmd(Command.SLOWLOG).arg("GET").arg("100000")))) {
        String cmd = entry.get(3).get(0).toString();
        if (cmd.equalsIgnoreCase("evalsha") || cmd.equalsIgnoreCase("eval")) {
          calls++;
          longest = Math.max(longest, entry.get(2).toLong());
        }
      }
      System.out.println(
          "largest bulk: "
              + JobQueue.MAX_BULK
              + " jobs in "
              + calls
              + " script calls, the longest "
              + longest
              + " µs in Redis");
      assertTrue(calls >= JobQueue.MAX_BULK / 1_000, calls + " calls");
      assertTrue(longest < 200_000, "one call held Redis for " + longest + " µs");
      h.close();
      h = null;
    }
  }
}
