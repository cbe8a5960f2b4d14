package io.vertiq.examples;

import io.vertiq.Flow;
import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * The README's Java example, compiled by the build: the README shows the lines between the tag comments, and
 * ReadmeExamplesTest fails when the two differ.
 */
public final class JavaApiExample {
  /** A handler as the conf names it: a public class with a no-arg constructor. */
  public static final class SendEmail implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      job.log("sending to " + job.payload().getString("to"));
      return Future.succeededFuture("sent");
    }
  }

  private JavaApiExample() {}

  static void example(Vertx vertx, String id, JsonObject payload, List<NewJob> listOfJobs, List<NewJob> rows) {
    // tag::java[]
    Redis redis = Redis.createClient(vertx, "redis://localhost:6379");
    Vertiq vertiq = Vertiq.create(vertx, redis);
    JobQueue emails = vertiq.queue("emails");
    emails.enqueue(NewJob.of("welcome", new JsonObject().put("to", "ada@example.com"))
        .setDelayMs(5_000).setPriority(10).setAttempts(5).setUniqueKey("welcome:ada"));
    emails.enqueue(NewJob.of("charge", payload).setIdempotencyKey("order-42")); // a retry returns the first job's id
    emails.enqueue(NewJob.of("digest", payload).setUniqueKey("digest:ada").setUniqueForMs(600_000)); // none again for 10 min
    emails.enqueue(NewJob.of("sync", payload).setUniqueKey("sync:ada").setDebounce(true).setDelayMs(5_000)); // the last wins
    emails.enqueueBulk(listOfJobs); // one Redis round trip per 1,000 jobs, up to 100,000
    emails.get(id);
    emails.remove(id);
    emails.retryDead(List.of());
    emails.pause();
    emails.resume();
    emails.counts();
    emails.cancel(id); // waiting: deleted; running: its handler told, on any node
    emails.awaitResult(id, 10_000).onSuccess(job -> job.result()); // the job once finished, or as it is at the timeout
    // a flow: "report" runs once both children have ended (on any queues), reading job.childrenResults()
    vertiq.enqueueFlow(Flow.of("reports", NewJob.of("report", payload)).onChildDead(Flow.OnChildDead.FAIL)
        .child(Flow.of("fetch", NewJob.of("orders", payload))).child(Flow.of("fetch", NewJob.of("refunds", payload))));
    // a batch: jobs added while it is open; once closed and all ended, "complete" runs, and "success" if none is dead
    vertiq.openBatch("imports", NewJob.of("success", payload), NewJob.of("complete", payload))
        .compose(b -> vertiq.addToBatch("imports", b.getString("id"), "rows", rows)
            .compose(ids -> vertiq.closeBatch("imports", b.getString("id"))));
    // the workers and maintenance in this Vert.x (the conf as in conf/config.json); the HTTP API only if asked for
    Vertiq.deploy(vertx, new JsonObject()
        .put("redis", new JsonObject().put("url", "redis://localhost:6379"))
        .put("http", new JsonObject().put("enabled", false))
        .put("queues", new JsonObject().put("emails", new JsonObject().put("handler", SendEmail.class.getName()))));
    // end::java[]
  }
}
