package io.vertiq.flow;

import io.vertiq.Flow;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.core.JobImpl;
import io.vertiq.core.JobQueueImpl;
import io.vertiq.core.VertiqImpl;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a flow, parent before children: a parent is enqueued waiting for its number of children,
 * then its children in one call per queue (each naming its parent), then the list of them into the
 * parent. A child that ends before its siblings are written is counted all the same: the parent
 * waits for the number it was given. Each call touches one queue's slot, so this runs on a Redis
 * Cluster as it does on one server; the price is that a flow is not written atomically, so a
 * failure midway deletes what was written (see {@link io.vertiq.Vertiq#enqueueFlow}).
 */
final class FlowWriter {
  private final VertiqImpl vq;

  /** Every job written so far, as {queue, id}: deleted again should a later write fail. */
  private final List<String[]> written = new ArrayList<>();

  FlowWriter(VertiqImpl vq) {
    this.vq = vq;
  }

  Future<JsonObject> write(Flow root) {
    try {
      root.validate();
      for (String q : root.queues()) vq.queue(q); // a bad queue name, before anything is written
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return vq.register(new ArrayList<>(root.queues()))
        .compose(v -> node(root, null, null))
        .recover(err -> undo().transform(x -> Future.failedFuture(err)));
  }

  private static String spec(Flow f) {
    return f.children().isEmpty() ? null : f.children().size() + "\0" + f.onChildDeadPolicy().id();
  }

  /**
   * Writes one job (the root) and everything under it. A parent whose children are all on its own
   * queue is written with them in one call (its list of children too); else the parent first, then
   * its children (see {@link #below}).
   */
  private Future<JsonObject> node(Flow f, String parentQueue, String parentId) {
    List<Flow> kids = f.children();
    if (!kids.isEmpty()
        && kids.size() < JobQueueImpl.JOBS_PER_CALL
        && kids.stream().allMatch(c -> c.queue().equals(f.queue()))) {
      List<NewJob> jobs = new ArrayList<>(kids.size() + 1);
      List<String> specs = new ArrayList<>(kids.size() + 1);
      jobs.add(f.job());
      specs.add(spec(f));
      for (Flow c : kids) {
        jobs.add(c.job());
        specs.add(spec(c));
      }
      // a root whose children are leaves: written with other such flows in one call
      boolean shared = parentId == null && kids.stream().allMatch(c -> c.children().isEmpty());
      return (shared
              ? vq.queueImpl(f.queue()).enqueueFlow(jobs, specs)
              : vq.queueImpl(f.queue()).enqueueFlowJobs(parentQueue, parentId, jobs, specs, true))
          .compose(
              ids -> {
                for (String id : ids) written.add(new String[] {f.queue(), id});
                return subtrees(f, ids.get(0), ids.subList(1, ids.size()).toArray(new String[0]));
              });
    }
    return vq.queueImpl(f.queue())
        .enqueueFlowJobs(parentQueue, parentId, List.of(f.job()), Arrays.asList(spec(f)))
        .compose(
            ids -> {
              written.add(new String[] {f.queue(), ids.get(0)});
              return below(f, ids.get(0));
            });
  }

  /** Writes the children of {@code f} (written as {@code id}), one call per queue, then theirs. */
  private Future<JsonObject> below(Flow f, String id) {
    JsonObject out = new JsonObject().put("queue", f.queue()).put("id", id);
    if (f.children().isEmpty()) return Future.succeededFuture(out);
    Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < f.children().size(); i++)
      byQueue.computeIfAbsent(f.children().get(i).queue(), k -> new ArrayList<>()).add(i);
    String[] childIds = new String[f.children().size()];
    Future<Void> all = Future.succeededFuture();
    for (Map.Entry<String, List<Integer>> e : byQueue.entrySet()) {
      all =
          all.compose(
              v -> {
                List<NewJob> jobs = new ArrayList<>();
                List<String> specs = new ArrayList<>();
                for (int i : e.getValue()) {
                  jobs.add(f.children().get(i).job());
                  specs.add(spec(f.children().get(i)));
                }
                return vq.queueImpl(e.getKey())
                    .enqueueFlowJobs(f.queue(), id, jobs, specs)
                    .map(
                        ids -> {
                          for (int k = 0; k < ids.size(); k++) {
                            childIds[e.getValue().get(k)] = ids.get(k);
                            written.add(new String[] {e.getKey(), ids.get(k)});
                          }
                          return null;
                        });
              });
    }
    return all.compose(
            v -> {
              List<String[]> children = new ArrayList<>();
              for (int i = 0; i < childIds.length; i++)
                children.add(new String[] {f.children().get(i).queue(), childIds[i]});
              return vq.queueImpl(f.queue()).setChildren(id, children);
            })
        .compose(v -> subtrees(f, id, childIds));
  }

  /**
   * The children of {@code f} (written as {@code id}) are written as {@code childIds}: writes what
   * is under them.
   */
  private Future<JsonObject> subtrees(Flow f, String id, String[] childIds) {
    List<Future<JsonObject>> subtrees = new ArrayList<>();
    for (int i = 0; i < childIds.length; i++) subtrees.add(below(f.children().get(i), childIds[i]));
    return Future.all(subtrees)
        .map(
            x -> {
              JsonArray kids = new JsonArray();
              subtrees.forEach(s -> kids.add(s.result()));
              return new JsonObject().put("queue", f.queue()).put("id", id).put("children", kids);
            });
  }

  /**
   * Deletes (or cancels, when running) every job written so far; errors are left: Redis may be the
   * reason.
   */
  private Future<Void> undo() {
    List<Future<?>> each = new ArrayList<>();
    for (String[] j : written) each.add(vq.queue(j[0]).cancel(j[1]).otherwise(err -> null));
    return Future.join(each).mapEmpty();
  }

  /**
   * A flow as it stands from job {@code id} of {@code queue} down (see {@link
   * io.vertiq.Vertiq#flowTree}).
   */
  static Future<JsonObject> tree(VertiqImpl vq, String queue, String id, int depth) {
    return vq.queue(queue)
        .get(id)
        .compose(
            job -> {
              JsonObject node =
                  new JsonObject()
                      .put("queue", queue)
                      .put("id", id)
                      .put("name", job.name())
                      .put("state", job.state().id());
              if (job.state() == JobState.COMPLETED && job.result() != null)
                node.put("result", job.result());
              if (job.error() != null) node.put("error", job.error());
              JsonArray kids = job instanceof JobImpl impl ? impl.children() : new JsonArray();
              if (kids.isEmpty() || depth >= Flow.MAX_DEPTH) return Future.succeededFuture(node);
              List<Future<JsonObject>> subtrees = new ArrayList<>();
              for (int i = 0; i < kids.size(); i++) {
                JsonObject k = kids.getJsonObject(i);
                // a child deleted since (the "remove" policy, or by hand) shows as gone
                subtrees.add(
                    tree(vq, k.getString("queue"), k.getString("id"), depth + 1)
                        .otherwise(
                            err ->
                                new JsonObject()
                                    .put("queue", k.getString("queue"))
                                    .put("id", k.getString("id"))
                                    .put("state", "gone")));
              }
              return Future.all(subtrees)
                  .map(
                      x -> {
                        JsonArray out = new JsonArray();
                        subtrees.forEach(s -> out.add(s.result()));
                        return node.put("children", out);
                      });
            });
  }
}
