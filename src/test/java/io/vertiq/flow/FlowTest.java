package io.vertiq.flow;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Addresses;
import io.vertiq.Flow;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Flows: a parent runs after all its children, across queues and levels; a dead child under each
 * policy.
 */
class FlowTest {
  /**
   * Notes when each job ran; fails with payload.fail; returns its name and the children's results
   * it read.
   */
  public static final class Step implements JobHandler {
    static final Map<String, Long> RAN = new ConcurrentHashMap<>();

    @Override
    public Future<Object> handle(Job job) {
      RAN.put(job.queue() + "/" + job.id(), System.nanoTime());
      if (job.payload().getBoolean("fail", false)) return Future.failedFuture("planned");
      return Future.succeededFuture(
          new JsonObject().put("step", job.name()).put("children", job.childrenResults()));
    }
  }

  private static JsonObject queues(VertiqHarness h, String... names) {
    JsonObject q = new JsonObject();
    for (String n : names)
      q.put(
          n,
          VertiqHarness.queue(Step.class.getName(), 1, 10)
              .put("attempts", 1)
              .put("retention", new JsonObject().put("completed", "all")));
    return h.conf(q);
  }

  private static NewJob job(String name) {
    return NewJob.of(name, new JsonObject());
  }

  /** The ids the queue's "unblocked" events name from now on (parents whose children ended). */
  private static Set<String> unblockedEvents(VertiqHarness h, String queue) {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    h.vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.events(queue),
            m -> {
              if ("unblocked".equals(m.body().getString("event")))
                m.body().getJsonArray("ids").forEach(id -> ids.add((String) id));
            });
    return ids;
  }

  private static long ran(String queue, String id) {
    Long t = Step.RAN.get(queue + "/" + id);
    return t == null ? -1 : t;
  }

  @Test
  void aParentOnOneQueueRunsAfterItsChildrenOnTwoAndReadsTheirResults() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("flowa");
      String b = TestSupport.randomName("flowb");
      h.deploy(queues(h, a, b));
      Set<String> unblocked = unblockedEvents(h, a);
      JsonObject ids =
          await(
              h.vertiq.enqueueFlow(
                  Flow.of(a, job("report"))
                      .child(Flow.of(a, job("fetch-a")))
                      .child(Flow.of(b, job("fetch-b")))));
      String parent = ids.getString("id");
      JsonArray kids = ids.getJsonArray("children");
      assertEquals(b, kids.getJsonObject(1).getString("queue"));
      until(
          "the parent completed",
          Duration.ofSeconds(10),
          () -> await(h.queue(a).get(parent)).state() == JobState.COMPLETED);
      until("its unblocked event", Duration.ofSeconds(5), () -> unblocked.contains(parent));
      long parentRan = ran(a, parent);
      for (Object o : kids) {
        JsonObject k = (JsonObject) o;
        assertTrue(
            ran(k.getString("queue"), k.getString("id")) < parentRan,
            "a child ran before its parent: " + k);
      }
      JsonObject read =
          ((JsonObject) await(h.queue(a).get(parent)).result()).getJsonObject("children");
      assertEquals(
          "fetch-b",
          read.getJsonObject(b + ":" + kids.getJsonObject(1).getString("id")).getString("step"),
          read.encode());
      assertEquals(2, read.size());
      // a child whose only link is its parent is stored without a hash of its own: the parent
      // rides in its spec, and reads show it
      for (Object o : kids) {
        JsonObject k = (JsonObject) o;
        String key = new Keys(h.prefix, k.getString("queue")).job(k.getString("id"));
        assertEquals(0, await(h.redis.send(Request.cmd(Command.EXISTS).arg(key))).toInteger(), key);
        assertEquals(
            new JsonObject().put("queue", a).put("id", parent),
            await(h.queue(k.getString("queue")).get(k.getString("id")))
                .toJson()
                .getJsonObject("parent"));
      }
      JsonObject tree = await(h.vertiq.flowTree(a, parent));
      assertEquals("completed", tree.getString("state"));
      assertEquals(
          "completed",
          tree.getJsonArray("children").getJsonObject(1).getString("state"),
          tree.encode());
    }
  }

  @Test
  void flowsAddedTogetherShareCallsAndABadOneIsRefusedAlone() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("flowm");
      h.deploy(queues(h, a));
      // 100 flows at once (written in shared calls), one with a child over the payload limit
      JsonObject tooLarge = new JsonObject().put("blob", "x".repeat(600 * 1024));
      List<Future<JsonObject>> added = new java.util.ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Flow f = Flow.of(a, job("parent-" + i));
        for (int c = 0; c < 10; c++)
          f.child(Flow.of(a, i == 42 && c == 5 ? NewJob.of("big", tooLarge) : job("child")));
        added.add(h.vertiq.enqueueFlow(f));
      }
      await(Future.join(added).otherwise(x -> null));
      VertiqException refused =
          assertThrows(VertiqException.class, () -> await(added.get(42)), "the bad flow");
      assertEquals(VertiqException.Code.PAYLOAD_TOO_LARGE, refused.code(), refused.getMessage());
      for (int i = 0; i < 100; i++) {
        if (i == 42) continue;
        String parent = await(added.get(i)).getString("id");
        assertEquals(10, await(added.get(i)).getJsonArray("children").size());
        until(
            "parent " + i + " completed",
            Duration.ofSeconds(20),
            () -> await(h.queue(a).get(parent)).state() == JobState.COMPLETED);
        JsonObject read = (JsonObject) await(h.queue(a).get(parent)).result();
        assertEquals(10, read.getJsonObject("children").size(), read.encode());
      }
      // nothing of the refused flow was written
      assertEquals(99 * 11, await(h.queue(a).counts()).total("enqueued"));
    }
  }

  @Test
  void flowsNestAndEachLevelWaitsForTheOneBelow() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("flown");
      h.deploy(queues(h, a));
      // every parent here is in its children's queue: the finish of the last child tells it (no
      // relay), and the worker publishes its unblocked event
      Set<String> unblocked = unblockedEvents(h, a);
      JsonObject ids =
          await(
              h.vertiq.enqueueFlow(
                  Flow.of(a, job("top"))
                      .child(
                          Flow.of(a, job("middle"))
                              .child(Flow.of(a, job("bottom-1")))
                              .child(Flow.of(a, job("bottom-2"))))));
      String top = ids.getString("id");
      JsonObject middle = ids.getJsonArray("children").getJsonObject(0);
      until(
          "the top completed",
          Duration.ofSeconds(10),
          () -> await(h.queue(a).get(top)).state() == JobState.COMPLETED);
      String mid = middle.getString("id");
      until(
          "both parents' unblocked events",
          Duration.ofSeconds(5),
          () -> unblocked.containsAll(List.of(top, mid)));
      assertTrue(ran(a, mid) < ran(a, top));
      for (Object o : middle.getJsonArray("children"))
        assertTrue(ran(a, ((JsonObject) o).getString("id")) < ran(a, mid));
    }
  }

  @Test
  void aDeadChildFailsItsParentIgnoredOrRemovesTheFlowAsThePolicySays() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("flowd");
      h.deploy(queues(h, a));
      JobQueue q = h.queue(a);
      NewJob bad = NewJob.of("bad", new JsonObject().put("fail", true));
      String failed =
          await(
                  h.vertiq.enqueueFlow(
                      Flow.of(a, job("p-fail"))
                          .child(Flow.of(a, bad))
                          .child(Flow.of(a, job("ok")))))
              .getString("id");
      String ignored =
          await(
                  h.vertiq.enqueueFlow(
                      Flow.of(a, job("p-ignore"))
                          .onChildDead(Flow.OnChildDead.IGNORE)
                          .child(Flow.of(a, bad))
                          .child(Flow.of(a, job("ok")))))
              .getString("id");
      // the sibling waits an hour: the removed flow deletes it
      JsonObject removedIds =
          await(
              h.vertiq.enqueueFlow(
                  Flow.of(a, job("p-remove"))
                      .onChildDead(Flow.OnChildDead.REMOVE)
                      .child(Flow.of(a, bad))
                      .child(Flow.of(a, job("later").setDelayMs(3_600_000)))));
      until(
          "fail: the parent is dead",
          Duration.ofSeconds(10),
          () -> await(q.get(failed)).state() == JobState.DEAD);
      assertTrue(
          await(q.get(failed)).error().contains("is dead: planned"), await(q.get(failed)).error());
      assertEquals(-1, ran(a, failed), "never ran");
      until(
          "ignore: the parent ran",
          Duration.ofSeconds(10),
          () -> await(q.get(ignored)).state() == JobState.COMPLETED);
      assertEquals(
          1,
          ((JsonObject) await(q.get(ignored)).result()).getJsonObject("children").size(),
          "the ok child's result only");
      assertEquals(
          1,
          await(q.get(ignored))
              .toJson()
              .getJsonObject("flow")
              .getJsonObject("childrenFailed")
              .size());
      String removed = removedIds.getString("id");
      String later = removedIds.getJsonArray("children").getJsonObject(1).getString("id");
      until(
          "remove: the parent and its waiting child deleted",
          Duration.ofSeconds(10),
          () -> TestSupport.gone(q, removed) && TestSupport.gone(q, later));
    }
  }

  @Test
  void aChildsEndLeftUndeliveredIsDeliveredByMaintenance() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("flowr");
      h.deploy(queues(h, a));
      JobQueue q = h.queue(a);
      await(q.pause()); // the children do not run: their ends are made by hand below
      JsonObject ids =
          await(h.vertiq.enqueueFlow(Flow.of(a, job("p")).child(Flow.of(a, job("c")))));
      String parent = ids.getString("id");
      String child = ids.getJsonArray("children").getJsonObject(0).getString("id");
      assertEquals(JobState.WAITING, await(q.get(parent)).state());
      // as if the node that ran the child died right after storing its end: the end waits in the
      // list, no relay runs
      await(q.cancel(child));
      String end = a + "\0" + parent + "\0" + a + "\0" + child + "\0c\0{\"by\":\"hand\"}";
      await(h.redis.send(Request.cmd(Command.RPUSH).arg(new Keys(h.prefix, a).flowOut()).arg(end)));
      await(q.resume());
      until(
          "the parent ran",
          Duration.ofSeconds(10),
          () -> await(q.get(parent)).state() == JobState.COMPLETED);
      assertEquals(
          "hand",
          await(q.get(parent)).childrenResults().getJsonObject(a + ":" + child).getString("by"));
      assertEquals(
          0,
          await(h.redis.send(Request.cmd(Command.LLEN).arg(new Keys(h.prefix, a).flowOut())))
              .toInteger(),
          "delivered once and taken off the list");
    }
  }

  @Test
  void aFlowWithABadJobIsRefusedWholeAndWritesNothing() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("flowbad");
      JobQueue q = h.queue(a);
      VertiqException e =
          assertThrows(
              VertiqException.class,
              () ->
                  await(
                      h.vertiq.enqueueFlow(
                          Flow.of(a, job("p"))
                              .child(Flow.of(a, job("ok")))
                              .child(Flow.of(a, job("u").setUniqueKey("k"))))));
      assertTrue(e.getMessage().contains("flow.children[1].job"), e.getMessage());
      VertiqException name =
          assertThrows(
              VertiqException.class,
              () ->
                  await(
                      h.vertiq.enqueueFlow(
                          Flow.of(a, job("p")).child(Flow.of("bad queue", job("c"))))));
      assertTrue(name.getMessage().contains("queue"), name.getMessage());
      assertEquals(0, await(q.counts()).ready() + await(q.counts()).delayed(), "nothing written");
      assertEquals(0, await(q.list(JobState.WAITING, 0, 10)).total());
    }
  }
}
