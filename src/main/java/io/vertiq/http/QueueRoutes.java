package io.vertiq.http;

import static io.vertiq.http.Operations.on;
import static io.vertiq.http.Requests.hasBody;
import static io.vertiq.http.Requests.intParam;
import static io.vertiq.http.Requests.json;
import static io.vertiq.http.Requests.reply;

import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.QueueCounts;
import io.vertiq.VertiqException;
import io.vertiq.config.Durations;
import io.vertiq.config.QueueOptions;
import io.vertiq.core.EnqueueRequest;
import io.vertiq.core.JobQueueImpl;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The REST API over the queues (see openapi.yaml): enqueue, list and read queues and their jobs,
 * search, history, pause, resume, dead jobs, clean. One job's routes are {@link JobRoutes}.
 */
final class QueueRoutes {
  private final Node node;

  /** The completed total of a queue at a time, and the rate computed when it was taken. */
  private record Sample(long at, long completed, double rate) {}

  private final Map<String, Sample> samples = new ConcurrentHashMap<>();

  QueueRoutes(Node node) {
    this.node = node;
  }

  void mount(RouterBuilder r) {
    on(r, "enqueue", this::enqueue);
    on(r, "enqueueBulk", this::enqueue);
    on(r, "listQueues", this::listQueues);
    on(r, "getQueue", this::getQueue);
    on(r, "listJobs", this::listJobs);
    on(
        r,
        "searchJobs",
        ctx ->
            reply(
                ctx,
                200,
                queue(ctx)
                    .search(ctx.queryParams().get("q"))
                    .map(
                        found ->
                            new JsonObject()
                                .put(
                                    "jobs",
                                    new JsonArray(
                                        found.stream().map(j -> (Object) j.toJson()).toList())))));
    on(
        r,
        "getHistory",
        ctx ->
            reply(
                ctx,
                200,
                queue(ctx).history(intParam(ctx, "minutes", 60, JobQueue.HISTORY_MINUTES))));
    on(
        r,
        "listFailures",
        ctx ->
            reply(
                ctx,
                200,
                queue(ctx)
                    .recentFailures(intParam(ctx, "limit", 20, 100))
                    .map(
                        list ->
                            new JsonObject()
                                .put("failures", new JsonArray(new ArrayList<>(list))))));
    on(
        r,
        "pauseQueue",
        ctx -> reply(ctx, 200, queue(ctx).pause().map(v -> new JsonObject().put("paused", true))));
    on(
        r,
        "resumeQueue",
        ctx ->
            reply(ctx, 200, queue(ctx).resume().map(v -> new JsonObject().put("paused", false))));
    on(r, "retryDead", this::retryDead);
    on(
        r,
        "clearDead",
        ctx ->
            reply(ctx, 200, queue(ctx).clearDead().map(n -> new JsonObject().put("deleted", n))));
    on(r, "cleanJobs", this::clean);
  }

  /**
   * The answer of a write with "served": whether a live node runs workers for every one of {@code
   * queues}.
   */
  static Future<JsonObject> withServed(
      Node node, Collection<String> queues, Future<JsonObject> written) {
    return written.compose(reply -> node.served(queues).map(served -> reply.put("served", served)));
  }

  /**
   * DELETE of finished jobs: ?state=completed|dead and olderThan (a duration such as "7d"; absent:
   * all of them).
   */
  private void clean(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    JobState s = JobState.parse(state);
    if (s != JobState.COMPLETED && s != JobState.DEAD) {
      throw VertiqException.invalid(
          "query parameter state: expected completed or dead, got "
              + (state == null ? "nothing" : "\"" + state + "\""));
    }
    String age = ctx.queryParams().get("olderThan");
    Long ms = age == null ? Long.valueOf(0) : Durations.parseMillis(age);
    if (ms == null)
      throw VertiqException.invalid(
          "query parameter olderThan: expected a duration such as \"7d\", got \"" + age + "\"");
    reply(ctx, 200, queue(ctx).clean(s, ms).map(n -> new JsonObject().put("deleted", n)));
  }

  private static String name(RoutingContext ctx) {
    return ctx.pathParam("queue");
  }

  private JobQueue queue(RoutingContext ctx) {
    return node.vertiq().queue(name(ctx)); // throws INVALID_ARGUMENT naming the queue
  }

  private void enqueue(RoutingContext ctx) {
    JobQueue q = queue(ctx);
    EnqueueRequest request = EnqueueRequest.parse(json(ctx), "body");
    applyIdempotencyHeader(ctx, request.jobs(), request.bulk());
    request
        .send(q)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ApiErrors.send(ctx, ar.cause());
                return;
              }
              long created = EnqueueRequest.created(ar.result());
              JsonObject reply = request.reply(ar.result());
              node.served(List.of(name(ctx)))
                  .onComplete(
                      served ->
                          ctx.response()
                              .setStatusCode(created > 0 ? 201 : 200)
                              .putHeader("content-type", "application/json")
                              .end(reply.put("served", served.result()).encode()));
            });
  }

  /**
   * The Idempotency-Key header (the common way for HTTP producers to make a retry safe): the key of
   * a single job, or "key:index" for each job of a bulk; a job's own idempotencyKey field wins over
   * it.
   */
  private static void applyIdempotencyHeader(RoutingContext ctx, List<NewJob> jobs, boolean bulk) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null) return;
    if (key.isEmpty() || key.length() > NewJob.MAX_UNIQUE_KEY - 8) {
      throw VertiqException.invalid(
          "header Idempotency-Key: expected 1 to " + (NewJob.MAX_UNIQUE_KEY - 8) + " characters");
    }
    for (int i = 0; i < jobs.size(); i++) {
      if (jobs.get(i).idempotencyKey() == null)
        jobs.get(i).setIdempotencyKey(bulk ? key + ":" + i : key);
    }
  }

  private Future<JsonObject> describe(String name) {
    QueueOptions conf = node.options().queues().get(name);
    long window = conf == null ? 0 : conf.limits().ratePerMs();
    return node.engine()
        .queueImpl(name)
        .counts(window)
        .map(
            c -> {
              JsonObject json = c.toJson();
              JsonObject workers = node.deployer().describe(name);
              if (workers != null) json.put("workers", workers);
              if (conf != null && conf.limits().any()) json.put("limits", conf.limits().toJson());
              json.put("throughput", throughput(name, c));
              return json;
            })
        .compose(json -> node.served(List.of(name)).map(served -> json.put("served", served)));
  }

  /**
   * Completions per second since the previous look at least a second ago (from the queue's Redis
   * counters).
   */
  private double throughput(String name, QueueCounts c) {
    long now = System.currentTimeMillis();
    long done = c.total("completed");
    Sample prev = samples.get(name);
    if (prev == null || now - prev.at() >= 1_000) {
      double rate = prev == null ? 0 : (done - prev.completed()) * 1000.0 / (now - prev.at());
      samples.put(name, new Sample(now, done, rate));
      return rate;
    }
    return prev.rate();
  }

  private void listQueues(RoutingContext ctx) {
    reply(
        ctx,
        200,
        node.vertiq()
            .queueNames()
            .compose(
                names -> {
                  List<String> all = new ArrayList<>(names);
                  node.options().queues().keySet().stream()
                      .filter(n -> !all.contains(n))
                      .forEach(all::add);
                  List<Future<JsonObject>> each = all.stream().map(this::describe).toList();
                  return Future.all(each)
                      .map(
                          v -> {
                            JsonArray arr = new JsonArray();
                            each.forEach(f -> arr.add(f.result()));
                            return new JsonObject()
                                .put("queues", arr)
                                .put("reload", node.lastReload());
                          });
                }));
  }

  private void getQueue(RoutingContext ctx) {
    queue(ctx);
    reply(ctx, 200, describe(name(ctx)));
  }

  private void listJobs(RoutingContext ctx) {
    JobQueue q = queue(ctx);
    String stateText = ctx.queryParams().get("state");
    JobState state = stateText == null ? JobState.READY : JobState.parse(stateText);
    if (state == null) {
      throw VertiqException.invalid(
          "query parameter state: expected ready, delayed, active, dead, completed or waiting, got \""
              + stateText
              + "\"");
    }
    int limit = intParam(ctx, "limit", 50, 500);
    String cursor = ctx.queryParams().get("cursor");
    long offset;
    try {
      offset = cursor == null ? 0 : Long.parseLong(cursor);
      if (offset < 0 || offset > JobQueueImpl.MAX_OFFSET) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw VertiqException.invalid(
          "query parameter cursor: expected a cursor from a previous page, got \"" + cursor + "\"");
    }
    reply(ctx, 200, q.list(state, offset, limit).map(page -> page.toJson()));
  }

  private void retryDead(RoutingContext ctx) {
    JobQueue q = queue(ctx);
    List<String> ids = new ArrayList<>();
    if (hasBody(ctx)) {
      Object body = json(ctx);
      if (!(body instanceof JsonObject o)
          || (o.containsKey("ids") && !(o.getValue("ids") instanceof JsonArray))) {
        throw VertiqException.invalid(
            "body.ids: expected an array of job ids (or no body to retry every dead job)");
      }
      JsonArray given = o.getJsonArray("ids", new JsonArray());
      for (int i = 0; i < given.size(); i++) {
        Object id = given.getValue(i);
        if (!(id instanceof String
            || (id instanceof Number n && n.doubleValue() == n.longValue()))) {
          throw VertiqException.invalid(
              "body.ids[" + i + "]: expected a job id (a string or an integer)");
        }
        ids.add(String.valueOf(id));
      }
    }
    reply(ctx, 200, q.retryDead(ids).map(n -> new JsonObject().put("retried", n)));
  }
}
