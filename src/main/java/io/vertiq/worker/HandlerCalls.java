package io.vertiq.worker;

import io.vertiq.JobHandler;
import io.vertiq.core.JobImpl;
import io.vertiq.observe.JobTracing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Calls a queue's handler for a run: on the event loop, or on a worker thread for a queue whose
 * threading is "worker"; within the run's span when Vert.x traces, so what the handler does through
 * Vert.x is part of the run's trace.
 */
final class HandlerCalls {
  /** Where a run's outcome goes: its result, or the failure. */
  interface Ends {
    void ended(Run r, Object result, Throwable err);
  }

  private final Vertx vertx;
  private final String queue;
  private final JobHandler handler;
  private final boolean blocking;

  /** Null unless Vert.x has a tracer (see JobTracing). */
  private final JobTracing tracing;

  HandlerCalls(
      Vertx vertx, String queue, JobHandler handler, boolean blocking, JobTracing tracing) {
    this.vertx = vertx;
    this.queue = queue;
    this.handler = handler;
    this.blocking = blocking;
    this.tracing = tracing;
  }

  /** Starts the handler on {@code r}'s job; its outcome goes to {@code ends}. */
  void start(Context context, Run r, Ends ends) {
    JobImpl job = r.job;
    if (tracing != null) {
      r.span =
          tracing.runStarted(
              context,
              new JobTracing.Run(queue, job.id(), job.name(), job.attemptsMade()),
              job.traceParent());
      if (r.span != null) {
        r.span.context().dispatch(v -> invoke(r, ends));
        return;
      }
    }
    invoke(r, ends);
  }

  private void invoke(Run r, Ends ends) {
    Future<Object> f;
    try {
      f =
          blocking
              ? vertx.executeBlocking(() -> handler.handle(r.job), false).compose(x -> x)
              : handler.handle(r.job);
      if (f == null) f = Future.failedFuture("handler returned null instead of a Future");
    } catch (Throwable t) {
      f = Future.failedFuture(t);
    }
    // a handler that is done at once (a cache hit, a no-op) is finished here, without a listener to
    // register
    if (f.isComplete()) ends.ended(r, f.result(), f.cause());
    else f.onComplete(ar -> ends.ended(r, ar.result(), ar.cause()));
  }

  /** Ends the run's span, if it has one. */
  void ended(Run r, Throwable err) {
    if (r.span != null) tracing.runEnded(r.span, err);
  }
}
