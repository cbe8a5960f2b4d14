package io.vertiq.core;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * A run's cancel signal: the worker sets it when a cancel reaches the job's node, the handler asks
 * for it as a future or a flag. The promise is made on first use, as most runs never ask.
 */
final class CancelSignal {
  private Promise<Void> promise;
  private volatile boolean seen;

  // synchronized: a blocking handler asks on a worker thread while the signal comes on the event
  // loop
  synchronized Future<Void> future() {
    if (promise == null) promise = Promise.promise();
    if (seen) promise.tryComplete();
    return promise.future();
  }

  boolean seen() {
    return seen;
  }

  synchronized void signal() {
    seen = true;
    if (promise != null) promise.tryComplete();
  }
}
