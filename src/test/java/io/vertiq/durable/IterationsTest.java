package io.vertiq.durable;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.server.Bootstrap;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Long jobs that walk a range with a cursor: a redeploy repeats no item, a cancel stops between two
 * items.
 */
class IterationsTest {
  /** How often each item of each job ran, by "queue/id/item". */
  static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

  /**
   * Walks payload.items items, a checkpoint every 1,000; every payload.slowEvery-th item takes 10
   * ms.
   */
  public static final class Walker implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      long items = job.payload().getLong("items");
      long slowEvery = job.payload().getLong("slowEvery", 1_000L);
      Vertx vertx = Vertx.currentContext().owner();
      return job.iterate(
              0,
              items,
              1_000,
              i -> {
                SEEN.computeIfAbsent(
                        job.queue() + "/" + job.id() + "/" + i, k -> new AtomicInteger())
                    .incrementAndGet();
                if (i % slowEvery != slowEvery - 1) return Future.succeededFuture();
                Promise<Void> p = Promise.promise();
                vertx.setTimer(10, t -> p.complete());
                return p.future();
              })
          .map(v -> (Object) "walked");
    }
  }

  private static long seen(String queue, String id, long items, int times) {
    long n = 0;
    for (long i = 0; i < items; i++) {
      AtomicInteger c = SEEN.get(queue + "/" + id + "/" + i);
      if (c != null && c.get() == times) n++;
    }
    return n;
  }

  @Test
  void aRedeployMidWayRepeatsNoItem() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("walk");
      Bootstrap b =
          h.deploy(
              h.conf(
                  new JsonObject()
                      .put(
                          name,
                          VertiqHarness.queue(Walker.class.getName(), 1, 5)
                              .put("retention", new JsonObject().put("completed", "all")))));
      JobQueue q = h.queue(name);
      long items = 100_000;
      String id =
          await(
                  q.enqueue(
                      NewJob.of(
                          "walk", new JsonObject().put("items", items).put("slowEvery", 100))))
              .id();
      until(
          "a fifth walked",
          Duration.ofSeconds(60),
          () -> await(q.get(id)).cursor() instanceof Number n && n.longValue() >= 20_000);
      await(b.node().redeploy(name));
      Job done = await(q.awaitResult(id, 25_000));
      until(
          "walked to the end",
          Duration.ofSeconds(120),
          () -> await(q.get(id)).state() == JobState.COMPLETED);
      done = await(q.get(id));
      assertEquals("walked", done.result());
      assertEquals(items, seen(name, id, items, 1), "every item walked exactly once");
      assertEquals(items, ((Number) done.cursor()).longValue());
      assertTrue(
          done.attemptsMade() >= 2, "the redeploy ended the first run: " + done.attemptsMade());
      assertEquals(0, await(q.counts()).dead());
    }
  }

  @Test
  void aCancelStopsTheWalkBetweenTwoItems() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("cancelwalk");
      h.deploy(
          h.conf(new JsonObject().put(name, VertiqHarness.queue(Walker.class.getName(), 1, 5))));
      JobQueue q = h.queue(name);
      long items = 100_000;
      // every item takes 10 ms: the walk would take over 15 minutes
      String id =
          await(
                  q.enqueue(
                      NewJob.of("walk", new JsonObject().put("items", items).put("slowEvery", 1))))
              .id();
      until("walking", Duration.ofSeconds(30), () -> SEEN.containsKey(name + "/" + id + "/10"));
      await(q.cancel(id));
      until(
          "dead as cancelled",
          Duration.ofSeconds(30),
          () -> await(q.get(id)).state() == JobState.DEAD);
      long walked = seen(name, id, items, 1);
      assertTrue(walked < items, "stopped: " + walked);
      // the walk checks between items: it goes no further than the item under way when it was told
      until(
          "the walk stopped", Duration.ofSeconds(30), () -> seen(name, id, items, 1) <= walked + 1);
      assertEquals(0, seen(name, id, items, 2), "no item walked twice");
    }
  }
}
