package io.vertiq.handlers;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Built-in "steps", to try durable steps: runs {@code payload.count} steps (5 unless said) one
 * after another, each taking {@code payload.ms} milliseconds (200 unless said) without blocking. A
 * step's work logs "step-i ran as X" (X new for each time the work runs) and returns X; the job's
 * result holds each step's X. Kill the process mid-run and the next run reuses every finished step:
 * its X is the stored one, and its line appears once in the job's log.
 */
public final class StepsHandler implements JobHandler {
  @Override
  public Future<Object> handle(Job job) {
    int count = Math.max(0, Math.min(100, job.payload().getInteger("count", 5)));
    long ms = Math.max(0, job.payload().getLong("ms", 200L));
    Vertx vertx = Vertx.currentContext().owner();
    JsonObject results = new JsonObject();
    Future<Object> chain = Future.succeededFuture();
    for (int i = 1; i <= count; i++) {
      String name = "step-" + i;
      chain =
          chain.compose(
              x ->
                  job.step(name, () -> work(vertx, job, name, ms))
                      .map(
                          r -> {
                            results.put(name, r);
                            return r;
                          }));
    }
    return chain.map(x -> results);
  }

  private static Future<?> work(Vertx vertx, Job job, String name, long ms) {
    String ran = UUID.randomUUID().toString();
    return job.log(name + " ran as " + ran)
        .compose(
            v -> {
              Promise<Object> p = Promise.promise();
              if (ms == 0) p.complete(ran);
              else vertx.setTimer(ms, t -> p.complete(ran));
              return p.future();
            });
  }
}
