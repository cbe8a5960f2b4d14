package io.vertiq.server;

import io.vertiq.Addresses;
import io.vertiq.EnqueueResult;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.VertiqException;
import io.vertiq.config.ConfigErrors;
import io.vertiq.impl.Failures;
import io.vertiq.impl.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The enqueue and control consumers on the event bus (addresses and bodies in {@link Addresses}). */
final class EventBusApi {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventBusApi.class);
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
    ConfigErrors errors = new ConfigErrors();
    boolean bulk = body.getValue("jobs") instanceof JsonArray;
    List<NewJob> jobs = new ArrayList<>();
    if (bulk) {
      JsonArray arr = body.getJsonArray("jobs");
      for (int i = 0; i < arr.size(); i++) {
        if (arr.getValue(i) instanceof JsonObject j) jobs.add(NewJob.fromJson(j, "jobs[" + i + "]", errors));
        else errors.add("jobs[" + i + "]", "expected a JSON object");
      }
    } else {
      JsonObject single = body.copy();
      single.remove("queue");
      jobs.add(NewJob.fromJson(single, "", errors));
    }
    if (!errors.isEmpty()) {
      msg.fail(400, String.join("; ", errors.messages()));
      return;
    }
    Future<List<EnqueueResult>> sent = bulk ? queue.enqueueBulk(jobs) : queue.enqueue(jobs.get(0)).map(List::of);
    Future<JsonObject> result = sent.map(list -> {
      Metrics.of(queue.name()).enqueued.increment(list.stream().filter(EnqueueResult::created).count());
      if (!bulk) return list.get(0).toJson();
      JsonArray out = new JsonArray();
      list.forEach(r -> out.add(r.toJson()));
      return new JsonObject().put("results", out);
    });
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
    f.onComplete(ar -> {
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
      LOG.error("internal error {}: event-bus request to {} failed", id, msg.address(), ar.cause());
      msg.fail(500, "internal error " + id + " (the service log names it)");
    });
  }
}
