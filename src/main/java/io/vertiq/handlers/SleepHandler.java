package io.vertiq.handlers;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Built-in "sleep": completes after {@code payload.ms} milliseconds without blocking (a stand-in
 * for slow I/O); fails with {@code payload.error} when set, and never completes when {@code
 * payload.hang} is true. A cancel stops the sleep (the run has ended as cancelled), as a handler of
 * real work would stop it.
 */
public final class SleepHandler implements JobHandler {
  @Override
  public Future<Object> handle(Job job) {
    long ms = job.payload().getLong("ms", 0L);
    String error = job.payload().getString("error");
    if (job.payload().getBoolean("hang", false)) return Promise.promise().future();
    Vertx vertx = Vertx.currentContext().owner();
    Promise<Object> p = Promise.promise();
    Runnable finish =
        () -> {
          if (error != null) p.fail(error);
          else p.complete(job.payload().getValue("result"));
        };
    if (ms <= 0) finish.run();
    else {
      long timer = vertx.setTimer(ms, t -> finish.run());
      job.cancelled()
          .onComplete(
              v -> {
                if (vertx.cancelTimer(timer)) p.tryFail("cancelled");
              });
    }
    return p.future();
  }
}
