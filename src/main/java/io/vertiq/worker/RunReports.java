package io.vertiq.worker;

import io.vertiq.core.RunMessages;
import io.vertiq.observe.LifecycleEvents;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;

/**
 * What a running handler reports while it runs, each stored under its run's lease: its log lines
 * (one after another, in order), its durable calls (steps, checkpoints, waits: {@link
 * DurableCalls}) and its progress (also published as an event). One object serves every run of an
 * instance, not one made per job.
 */
final class RunReports implements BiFunction<Run, Object, Future<Void>> {
  private final WorkerStore store;
  private final DurableCalls durableCalls;
  private final LifecycleEvents events;

  RunReports(WorkerStore store, DurableCalls durableCalls, LifecycleEvents events) {
    this.store = store;
    this.durableCalls = durableCalls;
    this.events = events;
  }

  @Override
  public Future<Void> apply(Run r, Object value) {
    if (r.done)
      return Future.failedFuture(new IllegalStateException("job " + r.job.id() + " has finished"));
    if (value instanceof RunMessages.LogLine line) {
      // one after another: the pool would send concurrent appends on several connections, out of
      // order
      synchronized (r) {
        Future<Void> next =
            r.logged == null
                ? store.runs().log(r.job.id(), r.token, line.text()).<Void>mapEmpty()
                : r.logged.transform(
                    x -> store.runs().log(r.job.id(), r.token, line.text()).<Void>mapEmpty());
        r.logged = next;
        return next;
      }
    }
    Future<Void> durable = durableCalls.handle(r.job.id(), r.token, value);
    if (durable != null) return durable;
    String json = Json.encode(value);
    events.job("progress", r.job.id(), new JsonObject().put("progress", value));
    return store.runs().progress(r.job.id(), r.token, json).mapEmpty();
  }
}
