package io.vertiq.worker;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A handler's log lines are kept with the job, bounded, and shown with it. */
class JobLogsTest {
  /** Logs payload.lines lines ("line i"), then completes. */
  public static final class LoggingHandler implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      List<Future<Void>> all = new ArrayList<>();
      int n = job.payload().getInteger("lines", 1);
      for (int i = 0; i < n; i++)
        all.add(job.log(i == 0 ? job.payload().getString("first", "line 0") : "line " + i));
      return Future.all(all).map(v -> "logged");
    }
  }

  /** Logs two lines without waiting for either, then completes at once. */
  public static final class FireAndForgetHandler implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      job.log("sent");
      job.log("done");
      return Future.succeededFuture("ok");
    }
  }

  @Test
  void linesNotAwaitedByTheHandlerAreKeptWithTheOutcome() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("logs");
      h.deploy(
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      VertiqHarness.queue(FireAndForgetHandler.class.getName(), 1, 50)
                          .put("retention", new JsonObject().put("completed", "all")))));
      JobQueue q = h.queue(name);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++)
        ids.add(await(q.enqueue(NewJob.of("fire", new JsonObject()))).id());
      until(
          "all completed",
          Duration.ofSeconds(20),
          () -> await(q.counts()).total("completed") == 20);
      for (String id : ids) {
        JsonArray logs = await(q.get(id)).logs();
        assertNotNull(logs, "job " + id + " kept no log");
        assertEquals(
            List.of("sent", "done"),
            logs.stream().map(o -> ((JsonObject) o).getString("line")).toList(),
            "job " + id);
      }
    }
  }

  @Test
  void linesAreKeptWithTheJobAndBounded() {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("logs");
      h.deploy(
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      VertiqHarness.queue(LoggingHandler.class.getName(), 1, 5)
                          .put("retention", new JsonObject().put("completed", "all")))));
      JobQueue q = h.queue(name);
      String few =
          await(
                  q.enqueue(
                      NewJob.of(
                          "few",
                          new JsonObject()
                              .put("lines", 3)
                              .put("first", "héllo <b>world</b> \"quoted\"/"))))
              .id();
      String many = await(q.enqueue(NewJob.of("many", new JsonObject().put("lines", 150)))).id();
      until(
          "both completed",
          Duration.ofSeconds(10),
          () -> await(q.counts()).total("completed") == 2);
      JsonArray logs = await(q.get(few)).logs();
      assertEquals(3, logs.size(), logs.encode());
      assertEquals(
          "héllo <b>world</b> \"quoted\"/",
          logs.getJsonObject(0).getString("line"),
          "stored as given");
      assertTrue(logs.getJsonObject(0).getLong("at") > 0);
      assertEquals(logs, await(q.get(few)).toJson().getJsonArray("logs"), "the API shows them");
      JsonArray kept = await(q.get(many)).logs();
      assertEquals(RunStore.LOG_LINES, kept.size(), "the last 100 lines are kept");
      assertEquals("line 149", kept.getJsonObject(kept.size() - 1).getString("line"));
      assertEquals("line 50", kept.getJsonObject(0).getString("line"));
    }
  }
}
