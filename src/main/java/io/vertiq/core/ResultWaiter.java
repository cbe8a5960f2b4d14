package io.vertiq.core;

import io.vertiq.Addresses;
import io.vertiq.Job;
import io.vertiq.VertiqException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The producers waiting for jobs of one queue to finish ({@link io.vertiq.JobQueue#awaitResult}).
 * However many wait, the queue has one consumer of its lifecycle events (a run that ends on this
 * node, or on any with a clustered event bus, ends its waits at once) and one poll every {@link
 * #POLL_MS} that reads every waited job in one call (a run that ends on another node of an
 * unclustered bus). Both are there only while someone waits.
 */
final class ResultWaiter {
  static final long POLL_MS = 500;
  private final Vertx vertx;
  private final JobQueueImpl queue;
  private final Map<String, List<Promise<Job>>> waiting = new HashMap<>();
  private MessageConsumer<JsonObject> events;
  private long poll = -1;

  ResultWaiter(Vertx vertx, JobQueueImpl queue) {
    this.vertx = vertx;
    this.queue = queue;
  }

  Future<Job> await(String id, long timeoutMs) {
    return queue
        .get(id)
        .compose(
            job -> {
              if (job.state().finished() || timeoutMs <= 0) return Future.succeededFuture(job);
              Promise<Job> p = Promise.promise();
              synchronized (this) {
                waiting.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
                if (events == null)
                  events = vertx.eventBus().consumer(Addresses.events(queue.name()), this::onEvent);
                if (poll < 0) poll = vertx.setPeriodic(POLL_MS, t -> pollAll());
              }
              long timer =
                  vertx.setTimer(
                      timeoutMs,
                      t -> {
                        if (forget(id, p))
                          queue
                              .get(id)
                              .onComplete(ar -> p.tryComplete(ar.succeeded() ? ar.result() : job));
                      });
              return p.future().onComplete(ar -> vertx.cancelTimer(timer));
            });
  }

  private void onEvent(Message<JsonObject> m) {
    JsonObject e = m.body();
    String event = e.getString("event");
    if ("completed".equals(event)) {
      JsonArray ids = e.getJsonArray("ids");
      List<String> ended = new ArrayList<>();
      synchronized (this) {
        for (int i = 0; i < ids.size(); i++)
          if (waiting.containsKey(ids.getString(i))) ended.add(ids.getString(i));
      }
      if (!ended.isEmpty()) check(ended);
    } else if ("dead".equals(event) || "cancelled".equals(event)) {
      String id = e.getString("id");
      boolean waited;
      synchronized (this) {
        waited = waiting.containsKey(id);
      }
      if (waited) check(List.of(id));
    }
  }

  private void pollAll() {
    List<String> ids;
    synchronized (this) {
      ids = new ArrayList<>(waiting.keySet());
    }
    if (!ids.isEmpty()) check(ids);
  }

  /**
   * Reads the jobs and ends the waits of those finished (or gone: NOT_FOUND would be the answer
   * now).
   */
  private void check(List<String> ids) {
    queue
        .getMany(ids)
        .onSuccess(
            jobs -> {
              Map<String, Job> byId = new HashMap<>();
              for (Job j : jobs) byId.put(j.id(), j);
              for (String id : ids) {
                Job j = byId.get(id);
                if (j != null && !j.state().finished()) continue;
                List<Promise<Job>> ps;
                synchronized (this) {
                  ps = waiting.remove(id);
                  stopIfIdle();
                }
                if (ps == null) continue;
                for (Promise<Job> p : ps) {
                  if (j != null) p.tryComplete(j);
                  else
                    p.tryFail(
                        VertiqException.notFound(
                            "job " + id + " not found in queue " + queue.name()));
                }
              }
            });
  }

  /** Drops one wait (its time is up); true when it was still waiting. */
  private synchronized boolean forget(String id, Promise<Job> p) {
    List<Promise<Job>> ps = waiting.get(id);
    boolean was = ps != null && ps.remove(p);
    if (ps != null && ps.isEmpty()) waiting.remove(id);
    stopIfIdle();
    return was;
  }

  private void stopIfIdle() {
    if (!waiting.isEmpty()) return;
    if (events != null) events.unregister();
    events = null;
    if (poll >= 0) vertx.cancelTimer(poll);
    poll = -1;
  }
}
