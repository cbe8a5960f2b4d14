package io.vertiq.http;

import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.client.ApiClient;
import io.vertiq.client.ApiException;
import io.vertiq.client.api.BatchesApi;
import io.vertiq.client.api.FlowsApi;
import io.vertiq.client.api.GroupsApi;
import io.vertiq.client.api.JobsApi;
import io.vertiq.client.api.QueuesApi;
import io.vertiq.client.api.SchedulesApi;
import io.vertiq.client.model.Batch;
import io.vertiq.client.model.BatchOpen;
import io.vertiq.client.model.BulkResult;
import io.vertiq.client.model.CancelReply;
import io.vertiq.client.model.EnqueueResult;
import io.vertiq.client.model.Flow;
import io.vertiq.client.model.FlowIds;
import io.vertiq.client.model.FlowTree;
import io.vertiq.client.model.Group;
import io.vertiq.client.model.Ids;
import io.vertiq.client.model.Job;
import io.vertiq.client.model.JobPage;
import io.vertiq.client.model.JobState;
import io.vertiq.client.model.JobStateReply;
import io.vertiq.client.model.NewJob;
import io.vertiq.client.model.Queue;
import io.vertiq.client.model.Schedule;
import io.vertiq.client.model.ScheduleSpec;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service driven only through the Java client that openapi-generator makes from openapi.yaml at
 * build time (target/generated-client): what a producer in any language gets from the document,
 * with typed results.
 */
class GeneratedClientTest {
  @Test
  void everyCommonOperationWorksThroughTheGeneratedClient() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String queue = TestSupport.randomName("gen");
      int port = RedisServerProcess.freePort();
      JsonObject conf = h.conf(new JsonObject().put(queue, VertiqHarness.queue("sleep", 1, 10)));
      conf.put("http", VertiqHarness.http(port));
      h.deploy(conf);
      ApiClient client = new ApiClient().setHost("127.0.0.1").setPort(port).setBasePath("");
      JobsApi jobs = new JobsApi(client);

      // single enqueue, get, the result long-poll
      EnqueueResult one =
          jobs.enqueue(queue, new NewJob().name("quick").payload(Map.of("ms", 1)), null);
      assertTrue(one.getCreated());
      assertTrue(one.getServed(), "this node runs the queue");
      Job done = jobs.awaitJobResult(queue, one.getId(), "10s");
      assertTrue(done.getFinished());
      assertEquals(JobState.COMPLETED, done.getState());
      assertEquals("quick", jobs.getJob(queue, one.getId()).getName());

      // bulk of delayed jobs, listed in pages by cursor; one promoted, one changed, one cancelled
      List<NewJob> later = new ArrayList<>();
      for (int i = 0; i < 5; i++)
        later.add(new NewJob().name("later-" + i).delay("1h").payload(Map.of("ms", 1)));
      BulkResult bulk = jobs.enqueueBulk(queue, later, null);
      assertEquals(5, bulk.getCreated());
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        JobPage page = jobs.listJobs(queue, "delayed", 2, cursor);
        assertEquals(5L, page.getTotal());
        page.getJobs().forEach(j -> seen.add(j.getId()));
        cursor = page.getNextCursor();
      } while (cursor != null);
      assertEquals(5, seen.size(), "every delayed job once over the pages: " + seen);
      String promoted = bulk.getResults().get(0).getId();
      JobStateReply ready = jobs.promoteJob(queue, promoted);
      assertEquals(JobState.READY, ready.getState());
      String cancelled = bulk.getResults().get(1).getId();
      CancelReply c = jobs.cancelJob(queue, cancelled);
      assertEquals(JobState.DELAYED, c.getPreviousState());
      assertEquals(CancelReply.OutcomeEnum.DELETED, c.getOutcome());
      ApiException gone = assertThrows(ApiException.class, () -> jobs.getJob(queue, cancelled));
      assertEquals(404, gone.getCode());
      assertTrue(
          gone.getResponseBody().contains("\"error\":\"not_found\""), gone.getResponseBody());

      // a flow and its tree
      FlowIds ids =
          new FlowsApi(client)
              .enqueueFlow(
                  new Flow()
                      .queue(queue)
                      .job(new NewJob().name("parent").payload(Map.of("ms", 1)))
                      .addChildrenItem(
                          new Flow()
                              .queue(queue)
                              .job(new NewJob().name("child").payload(Map.of("ms", 1)))));
      assertEquals(1, ids.getChildren().size());
      until(
          "the flow's parent ran",
          Duration.ofSeconds(20),
          () -> {
            try {
              return "completed"
                  .equals(new FlowsApi(client).getFlowTree(queue, ids.getId()).getState());
            } catch (ApiException e) {
              throw new IllegalStateException(e);
            }
          });
      FlowTree tree = new FlowsApi(client).getFlowTree(queue, ids.getId());
      assertEquals("child", tree.getChildren().get(0).getName());

      // a batch: opened empty, a job added, closed
      BatchesApi batches = new BatchesApi(client);
      Batch opened =
          batches.openBatch(
              queue,
              new BatchOpen().onComplete(new NewJob().name("report").payload(Map.of("ms", 1))));
      assertTrue(opened.getOpen());
      Ids added =
          batches.addToBatch(
              queue, opened.getId(), List.of(new NewJob().name("row").payload(Map.of("ms", 1))));
      assertEquals(1, added.getIds().size());
      Batch closed = batches.closeBatch(queue, opened.getId());
      assertFalse(closed.getOpen());
      until(
          "the batch is done",
          Duration.ofSeconds(20),
          () -> {
            try {
              return Boolean.TRUE.equals(batches.getBatch(queue, opened.getId()).getDone());
            } catch (ApiException e) {
              throw new IllegalStateException(e);
            }
          });

      // a schedule, a group's pause, the queue
      SchedulesApi schedules = new SchedulesApi(client);
      Schedule s =
          schedules.putSchedule(
              queue,
              "nightly",
              new ScheduleSpec()
                  .cron("0 3 * * *")
                  .tz("Europe/Berlin")
                  .job(new NewJob().name("nightly").priority(null)));
      assertNotNull(s.getNextFireAt());
      assertEquals(1, schedules.listSchedules(queue).getSchedules().size());
      Group paused = new GroupsApi(client).pauseGroup(queue, "acme");
      assertTrue(paused.getPaused());
      Queue q = new QueuesApi(client).getQueue(queue);
      assertEquals(queue, q.getQueue());
      assertTrue(q.getServed());

      // a refused request: the client sees the error's JSON
      ApiException bad =
          assertThrows(
              ApiException.class, () -> jobs.enqueue(queue, new NewJob().priority(5000), null));
      assertEquals(400, bad.getCode());
      assertTrue(bad.getResponseBody().contains("body.priority"), bad.getResponseBody());
    }
  }
}
