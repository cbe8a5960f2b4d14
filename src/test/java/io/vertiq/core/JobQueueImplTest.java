package io.vertiq.core;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.EnqueueResult;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.QueueCounts;
import io.vertiq.Vertiq;
import io.vertiq.VertiqException;
import io.vertiq.observe.Metrics;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The producer side: validation writes nothing, and single enqueues from one event-loop turn share
 * a call.
 */
class JobQueueImplTest {

  private static long scriptCalls(VertiqHarness h) {
    String info = await(h.redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:"))
        return Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
    }
    return 0;
  }

  @Test
  void singleEnqueuesFromOneEventLoopTurnShareOneScriptCall() {
    try (RedisServerProcess own = RedisServerProcess.launch();
        VertiqHarness h = new VertiqHarness(own.url())) {
      JobQueue q = h.queue(TestSupport.randomName("coalesce"));
      await(q.counts()); // load the scripts, register nothing
      long before = scriptCalls(h);
      Promise<List<EnqueueResult>> all = Promise.promise();
      h.vertx.runOnContext(
          v -> {
            List<Future<EnqueueResult>> fs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
              NewJob j = NewJob.of("t", new JsonObject().put("i", i));
              if (i == 10 || i == 20) j.setUniqueKey("same");
              fs.add(q.enqueue(j));
            }
            Future<EnqueueResult> bad =
                q.enqueue(NewJob.of("t", new JsonObject()).setPriority(99_999));
            assertTrue(
                bad.failed() && bad.cause() instanceof VertiqException,
                "invalid jobs fail at once, alone");
            Future.all(fs).onComplete(ar -> all.complete(fs.stream().map(Future::result).toList()));
          });
      List<EnqueueResult> results = await(all.future());
      assertEquals(300, results.size());
      assertEquals(
          results.get(10).id(),
          results.get(20).id(),
          "a unique key dedupes inside one shared call too");
      assertFalse(results.get(20).created());
      assertEquals(299, new HashSet<>(results.stream().map(EnqueueResult::id).toList()).size());
      long calls = scriptCalls(h) - before;
      assertTrue(calls <= 2, "300 enqueues took " + calls + " script calls (+ the INFO reader)");
      assertEquals(299, await(q.counts()).ready());
      assertEquals(JobState.READY, await(q.get(results.get(299).id())).state());
    }
  }

  @Test
  void delayedJobsAlreadyDueCountAsDueWorkAndAgeTheLatency() {
    // no node runs this queue: nothing promotes its delayed jobs, as while maintenance lags
    try (VertiqHarness h = new VertiqHarness()) {
      JobQueue q = h.queue(TestSupport.randomName("due"));
      await(q.enqueue(NewJob.of("t", new JsonObject()).setDelayMs(1)));
      await(q.enqueue(NewJob.of("t", new JsonObject()).setDelayMs(3_600_000)));
      await(q.enqueue(NewJob.of("t", new JsonObject())));
      until(
          "the first delayed job due and waiting",
          Duration.ofSeconds(10),
          () -> await(q.counts()).delayedDue() == 1 && await(q.counts()).latencyMs() > 0);
      QueueCounts c = await(q.counts());
      assertEquals(1, c.ready());
      assertEquals(2, c.delayed());
      assertEquals(2, c.due(), "the ready job and the delayed one already due, not the later one");
      assertEquals(1, c.toJson().getJsonObject("counts").getLong("delayedDue"));
    }
  }

  @Test
  void aBulkCallReportsEachJobInOrderWhetherCreatedOrHeldByItsUniqueKey() {
    try (VertiqHarness h = new VertiqHarness()) {
      JobQueue q = h.queue(TestSupport.randomName("mix"));
      String holder = await(q.enqueue(NewJob.of("t", new JsonObject()).setUniqueKey("x"))).id();
      List<EnqueueResult> plain =
          await(
              q.enqueueBulk(
                  List.of(NewJob.of("a", new JsonObject()), NewJob.of("b", new JsonObject()))));
      assertTrue(plain.stream().allMatch(EnqueueResult::created));
      assertEquals(
          Long.parseLong(plain.get(0).id()) + 1,
          Long.parseLong(plain.get(1).id()),
          "one call, ids in a row");
      List<EnqueueResult> mixed =
          await(
              q.enqueueBulk(
                  List.of(
                      NewJob.of("c", new JsonObject()),
                      NewJob.of("d", new JsonObject()).setUniqueKey("x"),
                      NewJob.of("e", new JsonObject()))));
      assertEquals(3, mixed.size());
      assertTrue(mixed.get(0).created());
      assertFalse(mixed.get(1).created());
      assertEquals(holder, mixed.get(1).id());
      assertTrue(mixed.get(2).created());
      assertEquals("c", await(q.get(mixed.get(0).id())).name());
      assertEquals("e", await(q.get(mixed.get(2).id())).name());
      assertEquals(
          5,
          new HashSet<>(
                  List.of(
                      holder,
                      plain.get(0).id(),
                      plain.get(1).id(),
                      mixed.get(0).id(),
                      mixed.get(2).id()))
              .size());
    }
  }

  @Test
  void badInputIsRejectedAndWritesNothing() {
    try (VertiqHarness h = new VertiqHarness()) {
      assertThrows(VertiqException.class, () -> h.vertiq.queue("bad name"));
      assertThrows(VertiqException.class, () -> h.vertiq.queue("x".repeat(129)));
      JobQueue q = h.queue(TestSupport.randomName("bad"));
      String big = "y".repeat(600 * 1024);
      assertEquals(
          VertiqException.Code.PAYLOAD_TOO_LARGE,
          assertThrows(
                  VertiqException.class,
                  () -> await(q.enqueue(NewJob.of("t", new JsonObject().put("x", big)))))
              .code());
      assertTrue(
          assertThrows(
                  VertiqException.class,
                  () -> await(q.enqueue(NewJob.of("t", new JsonObject()).setDelayMs(-1))))
              .getMessage()
              .startsWith("delay"));
      assertTrue(
          assertThrows(
                  VertiqException.class,
                  () -> await(q.enqueue(NewJob.of("t", new JsonObject()).setAttempts(0))))
              .getMessage()
              .startsWith("attempts"));
      assertTrue(
          assertThrows(
                  VertiqException.class,
                  () ->
                      await(
                          q.enqueueBulk(
                              List.of(
                                  NewJob.of("ok", new JsonObject()),
                                  NewJob.of("t", new JsonObject()).setPriority(5000)))))
              .getMessage()
              .startsWith("jobs[1].priority"));
      assertEquals(0, TestSupport.countKeys(h.redis, h.prefix), "nothing was written");
    }
  }

  @Test
  void payloadsKeepTheirJsonTextAndAnUnencodableOneFailsAloneInASharedCall() {
    try (VertiqHarness h = new VertiqHarness()) {
      JobQueue q = h.queue(TestSupport.randomName("payload"));
      JsonObject odd =
          new JsonObject()
              .put("text", "é ünï \"quoted\" \\ \u0001 😀")
              .put("n", 12.5)
              .put(
                  "nested",
                  new JsonObject().put("list", new JsonArray().add(1).add("two").addNull()));
      Promise<List<Future<EnqueueResult>>> sent = Promise.promise();
      h.vertx.runOnContext(
          v -> {
            // one event-loop turn: the three share one call and one JSON generator
            Future<EnqueueResult> first = q.enqueue(NewJob.of("a", odd));
            Future<EnqueueResult> bad =
                q.enqueue(NewJob.of("b", new JsonObject().put("x", new Object())));
            Future<EnqueueResult> after = q.enqueue(NewJob.of("c", new JsonObject().put("k", "v")));
            sent.complete(List.of(first, bad, after));
          });
      List<Future<EnqueueResult>> fs = await(sent.future());
      VertiqException err = assertThrows(VertiqException.class, () -> await(fs.get(1)));
      assertEquals(VertiqException.Code.INVALID_ARGUMENT, err.code());
      assertTrue(err.getMessage().startsWith("payload: "), err.getMessage());
      assertEquals(odd.encode(), await(q.get(await(fs.get(0)).id())).payloadText());
      assertEquals(
          "{\"k\":\"v\"}",
          await(q.get(await(fs.get(2)).id())).payloadText(),
          "the generator recovered");
      // the limit counts UTF-8 bytes: 200,000 two-byte characters are over 262,144 bytes
      JobQueue small =
          Vertiq.create(h.vertx, h.redis, h.prefix, 262_144).queue(TestSupport.randomName("bytes"));
      assertEquals(
          VertiqException.Code.PAYLOAD_TOO_LARGE,
          assertThrows(
                  VertiqException.class,
                  () ->
                      await(
                          small.enqueue(
                              NewJob.of("t", new JsonObject().put("x", "é".repeat(200_000))))))
              .code());
    }
  }

  @Test
  void anIdempotencyKeyReturnsTheFirstJobEvenAfterItFinished() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("idem");
      JobQueue q = h.queue(name);
      EnqueueResult first =
          await(
              q.enqueue(NewJob.of("t", new JsonObject().put("n", 1)).setIdempotencyKey("order-7")));
      EnqueueResult again =
          await(
              q.enqueue(NewJob.of("t", new JsonObject().put("n", 2)).setIdempotencyKey("order-7")));
      assertTrue(first.created());
      assertFalse(again.created(), "the retry created nothing");
      assertEquals(first.id(), again.id());
      // within one bulk too, and beside keys of its own
      List<EnqueueResult> bulk =
          await(
              q.enqueueBulk(
                  List.of(
                      NewJob.of("t", new JsonObject()).setIdempotencyKey("order-7"),
                      NewJob.of("t", new JsonObject()).setIdempotencyKey("order-8"),
                      NewJob.of("t", new JsonObject()).setIdempotencyKey("order-8"))));
      assertEquals(first.id(), bulk.get(0).id());
      assertFalse(bulk.get(0).created());
      assertTrue(bulk.get(1).created());
      assertEquals(bulk.get(1).id(), bulk.get(2).id());
      assertEquals(2, await(q.counts()).ready());
      // the key outlives the job: a producer retrying after the job ran still gets its id, not a
      // second run
      assertTrue(await(q.remove(first.id())));
      EnqueueResult late =
          await(q.enqueue(NewJob.of("t", new JsonObject()).setIdempotencyKey("order-7")));
      assertEquals(first.id(), late.id());
      assertFalse(late.created());
      VertiqException e =
          assertThrows(
              VertiqException.class,
              () ->
                  await(
                      q.enqueue(
                          NewJob.of("t", new JsonObject()).setIdempotencyKey("k".repeat(600)))));
      assertTrue(e.getMessage().startsWith("idempotencyKey"), e.getMessage());
    }
  }

  @Test
  void everyEnqueueIsCountedInTheMetricWhateverTheTransport() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("count");
      JobQueue q = h.queue(name);
      double before = Metrics.of(name).enqueued.count();
      await(q.enqueue(NewJob.of("t", new JsonObject())));
      await(
          q.enqueueBulk(
              List.of(
                  NewJob.of("t", new JsonObject()),
                  NewJob.of("t", new JsonObject()).setUniqueKey("u"),
                  NewJob.of("t", new JsonObject()).setUniqueKey("u"))));
      assertEquals(
          before + 3,
          Metrics.of(name).enqueued.count(),
          "the Java API's enqueues, a duplicate not counted");
    }
  }
}
