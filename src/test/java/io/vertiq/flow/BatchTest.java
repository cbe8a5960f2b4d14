package io.vertiq.flow;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Addresses;
import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.server.Bootstrap;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Batches: callbacks once every job has ended (success only when none is dead), jobs added while
 * open.
 */
class BatchTest {
  /** Counts runs per job name and queue; fails with payload.fail. */
  public static final class Counting implements JobHandler {
    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
    static final Map<String, JsonObject> READ = new ConcurrentHashMap<>();

    @Override
    public Future<Object> handle(Job job) {
      RUNS.computeIfAbsent(job.queue() + "/" + job.name(), k -> new AtomicInteger())
          .incrementAndGet();
      READ.put(job.queue() + "/" + job.name(), job.childrenResults());
      if (job.payload().getBoolean("fail", false)) return Future.failedFuture("planned");
      return Future.succeededFuture("ok");
    }
  }

  private static int runs(String queue, String name) {
    AtomicInteger n = Counting.RUNS.get(queue + "/" + name);
    return n == null ? 0 : n.get();
  }

  private static JsonObject conf(VertiqHarness h, String... names) {
    JsonObject q = new JsonObject();
    for (String n : names)
      q.put(n, VertiqHarness.queue(Counting.class.getName(), 2, 20).put("attempts", 1));
    return h.conf(q);
  }

  private static List<NewJob> jobs(int n, JsonObject payload) {
    List<NewJob> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(NewJob.of("work", payload.copy().put("i", i)));
    return out;
  }

  @Test
  void bothCallbacksRunOnceWhenEveryJobSucceededEvenWithTwoNodesEndingTheLastJobs() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("batcha");
      String b = TestSupport.randomName("batchb");
      JsonObject conf = conf(h, a, b);
      h.deploy(conf);
      // a second node on the same Redis: both run the batch's jobs and relay their ends
      String second =
          await(
              h.vertx.deployVerticle(new Bootstrap(null), new DeploymentOptions().setConfig(conf)));
      JsonObject batch =
          await(
              h.vertiq.openBatch(
                  a,
                  NewJob.of("all-good", new JsonObject()),
                  NewJob.of("all-done", new JsonObject())));
      String id = batch.getString("id");
      await(h.vertiq.addToBatch(a, id, a, jobs(100, new JsonObject())));
      await(
          h.vertiq.addToBatch(
              a, id, b, jobs(100, new JsonObject()))); // jobs on another queue, added while open
      assertTrue(await(h.vertiq.batch(a, id)).getBoolean("open"));
      await(h.vertiq.closeBatch(a, id));
      until(
          "both callbacks ran",
          Duration.ofSeconds(20),
          () -> runs(a, "all-good") == 1 && runs(a, "all-done") == 1);
      JsonObject status = await(h.vertiq.batch(a, id));
      assertTrue(status.getBoolean("done"), status.encode());
      assertEquals(200, status.getLong("succeeded"));
      assertEquals(0, status.getLong("failed"));
      assertEquals("completed", status.getJsonObject("onSuccess").getString("state"));
      JsonObject counts = Counting.READ.get(a + "/all-done").getJsonObject(a + ":" + id);
      assertEquals(
          200, counts.getInteger("succeeded"), "the complete callback reads the batch's counts");
      // no second run however the ends were delivered: still one each a moment later (polled, it
      // never changes)
      until(
          "the relays are idle",
          Duration.ofSeconds(5),
          () -> await(h.queue(a).counts()).ready() == 0);
      assertEquals(1, runs(a, "all-good"));
      assertEquals(1, runs(a, "all-done"));
      // the batch's record is kept with the completed jobs and counted with them: the dashboard's
      // "kept / all time" never shows more kept than ever completed
      var c = await(h.queue(a).counts());
      assertTrue(c.completed() <= c.total("completed"), c.toJson().encode());
      VertiqException closed =
          assertThrows(
              VertiqException.class,
              () -> await(h.vertiq.addToBatch(a, id, a, jobs(1, new JsonObject()))));
      assertEquals(VertiqException.Code.CONFLICT, closed.code());
      await(h.vertx.undeploy(second));
    }
  }

  @Test
  void aDeadJobDeletesTheSuccessCallbackAndTheCompleteOneCountsIt() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("batchd");
      h.deploy(conf(h, a));
      JsonObject batch =
          await(
              h.vertiq.openBatch(
                  a, NewJob.of("good", new JsonObject()), NewJob.of("done", new JsonObject())));
      String id = batch.getString("id");
      await(h.vertiq.addToBatch(a, id, a, jobs(5, new JsonObject())));
      await(
          h.vertiq.addToBatch(
              a, id, a, List.of(NewJob.of("work", new JsonObject().put("fail", true)))));
      await(h.vertiq.closeBatch(a, id));
      until("the complete callback ran", Duration.ofSeconds(10), () -> runs(a, "done") == 1);
      String success = batch.getJsonObject("onSuccess").getString("id");
      until(
          "the success callback deleted",
          Duration.ofSeconds(10),
          () -> TestSupport.gone(h.queue(a), success));
      assertEquals(0, runs(a, "good"));
      JsonObject status = await(h.vertiq.batch(a, id));
      assertEquals(5, status.getLong("succeeded"));
      assertEquals(1, status.getLong("failed"));
      assertEquals("deleted", status.getJsonObject("onSuccess").getString("state"));
    }
  }

  @Test
  void anEmptyBatchEndsWhenClosedAndUnknownBatchesAreNotFound() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("batche");
      h.deploy(conf(h, a));
      String id =
          await(h.vertiq.openBatch(a, null, NewJob.of("empty-done", new JsonObject())))
              .getString("id");
      await(h.vertiq.closeBatch(a, id));
      until("the callback ran", Duration.ofSeconds(10), () -> runs(a, "empty-done") == 1);
      assertEquals(
          JobState.COMPLETED,
          await(h.queue(a).get(id)).state(),
          "the record is kept as a completed job");
      VertiqException none =
          assertThrows(
              VertiqException.class,
              () -> await(h.vertiq.addToBatch(a, "999999", a, jobs(1, new JsonObject()))));
      assertEquals(VertiqException.Code.NOT_FOUND, none.code());
      assertThrows(VertiqException.class, () -> await(h.vertiq.closeBatch(a, "999999")));
    }
  }

  @Test
  void batchesAndFlowsOverTheEventBus() {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("batchbus");
      h.deploy(conf(h, a));
      Function<JsonObject, JsonObject> control =
          body ->
              (JsonObject)
                  await(h.vertx.eventBus().request(Addresses.CONTROL, body.put("queue", a))).body();
      JsonObject opened =
          control.apply(
              new JsonObject()
                  .put("action", "openBatch")
                  .put("onComplete", new JsonObject().put("name", "bus-done")));
      String id = opened.getString("id");
      JsonObject added =
          control.apply(
              new JsonObject()
                  .put("action", "addToBatch")
                  .put("id", id)
                  .put("jobs", new JsonArray().add(new JsonObject().put("name", "w"))));
      assertEquals(1, added.getJsonArray("ids").size());
      assertFalse(
          control
              .apply(new JsonObject().put("action", "closeBatch").put("id", id))
              .getBoolean("open"));
      until("the callback ran", Duration.ofSeconds(10), () -> runs(a, "bus-done") == 1);
      assertTrue(
          control.apply(new JsonObject().put("action", "batch").put("id", id)).getBoolean("done"));
      JsonObject flow =
          control.apply(
              new JsonObject()
                  .put("action", "flow")
                  .put(
                      "flow",
                      new JsonObject()
                          .put("queue", a)
                          .put("job", new JsonObject().put("name", "bus-parent"))
                          .put("children", new JsonArray().add(new JsonObject().put("queue", a)))));
      until("the flow's parent ran", Duration.ofSeconds(10), () -> runs(a, "bus-parent") == 1);
      // its outcome is stored with the worker's next report, just after the run
      until(
          "the flow's tree completed",
          Duration.ofSeconds(10),
          () ->
              "completed"
                  .equals(
                      control
                          .apply(
                              new JsonObject()
                                  .put("action", "flowTree")
                                  .put("id", flow.getString("id")))
                          .getString("state")));
    }
  }
}
