package io.vertiq.flow;

import io.vertiq.Flow;
import io.vertiq.NewJob;
import io.vertiq.core.Features;
import io.vertiq.core.VertiqImpl;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The flow package's part of the API: flows (written by {@link FlowWriter}) and batches ({@link
 * BatchStore}).
 */
public final class Flows implements Features.Flows {
  private final VertiqImpl vq;

  public Flows(VertiqImpl vq) {
    this.vq = vq;
  }

  @Override
  public Future<JsonObject> enqueue(Flow flow) {
    return new FlowWriter(vq).write(flow);
  }

  @Override
  public Future<JsonObject> tree(String queue, String id) {
    return FlowWriter.tree(vq, queue, id, 0);
  }

  @Override
  public Future<JsonObject> openBatch(String queue, NewJob onSuccess, NewJob onComplete) {
    return new BatchStore(vq).open(queue, onSuccess, onComplete);
  }

  @Override
  public Future<List<String>> addToBatch(
      String queue, String batchId, String jobsQueue, List<NewJob> jobs) {
    return new BatchStore(vq).add(queue, batchId, jobsQueue, jobs);
  }

  @Override
  public Future<Void> closeBatch(String queue, String batchId) {
    return new BatchStore(vq).close(queue, batchId);
  }

  @Override
  public Future<JsonObject> batch(String queue, String batchId) {
    return new BatchStore(vq).status(queue, batchId);
  }
}
