package io.vertiq;

import io.vertx.core.Future;

/**
 * Runs one job. Return a future of the result (any JSON-able value, or null); fail it, or throw, to
 * have the job retried under its retry policy. Report progress with {@link Job#progress(Object)}.
 *
 * <p>Delivery is at-least-once: a job whose worker dies mid-run runs again, so make handlers
 * idempotent. A public no-argument constructor is needed when the handler is named by class in the
 * conf.
 */
@FunctionalInterface
public interface JobHandler {
  Future<Object> handle(Job job);
}
