package io.vertiq.core;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Steering waiting jobs: promote a delayed one, change a priority, move a run-at; refusals name the
 * job.
 */
class JobControlTest {
  private VertiqHarness h;

  @AfterEach
  void cleanup() {
    if (h != null) h.close();
  }

  private JobQueue start(String name, int concurrency) {
    h = new VertiqHarness();
    h.deploy(
        h.conf(
            new JsonObject()
                .put(
                    name,
                    VertiqHarness.queue(RecordingHandler.class.getName(), 1, concurrency)
                        .put("attempts", 1)
                        .put("drainTimeout", "200ms"))));
    return h.queue(name);
  }

  @Test
  void aDelayedJobPromotedRunsNowAndAReadyOneStaysAsItIs() {
    String name = TestSupport.randomName("promote");
    JobQueue q = start(name, 5);
    String id = await(q.enqueue(NewJob.of("later", new JsonObject()).setDelayMs(3_600_000))).id();
    String grouped =
        await(
                q.enqueue(
                    NewJob.of("later", new JsonObject()).setDelayMs(3_600_000).setGroup("acme")))
            .id();
    assertEquals(JobState.DELAYED, await(q.get(id)).state());
    assertEquals(JobState.READY, await(q.promote(id)));
    assertEquals(JobState.READY, await(q.promote(grouped)));
    until("both ran", Duration.ofSeconds(10), () -> await(q.counts()).total("completed") == 2);
    assertEquals(0, await(q.counts()).delayed());
  }

  @Test
  void aPriorityChangeReordersTheWaitingJobsAndARunAtMovesOne() {
    String name = TestSupport.randomName("reprio");
    JobQueue q = start(name, 1);
    await(q.pause());
    List<String> ids =
        await(
                q.enqueueBulk(
                    List.of(
                        NewJob.of("a", new JsonObject()),
                        NewJob.of("b", new JsonObject()),
                        NewJob.of("c", new JsonObject()))))
            .stream()
            .map(r -> r.id())
            .toList();
    assertEquals(JobState.READY, await(q.setPriority(ids.get(2), 10)));
    assertEquals(10, await(q.get(ids.get(2))).priority());
    assertEquals(
        "c",
        await(q.get(ids.get(2))).name(),
        "a plain job keeps its name and payload when it gets a hash");
    assertEquals(
        ids.get(2),
        await(q.list(JobState.READY, 0, 10)).jobs().get(0).id(),
        "the raised job runs first");

    assertEquals(
        JobState.DELAYED, await(q.setRunAt(ids.get(0), System.currentTimeMillis() + 3_600_000)));
    assertEquals(JobState.DELAYED, await(q.get(ids.get(0))).state());
    assertEquals(1, await(q.counts()).delayed());
    assertEquals(
        JobState.READY,
        await(q.setRunAt(ids.get(0), System.currentTimeMillis() - 1_000)),
        "a time not ahead: now");
    assertEquals(3, await(q.counts()).ready());
    await(q.resume());
    until("all ran", Duration.ofSeconds(10), () -> RecordingHandler.runs(name).size() == 3);
    assertEquals(ids.get(2), RecordingHandler.runs(name).get(0).id());
  }

  @Test
  void jobsThatDoNotWaitAreRefusedNamingThem() {
    String name = TestSupport.randomName("refuse");
    JobQueue q = start(name, 5);
    VertiqException missing = assertThrows(VertiqException.class, () -> await(q.promote("424242")));
    assertEquals(VertiqException.Code.NOT_FOUND, missing.code());
    assertTrue(missing.getMessage().contains("job 424242"), missing.getMessage());
    String running = await(q.enqueue(NewJob.of("t", new JsonObject().put("hang", true)))).id();
    until(
        "it runs", Duration.ofSeconds(10), () -> await(q.get(running)).state() == JobState.ACTIVE);
    VertiqException busy =
        assertThrows(VertiqException.class, () -> await(q.setPriority(running, 5)));
    assertEquals(VertiqException.Code.CONFLICT, busy.code());
    String dead = await(q.enqueue(NewJob.of("t", new JsonObject().put("failTimes", -1)))).id();
    until("it died", Duration.ofSeconds(10), () -> await(q.counts()).dead() == 1);
    VertiqException finished = assertThrows(VertiqException.class, () -> await(q.promote(dead)));
    assertEquals(VertiqException.Code.CONFLICT, finished.code());
    assertTrue(finished.getMessage().contains("retry it"), finished.getMessage());
    assertEquals(
        VertiqException.Code.INVALID_ARGUMENT,
        assertThrows(VertiqException.class, () -> await(q.setPriority(dead, 5_000))).code());
  }
}
