package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Flow;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flows and cancel across service processes (the fat jar): a SIGKILL of the process running a
 * parent's last child loses nothing, and a cancel from this process reaches the handler running in
 * another.
 */
class FlowProcessesTest {
  private static JsonObject queue(String handler) {
    return new JsonObject()
        .put("handler", handler)
        .put("lease", "2s")
        .put("retention", new JsonObject().put("completed", "all"));
  }

  @Test
  void aSigkillOfTheProcessRunningTheLastChildLosesNothing() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String parents = TestSupport.randomName("fparent");
      String children = TestSupport.randomName("fchild");
      // the children's queue runs on the first process only (then on the one started after the
      // kill)
      JsonObject withChildren =
          h.conf(new JsonObject().put(parents, queue("echo")).put(children, queue("sleep")));
      withChildren.put("maintenance", new JsonObject().put("interval", "200ms"));
      JsonObject parentsOnly = h.conf(new JsonObject().put(parents, queue("echo")));
      Path a = JarProcess.writeConf(withChildren);
      Path b = JarProcess.writeConf(parentsOnly);
      JobQueue q = h.queue(parents);
      JobQueue c = h.queue(children);
      try (JarProcess first = JarProcess.start("-conf", a.toString());
          JarProcess other = JarProcess.start("-conf", b.toString())) {
        first.awaitStarted();
        other.awaitStarted();
        JsonObject ids =
            await(
                h.vertiq.enqueueFlow(
                    Flow.of(parents, NewJob.of("parent", new JsonObject()))
                        .child(Flow.of(children, NewJob.of("quick", new JsonObject())))
                        .child(
                            Flow.of(
                                children, NewJob.of("last", new JsonObject().put("ms", 3_000))))));
        String parent = ids.getString("id");
        String last = ids.getJsonArray("children").getJsonObject(1).getString("id");
        until(
            "the last child running",
            Duration.ofSeconds(20),
            () -> await(c.get(last)).state() == JobState.ACTIVE);
        first.sigkill();
        assertEquals(JobState.WAITING, await(q.get(parent)).state(), "the parent still waits");
        try (JarProcess again = JarProcess.start("-conf", a.toString())) {
          again.awaitStarted();
          until(
              "the parent ran after its last child ran again",
              Duration.ofSeconds(30),
              () -> await(q.get(parent)).state() == JobState.COMPLETED);
          assertTrue(
              await(c.get(last)).attemptsMade() >= 2, "the last child ran again after the kill");
          assertEquals(
              2,
              await(q.get(parent)).childrenResults().size(),
              "both children's results reached the parent");
        }
      }
    }
  }

  @Test
  void aCancelFromThisProcessStopsAHandlerRunningInAnother() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("fcancel");
      // a 60 s lease: its renewal (every 20 s) is far slower than the cancel's message
      Path conf =
          JarProcess.writeConf(
              h.conf(new JsonObject().put(name, queue("sleep").put("lease", "60s"))));
      JobQueue q = h.queue(name);
      try (JarProcess service = JarProcess.start("-conf", conf.toString())) {
        service.awaitStarted();
        String id = await(q.enqueue(NewJob.of("long", new JsonObject().put("ms", 120_000)))).id();
        until("running", Duration.ofSeconds(20), () -> await(q.get(id)).state() == JobState.ACTIVE);
        long t0 = System.nanoTime();
        assertEquals(JobState.ACTIVE, await(q.cancel(id)));
        until(
            "dead as cancelled",
            Duration.ofSeconds(5),
            () -> await(q.get(id)).state() == JobState.DEAD);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("cancelled", await(q.get(id)).error());
        assertTrue(ms < 5_000, "the run ended " + ms + " ms after the cancel");
      }
    }
  }

  @Test
  void aBatchsCallbacksRunOnceWithTwoProcessesEndingItsLastJobs() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("fbatch");
      Path conf = JarProcess.writeConf(h.conf(new JsonObject().put(name, queue("noop"))));
      JobQueue q = h.queue(name);
      try (JarProcess a = JarProcess.start("-conf", conf.toString());
          JarProcess b = JarProcess.start("-conf", conf.toString())) {
        a.awaitStarted();
        b.awaitStarted();
        JsonObject batch =
            await(
                h.vertiq.openBatch(
                    name,
                    NewJob.of("success", new JsonObject()),
                    NewJob.of("complete", new JsonObject())));
        String id = batch.getString("id");
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 400; i++) jobs.add(NewJob.of("work", new JsonObject()));
        await(h.vertiq.addToBatch(name, id, name, jobs));
        await(h.vertiq.closeBatch(name, id));
        String success = batch.getJsonObject("onSuccess").getString("id");
        String complete = batch.getJsonObject("onComplete").getString("id");
        until(
            "both callbacks ran",
            Duration.ofSeconds(30),
            () ->
                await(q.get(success)).state() == JobState.COMPLETED
                    && await(q.get(complete)).state() == JobState.COMPLETED);
        assertEquals(1, await(q.get(success)).attemptsMade(), "the success callback ran once");
        assertEquals(1, await(q.get(complete)).attemptsMade(), "the complete callback ran once");
        // every run of the queue: the 400 jobs and the two callbacks, none twice, and the batch's
        // record (it never runs; once done it is kept with the completed jobs and counted with
        // them)
        until(
            "the counts settled",
            Duration.ofSeconds(10),
            () -> await(q.counts()).total("completed") == 403);
        assertEquals(400, await(h.vertiq.batch(name, id)).getLong("succeeded"));
      }
    }
  }
}
