package io.vertiq.handlers;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertx.core.Future;

/**
 * Built-in "noop": completes at once with no result. Used by the benchmarks to measure the queue
 * itself.
 */
public final class NoopHandler implements JobHandler {
  private static final Future<Object> DONE = Future.succeededFuture();

  @Override
  public Future<Object> handle(Job job) {
    return DONE;
  }
}
