package io.vertiq.testing;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test handler that records every run (queue, id, start time) and behaves as the payload says:
 * {@code failTimes} fails the first n attempts (or always with -1), {@code ms} completes after a
 * delay, {@code hang} never completes.
 */
public final class RecordingHandler implements JobHandler {
  public record Run(String id, long at, int attempt, long startedAt) {}

  public static final Map<String, List<Run>> RUNS = new ConcurrentHashMap<>();

  public static List<Run> runs(String queue) {
    return RUNS.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>());
  }

  @Override
  public Future<Object> handle(Job job) {
    runs(job.queue())
        .add(new Run(job.id(), System.currentTimeMillis(), job.attemptsMade(), job.startedAt()));
    int failTimes = job.payload().getInteger("failTimes", 0);
    if (failTimes < 0 || job.attemptsMade() <= failTimes) {
      return Future.failedFuture("planned failure " + job.attemptsMade());
    }
    if (job.payload().getBoolean("hang", false)) return Promise.promise().future();
    long ms = job.payload().getLong("ms", 0L);
    if (ms > 0) {
      Promise<Object> p = Promise.promise();
      Vertx.currentContext().owner().setTimer(ms, t -> p.complete(job.id()));
      return p.future();
    }
    return Future.succeededFuture(job.id());
  }
}
