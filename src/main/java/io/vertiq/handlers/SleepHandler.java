package io.vertiq.handlers;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Built-in "sleep": completes after {@code payload.ms} milliseconds without blocking (a stand-in for slow I/O);
 * fails with {@code payload.error} when set, and never completes when {@code payload.hang} is true.
 */
public final class SleepHandler implements JobHandler {
  @Override
  public Future<Object> handle(Job job) {
    long ms = job.payload().getLong("ms", 0L);
    String error = job.payload().getString("error");
    if (job.payload().getBoolean("hang", false)) return Promise.promise().future();
    Promise<Object> p = Promise.promise();
    Runnable finish = () -> {
      if (error != null) p.fail(error);
      else p.complete(job.payload().getValue("result"));
    };
    if (ms <= 0) finish.run();
    else Vertx.currentContext().owner().setTimer(ms, t -> finish.run());
    return p.future();
  }
}
