package io.vertiq.examples;

import io.vertiq.GroupLimits;
import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The durable-job examples of docs/java.md, compiled by the build: each block between tag comments is one of the
 * guide's java blocks, and ExamplesInDocsTest fails when they differ.
 */
public final class DurableExample {
  /** The services the examples call: stand-ins for an application's own. */
  interface Service {
    Future<Object> charge(JsonObject order);

    Future<Object> book(JsonObject order);

    Future<Object> send(JsonObject order, Object parcel);

    Future<Object> quote(JsonObject order);

    Future<Object> order(JsonObject order);
  }

  static Service payments, carrier, mailer, pricing, shop;

  static Future<Void> importRow(long i) {
    return Future.succeededFuture();
  }

  /** Three steps, each run once for the job. */
  public static final class Steps implements JobHandler {
    @Override
    // tag::java-steps[]
    public Future<Object> handle(Job job) {
      return job.step("charge", () -> payments.charge(job.payload()))
          .compose(charge -> job.step("ship", () -> carrier.book(job.payload())))
          .compose(parcel -> job.step("mail", () -> mailer.send(job.payload(), parcel)));
    }
    // end::java-steps[]
  }

  /** A step, a wait for a signal, and a step once it came. */
  public static final class Approval implements JobHandler {
    @Override
    // tag::java-signal[]
    public Future<Object> handle(Job job) {
      return job.step("quote", () -> pricing.quote(job.payload()))
          .compose(quote -> job.waitFor("approved", Duration.ofDays(3)))
          .compose(w -> w.getBoolean("received") ? job.step("order", () -> shop.order(job.payload())) : Future.succeededFuture("expired"));
    }
    // end::java-signal[]
  }

  /** A walk over rows that resumes from its cursor. */
  public static final class Import implements JobHandler {
    @Override
    // tag::java-iterate[]
    public Future<Object> handle(Job job) {
      long rows = job.payload().getLong("rows");
      return job.iterate(0, rows, 1_000, i -> importRow(i)).map(v -> "imported " + rows);
    }
    // end::java-iterate[]
  }

  private DurableExample() {}

  static void limits(JobQueue apiCalls) {
    // tag::java-group-limits[]
    apiCalls.setGroupLimits("acme", GroupLimits.none().concurrency(10).rateLimit(50, Duration.ofSeconds(1), true).weight(3));
    apiCalls.clearGroupLimits("acme"); // back to the queue's conf
    // end::java-group-limits[]
  }
}
