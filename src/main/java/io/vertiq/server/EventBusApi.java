package io.vertiq.server;

import io.vertiq.Addresses;
import io.vertiq.JobQueue;
import io.vertiq.Vertiq;
import io.vertiq.VertiqException;
import io.vertiq.core.EnqueueRequest;
import io.vertiq.core.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enqueue and control consumers on the event bus (addresses and bodies in {@link Addresses}).
 */
final class EventBusApi {
  private static final Logger LOG = LoggerFactory.getLogger(EventBusApi.class);
  private final Vertx vertx;
  private final Vertiq vertiq;
  private final Function<JsonObject, Future<JsonObject>> control;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  EventBusApi(Vertx vertx, Vertiq vertiq, Function<JsonObject, Future<JsonObject>> control) {
    this.vertx = vertx;
    this.vertiq = vertiq;
    this.control = control;
  }

  Future<Void> start() {
    MessageConsumer<Object> enq = vertx.eventBus().consumer(Addresses.ENQUEUE, this::enqueue);
    MessageConsumer<Object> ctl = vertx.eventBus().consumer(Addresses.CONTROL, this::control);
    consumers.add(enq);
    consumers.add(ctl);
    return Future.join(enq.completion(), ctl.completion()).mapEmpty();
  }

  Future<Void> stop() {
    List<Future<?>> all = new ArrayList<>();
    consumers.forEach(c -> all.add(c.unregister()));
    return Future.join(all).mapEmpty();
  }

  private void enqueue(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject body)) {
      msg.fail(400, "body: expected a JSON object");
      return;
    }
    JobQueue queue;
    try {
      queue = vertiq.queue(body.getString("queue"));
    } catch (VertiqException e) {
      reply(msg, Future.failedFuture(e));
      return;
    }
    Future<JsonObject> result;
    try {
      Object jobs = body.getValue("jobs");
      JsonObject single = body.copy();
      single.remove("queue");
      EnqueueRequest request =
          jobs instanceof JsonArray
              ? EnqueueRequest.parse(jobs, "jobs")
              : EnqueueRequest.parse(single, "");
      result = request.send(queue).map(request::reply);
    } catch (VertiqException e) {
      result = Future.failedFuture(e);
    }
    reply(msg, result);
  }

  private void control(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject body)) {
      msg.fail(400, "body: expected a JSON object");
      return;
    }
    Future<JsonObject> f;
    try {
      f = control.apply(body);
    } catch (VertiqException e) {
      f = Future.failedFuture(e);
    }
    reply(msg, f);
  }

  private static void reply(Message<Object> msg, Future<JsonObject> f) {
    f.onComplete(
        ar -> {
          if (ar.succeeded()) {
            msg.reply(ar.result());
            return;
          }
          VertiqException e = Failures.known(ar.cause());
          if (e != null) {
            msg.fail(e.code().status(), e.getMessage());
            return;
          }
          String id = Failures.newId();
          LOG.error(
              "internal error {}: event-bus request to {} failed", id, msg.address(), ar.cause());
          msg.fail(500, "internal error " + id + " (the service log names it)");
        });
  }
}
