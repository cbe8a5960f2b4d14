package io.vertiq.worker;

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
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Cancel: waiting jobs are deleted, running ones told on their node and ended as cancelled; waiting
 * for a result.
 */
class JobCancelTest {
  /**
   * Runs until cancelled (then records when it heard of it), or completes after payload.ms when
   * given.
   */
  public static final class Cancellable implements JobHandler {
    static final Map<String, Long> STARTED = new ConcurrentHashMap<>();
    static final Map<String, Long> HEARD = new ConcurrentHashMap<>();

    @Override
    public Future<Object> handle(Job job) {
      STARTED.put(job.queue() + "/" + job.id(), System.nanoTime());
      Promise<Object> p = Promise.promise();
      job.cancelled()
          .onComplete(
              v -> {
                HEARD.put(job.queue() + "/" + job.id(), System.nanoTime());
                p.tryFail("stopped on cancel");
              });
      long ms = job.payload().getLong("ms", 0L);
      if (ms > 0)
        Vertx.currentContext()
            .owner()
            .setTimer(ms, t -> p.tryComplete(new JsonObject().put("slept", ms)));
      return p.future();
    }
  }

  private static JsonObject queue(String name, VertiqHarness h, String lease) {
    return h.conf(
        new JsonObject()
            .put(
                name,
                VertiqHarness.queue(Cancellable.class.getName(), 1, 5)
                    .put("attempts", 3)
                    .put("lease", lease)
                    .put("retention", new JsonObject().put("completed", "all"))));
  }

  @Test
  void aRunningJobIsToldOnItsNodeAndEndsAsCancelledWithoutARetry() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("cancel");
      h.deploy(queue(name, h, "30s"));
      JobQueue q =
          h.queue(name); // the harness's own client: the cancel reaches the node through Redis
      String id = await(q.enqueue(NewJob.of("long", new JsonObject()))).id();
      until(
          "running",
          Duration.ofSeconds(10),
          () -> Cancellable.STARTED.containsKey(name + "/" + id));
      long asked = System.nanoTime();
      assertEquals(JobState.ACTIVE, await(q.cancel(id)));
      until(
          "the handler told",
          Duration.ofSeconds(5),
          () -> Cancellable.HEARD.containsKey(name + "/" + id));
      long heardMs = (Cancellable.HEARD.get(name + "/" + id) - asked) / 1_000_000;
      // the lease renewal (every 10 s here) would take longer: the message did it
      assertTrue(heardMs < 5_000, "told through the cancel channel: " + heardMs + " ms");
      until("dead", Duration.ofSeconds(5), () -> await(q.get(id)).state() == JobState.DEAD);
      Job dead = await(q.get(id));
      assertEquals("cancelled", dead.error());
      assertEquals(1, dead.attemptsMade(), "not retried (3 attempts allowed)");
      VertiqException done = assertThrows(VertiqException.class, () -> await(q.cancel(id)));
      assertEquals(VertiqException.Code.CONFLICT, done.code(), "a dead job has nothing to cancel");
    }
  }

  @Test
  void waitingAndDelayedJobsAreDeletedAndUnknownOnesAreNotFound() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("cancelw");
      h.deploy(queue(name, h, "30s"));
      JobQueue q = h.queue(name);
      await(q.pause());
      String ready = await(q.enqueue(NewJob.of("a", new JsonObject()))).id();
      String delayed =
          await(q.enqueue(NewJob.of("b", new JsonObject()).setDelayMs(3_600_000))).id();
      assertEquals(JobState.READY, await(q.cancel(ready)));
      assertEquals(JobState.DELAYED, await(q.cancel(delayed)));
      assertEquals(0, await(q.counts()).ready() + await(q.counts()).delayed(), "both deleted");
      VertiqException gone = assertThrows(VertiqException.class, () -> await(q.cancel(ready)));
      assertEquals(VertiqException.Code.NOT_FOUND, gone.code());
    }
  }

  @Test
  void aWorkerThatMissedTheMessageLearnsOfTheCancelAtItsLeaseRenewal() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("cancelr");
      h.deploy(queue(name, h, "1500ms"));
      JobQueue q = h.queue(name);
      String id = await(q.enqueue(NewJob.of("long", new JsonObject()))).id();
      until(
          "running",
          Duration.ofSeconds(10),
          () -> Cancellable.STARTED.containsKey(name + "/" + id));
      // the cancel's record without its message, as when the node's subscription was down
      await(
          h.redis.send(
              Request.cmd(Command.HSET).arg(new Keys(h.prefix, name).cancels()).arg(id).arg("1")));
      until(
          "the handler told at a renewal",
          Duration.ofSeconds(5),
          () -> Cancellable.HEARD.containsKey(name + "/" + id));
      until("dead", Duration.ofSeconds(5), () -> await(q.get(id)).state() == JobState.DEAD);
      until(
          "the record dropped by maintenance",
          Duration.ofSeconds(10),
          () ->
              await(
                          h.redis.send(
                              Request.cmd(Command.EXISTS).arg(new Keys(h.prefix, name).cancels())))
                      .toInteger()
                  == 0);
    }
  }

  @Test
  void aProducerWaitsForTheResultOrGetsTheJobAsItIsAtTheTimeout() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("result");
      h.deploy(queue(name, h, "30s"));
      JobQueue q = h.queue(name);
      String id = await(q.enqueue(NewJob.of("short", new JsonObject().put("ms", 300)))).id();
      Job done = await(q.awaitResult(id, 10_000));
      assertEquals(JobState.COMPLETED, done.state());
      assertEquals(new JsonObject().put("slept", 300), done.result());
      assertEquals(
          JobState.COMPLETED,
          await(q.awaitResult(id, 0)).state(),
          "a finished job answers at once");
      String slow = await(q.enqueue(NewJob.of("slow", new JsonObject().put("ms", 60_000)))).id();
      long t0 = System.nanoTime();
      Job notYet = await(q.awaitResult(slow, 300));
      assertTrue(
          notYet.state() == JobState.READY || notYet.state() == JobState.ACTIVE,
          "unfinished at the timeout: " + notYet.state());
      assertTrue(System.nanoTime() - t0 >= 300_000_000L, "waited the timeout");
      await(q.cancel(slow));
      assertEquals(
          JobState.DEAD,
          await(q.awaitResult(slow, 10_000)).state(),
          "a cancelled job's wait ends as it dies");
      VertiqException unknown =
          assertThrows(VertiqException.class, () -> await(q.awaitResult("999999", 100)));
      assertEquals(VertiqException.Code.NOT_FOUND, unknown.code());
    }
  }
}
