package io.vertiq.flow;

import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.core.JobQueueImpl;
import io.vertiq.core.VertiqImpl;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Batches on the flow machinery. A batch is a record on its queue (a parent that never runs, field
 * bt) waiting for its jobs, which are its children; its callbacks are flow parents waiting for the
 * record: "complete" (policy ignore) is told when every job has ended, "success" (policy remove)
 * too when none is dead, and is deleted when one is. Jobs are added while the batch is open
 * (batchAdd-1.lua makes room first, so it cannot end in between); closing it (batchClose-4.lua)
 * lets it end. Every step touches one slot, as a flow's do.
 */
final class BatchStore {
  private final VertiqImpl vq;

  BatchStore(VertiqImpl vq) {
    this.vq = vq;
  }

  private static String callback(String policy) {
    return "1\0" + policy;
  }

  Future<JsonObject> open(String queue, NewJob onSuccess, NewJob onComplete) {
    JobQueueImpl q;
    try {
      q = vq.queueImpl(queue);
      if (onSuccess != null) onSuccess.validateOptions();
      if (onComplete != null) onComplete.validateOptions();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Future<String> complete =
        onComplete == null
            ? Future.succeededFuture(null)
            : q.enqueueFlowJobs(null, null, List.of(onComplete), List.of(callback("ignore")))
                .map(ids -> ids.get(0));
    Future<String> success =
        complete.compose(
            c ->
                onSuccess == null
                    ? Future.succeededFuture(null)
                    : q.enqueueFlowJobs(null, null, List.of(onSuccess), List.of(callback("remove")))
                        .map(ids -> ids.get(0)));
    return success.compose(
        s -> {
          String c = complete.result();
          // the record: a child of the "complete" callback (when there is one), waiting for no job
          // yet
          return q.enqueueFlowJobs(
                  c == null ? null : queue,
                  c,
                  List.of(NewJob.of("batch", new JsonObject())),
                  List.of("0\0ignore"))
              .compose(
                  ids -> {
                    String id = ids.get(0);
                    Request mark =
                        Request.cmd(Command.HSET)
                            .arg(q.keys().job(id))
                            .arg("bt")
                            .arg("1")
                            .arg("bo")
                            .arg("1");
                    if (s != null) mark.arg("pq2").arg(queue).arg("pi2").arg(s);
                    List<Future<?>> steps = new ArrayList<>();
                    steps.add(vq.redis().send(mark));
                    List<String[]> record = Collections.singletonList(new String[] {queue, id});
                    if (c != null) steps.add(q.setChildren(c, record));
                    if (s != null) steps.add(q.setChildren(s, record));
                    JsonObject out = new JsonObject().put("queue", queue).put("id", id);
                    if (s != null)
                      out.put("onSuccess", new JsonObject().put("queue", queue).put("id", s));
                    if (c != null)
                      out.put("onComplete", new JsonObject().put("queue", queue).put("id", c));
                    return Future.all(steps).map(v -> out);
                  });
        });
  }

  Future<List<String>> add(String queue, String id, String jobsQueue, List<NewJob> jobs) {
    JobQueueImpl q;
    JobQueueImpl target;
    try {
      q = vq.queueImpl(queue);
      target = vq.queueImpl(jobsQueue);
      for (int i = 0; i < jobs.size(); i++) {
        NewJob j = jobs.get(i);
        if (j.uniqueKey() != null || j.idempotencyKey() != null) {
          throw VertiqException.invalid(
              "jobs[" + i + "]: a batch's job takes no uniqueKey or idempotencyKey");
        }
        j.validateOptions();
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (jobs.isEmpty()) return Future.succeededFuture(List.of());
    return Scripts.run(
            vq.redis(),
            Scripts.BATCH_ADD,
            List.of(q.keys().job(id)),
            List.of(Integer.toString(jobs.size())))
        .compose(
            r -> {
              long n = r.toLong();
              if (n == 0)
                return Future.failedFuture(
                    VertiqException.notFound("batch " + id + " not found in queue " + queue));
              if (n < 0)
                return Future.failedFuture(
                    new VertiqException(
                        VertiqException.Code.CONFLICT,
                        "batch "
                            + id
                            + " of queue "
                            + queue
                            + " is closed: it takes no more jobs"));
              return target.enqueueFlowJobs(
                  queue, id, jobs, Arrays.asList(new String[jobs.size()]));
            });
  }

  Future<Void> close(String queue, String id) {
    JobQueueImpl q = vq.queueImpl(queue);
    Keys k = q.keys();
    return Scripts.run(
            vq.redis(),
            Scripts.BATCH_CLOSE,
            List.of(k.job(id), k.waiting(), k.completed(), k.flowOut()),
            List.of(id, queue))
        .compose(
            r -> {
              if (r.toInteger() == 0)
                return Future.failedFuture(
                    VertiqException.notFound("batch " + id + " not found in queue " + queue));
              // a batch that ended here tells its callbacks through the flow-out list: this node's
              // relay, if it runs one
              FlowRelay.trigger(vq.vertx(), queue);
              return Future.<Void>succeededFuture();
            });
  }

  /**
   * {"queue", "id", "open", "done", "pending", "succeeded", "failed", "onSuccess", "onComplete"}.
   */
  Future<JsonObject> status(String queue, String id) {
    JobQueueImpl q = vq.queueImpl(queue);
    return vq.redis()
        .send(
            Request.cmd(Command.HMGET)
                .arg(q.keys().job(id))
                .arg("bt")
                .arg("bo")
                .arg("fp")
                .arg("bk")
                .arg("bx")
                .arg("pi")
                .arg("pi2")
                .arg("ft"))
        .compose(
            r -> {
              if (r.get(0) == null)
                return Future.failedFuture(
                    VertiqException.notFound("batch " + id + " not found in queue " + queue));
              JsonObject out =
                  new JsonObject()
                      .put("queue", queue)
                      .put("id", id)
                      .put("open", r.get(1) != null)
                      .put("done", r.get(7) != null)
                      .put("pending", num(r.get(2)))
                      .put("succeeded", num(r.get(3)))
                      .put("failed", num(r.get(4)));
              List<Future<?>> callbacks = new ArrayList<>();
              callbacks.add(
                  callbackState(
                      q, r.get(6) == null ? null : r.get(6).toString(), out, "onSuccess"));
              callbacks.add(
                  callbackState(
                      q, r.get(5) == null ? null : r.get(5).toString(), out, "onComplete"));
              return Future.all(callbacks).map(v -> out);
            });
  }

  private static Future<Void> callbackState(
      JobQueueImpl q, String id, JsonObject out, String field) {
    if (id == null) return Future.succeededFuture();
    return q.get(id)
        .map(j -> j.state().id())
        .otherwise("deleted")
        .map(
            state -> {
              out.put(
                  field, new JsonObject().put("queue", q.name()).put("id", id).put("state", state));
              return null;
            });
  }

  private static long num(Response r) {
    return r == null ? 0 : Math.max(0, r.toLong());
  }
}
