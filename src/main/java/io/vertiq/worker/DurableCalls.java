package io.vertiq.worker;

import io.vertiq.VertiqException;
import io.vertiq.config.QueueOptions;
import io.vertiq.core.RunMessages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A run's durable calls as they come through its sink (see JobImpl): a step's result, a
 * checkpoint's cursor and a wait for a signal, each stored only while the run still holds its job.
 * One round trip each, and none for a job whose handler makes none.
 */
final class DurableCalls {
  private final WorkerStore store;
  private final QueueOptions q;

  DurableCalls(WorkerStore store, QueueOptions q) {
    this.store = store;
    this.q = q;
  }

  /**
   * Handles a durable call of the run holding job {@code id} with {@code token}; null for any other
   * value.
   */
  Future<Void> handle(String id, String token, Object value) {
    if (value instanceof RunMessages.StepResult step) return step(id, token, step);
    if (value instanceof RunMessages.Checkpoint cp) {
      return held(store.runs().recordCursor(id, token, cp.json()), "the checkpoint of job " + id);
    }
    if (value instanceof RunMessages.AwaitSignal wait) return awaitSignal(id, token, wait);
    return null;
  }

  /** A step's result, unless it is over the queue's maxStepBytes. */
  private Future<Void> step(String id, String token, RunMessages.StepResult step) {
    int bytes = step.json().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > q.maxStepBytes()) {
      return Future.failedFuture(
          VertiqException.invalid(
              "step "
                  + step.name()
                  + " of job "
                  + id
                  + ": its result has "
                  + bytes
                  + " bytes, over the limit of queues."
                  + store.keys().queue()
                  + ".maxStepBytes ("
                  + q.maxStepBytes()
                  + ")"));
    }
    return held(
        store.runs().recordStep(id, token, step.name(), step.json()),
        "step " + step.name() + " of job " + id);
  }

  /**
   * A wait for a signal: it is there (its data), or the job is parked for it (the ms to its
   * deadline).
   */
  private Future<Void> awaitSignal(String id, String token, RunMessages.AwaitSignal wait) {
    return store
        .runs()
        .awaitSignal(id, token, wait.signal(), wait.timeoutMs())
        .compose(
            reply -> {
              switch (reply.kind()) {
                case RECEIVED -> wait.answer().complete(new JsonObject().put("data", reply.data()));
                case PARKED ->
                    wait.answer().complete(new JsonObject().put("parkMs", reply.parkMs()));
                case LOST -> {
                  return lost("the wait of job " + id + " for " + wait.signal());
                }
              }
              return Future.<Void>succeededFuture();
            });
  }

  /** Succeeds when the run still held its job and the write took place. */
  private static Future<Void> held(Future<Boolean> stored, String what) {
    return stored.compose(held -> held ? Future.<Void>succeededFuture() : lost(what));
  }

  private static Future<Void> lost(String what) {
    return Future.failedFuture(
        new VertiqException(
            VertiqException.Code.CONFLICT,
            what
                + " not recorded: this run no longer holds the job (its lease expired or the job was taken back)"));
  }
}
