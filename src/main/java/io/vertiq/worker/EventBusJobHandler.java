package io.vertiq.worker;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Runs a job by sending it to an event-bus address, so the handler can be any verticle, in any
 * Vert.x language, on any node of a clustered event bus. The request body is the job's JSON; the
 * reply body is the result; {@code message.fail(code, text)} fails the run.
 */
final class EventBusJobHandler implements JobHandler {
  private final Vertx vertx;
  private final String address;
  private final long timeoutMs;

  EventBusJobHandler(Vertx vertx, String address, long timeoutMs) {
    this.vertx = vertx;
    this.address = address;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<Object> handle(Job job) {
    long timeout = job.timeoutMs() > 0 ? job.timeoutMs() : timeoutMs;
    // the worker enforces the job timeout itself; the send timeout only stops the reply handler
    // leaking
    return vertx
        .eventBus()
        .request(address, job.toJson(), new DeliveryOptions().setSendTimeout(timeout + 1_000))
        .map(msg -> msg.body());
  }
}
