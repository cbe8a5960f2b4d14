package io.vertiq.durable;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.config.QueueOptions;
import io.vertiq.redis.Keys;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertiq.worker.MaintainPass;
import io.vertiq.worker.WorkerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A job's steps run once each: a later run of the job gets a finished step's result back without
 * running it.
 */
class StepsTest {
  /** How often each job's step ran, by "id/step". */
  static final Map<String, AtomicInteger> RAN = new ConcurrentHashMap<>();

  private static Future<?> ran(Job job, String step, Object result) {
    RAN.computeIfAbsent(job.queue() + "/" + job.id() + "/" + step, k -> new AtomicInteger())
        .incrementAndGet();
    return Future.succeededFuture(result);
  }

  static int count(String queue, String id, String step) {
    AtomicInteger n = RAN.get(queue + "/" + id + "/" + step);
    return n == null ? 0 : n.get();
  }

  /**
   * Charges, then ships (failing on the first attempt), then mails; returns what the steps
   * returned.
   */
  public static final class CheckoutHandler implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      return job.step(
              "charge", () -> ran(job, "charge", new JsonObject().put("charge", "ch_" + job.id())))
          .compose(
              charge ->
                  job.step(
                          "ship",
                          () -> {
                            RAN.computeIfAbsent(
                                    job.queue() + "/" + job.id() + "/ship",
                                    k -> new AtomicInteger())
                                .incrementAndGet();
                            return job.attemptsMade() == 1
                                ? Future.failedFuture("carrier down")
                                : Future.succeededFuture(42);
                          })
                      .compose(
                          parcel ->
                              job.step("mail", () -> ran(job, "mail", "sent"))
                                  .map(
                                      mail ->
                                          (Object)
                                              new JsonObject()
                                                  .put("charge", charge)
                                                  .put("parcel", parcel)
                                                  .put("mail", mail))));
    }
  }

  /** A step whose result is over the queue's maxStepBytes. */
  public static final class BigStepHandler implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      return job.step("big", () -> Future.succeededFuture("x".repeat(5_000)));
    }
  }

  @Test
  void aRetryReusesTheFinishedStepsAndRunsTheOneThatFailed() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("steps");
      h.deploy(
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      VertiqHarness.queue(CheckoutHandler.class.getName(), 1, 5)
                          .put("attempts", 3)
                          .put(
                              "backoff", new JsonObject().put("type", "fixed").put("delay", "10ms"))
                          .put("retention", new JsonObject().put("completed", "all")))));
      JobQueue q = h.queue(name);
      String id = await(q.enqueue(NewJob.of("checkout", new JsonObject()))).id();
      Job done = await(q.awaitResult(id, 20_000));
      assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.error()));
      assertEquals(2, done.attemptsMade());
      assertEquals(1, count(name, id, "charge"), "the charge ran once, though the job ran twice");
      assertEquals(2, count(name, id, "ship"), "the step that failed ran again");
      assertEquals(1, count(name, id, "mail"));
      JsonObject steps = done.steps();
      assertEquals(new JsonObject().put("charge", "ch_" + id), steps.getJsonObject("charge"));
      assertEquals(42, steps.getInteger("ship"));
      assertEquals("sent", steps.getString("mail"));
      assertEquals(steps, done.toJson().getJsonObject("steps"), "the API shows them");
      assertEquals(
          "ch_" + id,
          ((JsonObject) done.result()).getJsonObject("charge").getString("charge"),
          "the reused step's result is the stored one");
    }
  }

  @Test
  void aRunThatNoLongerHoldsTheJobCannotRecordAStep() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("stale");
      JobQueue q = h.queue(name);
      String id = await(q.enqueue(NewJob.of("t", new JsonObject()))).id();
      WorkerStore store = new WorkerStore(h.redis, new Keys(h.prefix, name));
      Job first = await(store.fetch(1, 100)).jobs().get(0);
      String token = WorkerStore.token(first);
      assertTrue(await(store.runs().recordStep(id, token, "a", "1")), "held: recorded");
      // its 100 ms lease runs out: from then on the run may not record anything (each probe a step
      // of its own)
      JsonObject accepted = new JsonObject().put("a", 1);
      AtomicInteger probe = new AtomicInteger();
      until(
          "the lease expired",
          Duration.ofSeconds(30),
          () -> {
            String step = "probe" + probe.incrementAndGet();
            if (!await(store.runs().recordStep(id, token, step, "0"))) return true;
            accepted.put(step, 0);
            return false;
          });
      String refused = "probe" + probe.get();
      QueueOptions opts = new QueueOptions().setHandler("noop").setMaxStalled(5);
      until(
          "requeued",
          Duration.ofSeconds(30),
          () -> {
            await(new MaintainPass(h.redis, store.keys()).run(opts, 50));
            return await(q.counts()).ready() == 1;
          });
      Job second = await(store.fetch(1, 30_000)).jobs().get(0);
      assertEquals(
          accepted,
          second.steps(),
          "the steps the first run recorded while it held the job came with the fetch");
      assertFalse(second.steps().containsKey(refused), refused + " was refused");
      assertFalse(
          await(store.runs().recordStep(id, token, "c", "3")),
          "the first run's token is not the holder's");
      assertTrue(await(store.runs().recordStep(id, WorkerStore.token(second), "c", "3")));
    }
  }

  @Test
  void aStepResultOverTheLimitFailsTheStepNamingIt() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("bigstep");
      h.deploy(
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      VertiqHarness.queue(BigStepHandler.class.getName(), 1, 5)
                          .put("attempts", 1)
                          .put("maxStepBytes", 1024))));
      JobQueue q = h.queue(name);
      String id = await(q.enqueue(NewJob.of("big", new JsonObject()))).id();
      Job dead = await(q.awaitResult(id, 20_000));
      assertEquals(JobState.DEAD, dead.state());
      assertTrue(
          dead.error().contains("over the limit of queues." + name + ".maxStepBytes (1024)"),
          dead.error());
      assertTrue(dead.steps().isEmpty());
    }
  }
}
