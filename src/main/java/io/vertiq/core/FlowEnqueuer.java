package io.vertiq.core;

import io.vertiq.EnqueueResult;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * The enqueues of flows' jobs on one queue: a flow's children of a parent (on this queue or
 * another), a parent with its children in one call, root flows gathered into shared calls, and a
 * parent's list of its children. Built on its queue's {@link Enqueuer} (its calls, their order and
 * tracing).
 */
final class FlowEnqueuer {
  private final Enqueuer enqueuer;
  private final VertiqImpl vq;
  private final Keys keys;

  FlowEnqueuer(Enqueuer enqueuer, VertiqImpl vq, Keys keys) {
    this.enqueuer = enqueuer;
    this.vq = vq;
    this.keys = keys;
  }

  /**
   * Enqueues jobs of a flow: children of {@code parentId} on queue {@code parentQueue} (null for a
   * flow's root), each with its own flow spec ("<children> NUL <policy>" for a parent, null for a
   * leaf). Returns their ids in order.
   */
  public Future<List<String>> enqueueFlowJobs(
      String parentQueue, String parentId, List<NewJob> jobs, List<String> flows) {
    return enqueueFlowJobs(parentQueue, parentId, jobs, flows, false);
  }

  /**
   * With {@code self}, the first job is a parent (a child of {@code parentQueue}/{@code parentId},
   * or of none) and the others its children on this queue, all in one call (its list of children
   * written with them): at most {@link Enqueuer#JOBS_PER_CALL} jobs.
   */
  public Future<List<String>> enqueueFlowJobs(
      String parentQueue, String parentId, List<NewJob> jobs, List<String> flows, boolean self) {
    if (self && jobs.size() > Enqueuer.JOBS_PER_CALL)
      return Future.failedFuture(
          new IllegalArgumentException("a call holds at most " + Enqueuer.JOBS_PER_CALL));
    return vq.tracing() == null
        ? enqueueFlowJobs(parentQueue, parentId, jobs, flows, self, null)
        : enqueuer.traced(
            jobs.size(),
            trace -> enqueueFlowJobs(parentQueue, parentId, jobs, flows, self, trace),
            ids -> ids);
  }

  private FlowBatches flowBatches;

  /**
   * A root flow on this queue whose children are leaves on it too: written with the other flows of
   * the same event-loop turn in one call (see {@link FlowBatches}); traced, in a call of its own
   * (the trace is the flow's).
   */
  public Future<List<String>> enqueueFlow(List<NewJob> jobs, List<String> flows) {
    if (jobs.size() > Enqueuer.JOBS_PER_CALL || vq.tracing() != null)
      return enqueueFlowJobs(null, null, jobs, flows, true);
    if (flowBatches == null) flowBatches = new FlowBatches(enqueuer, vq.vertx());
    return flowBatches.add(jobs, flows);
  }

  private Future<List<String>> enqueueFlowJobs(
      String parentQueue,
      String parentId,
      List<NewJob> jobs,
      List<String> flows,
      boolean self,
      String traceParent) {
    List<EnqueueArgs> calls = new ArrayList<>();
    EnqueueArgs args = null;
    try {
      for (int i = 0; i < jobs.size(); i++) {
        if (args == null || args.jobs() >= Enqueuer.JOBS_PER_CALL) {
          if (args != null) args.close();
          args = enqueuer.newArgs();
          if (self) args.selfParent(parentQueue, parentId);
          else if (parentId != null) args.flowParent(parentQueue, parentId);
          args.trace(traceParent);
          calls.add(args);
        }
        args.add(jobs.get(i), flows.get(i));
      }
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    } finally {
      if (args != null) args.close();
    }
    List<EnqueueResult> results = new ArrayList<>();
    return enqueuer
        .sendInOrder(calls, 0, results)
        .map(v -> results.stream().map(EnqueueResult::id).toList());
  }

  /** Records a flow parent's children (the tree's reads and the "remove" policy follow them). */
  public Future<Void> setChildren(String id, List<String[]> children) {
    StringBuilder lines = new StringBuilder();
    for (String[] c : children) lines.append(c[0]).append('\0').append(c[1]).append('\n');
    return vq.redis()
        .send(
            Request.cmd(Command.HSET)
                .arg(keys.job(id))
                .arg(JobFields.FLOW_CHILDREN)
                .arg(lines.toString()))
        .mapEmpty();
  }
}
