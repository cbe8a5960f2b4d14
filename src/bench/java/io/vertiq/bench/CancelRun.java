package io.vertiq.bench;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The "cancel" scenario: how long a cancel takes to reach a running handler. A service runs jobs
 * that wait to be cancelled; a producer on a Vert.x instance and Redis pool of its own (as another
 * node would be) cancels each once it runs, one after another: the time from the cancel call to the
 * handler's {@code cancelled()} firing (through Redis pub/sub to the service's subscription, then
 * to its worker), and to the job being dead in Redis.
 */
public final class CancelRun {
  /** Runs until cancelled; notes when it started and when it heard of the cancel. */
  public static final class Probe implements JobHandler {
    static final Map<String, Long> STARTED = new ConcurrentHashMap<>();
    static final Map<String, Long> HEARD = new ConcurrentHashMap<>();

    @Override
    public Future<Object> handle(Job job) {
      STARTED.put(job.id(), System.nanoTime());
      Promise<Object> p = Promise.promise();
      job.cancelled()
          .onComplete(
              v -> {
                HEARD.put(job.id(), System.nanoTime());
                p.tryFail("cancelled");
              });
      return p.future();
    }
  }

  private CancelRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    int n = Math.max(20, (int) (500 * scale));
    try (ProbeService probe = new ProbeService(url, "cancel", Probe.class)) {
      JobQueue q = probe.queue;
      List<Long> heard = new ArrayList<>(n);
      List<Long> dead = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = ProbeService.block(q.enqueue(NewJob.of("wait", new JsonObject()))).id();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Probe.STARTED.containsKey(id)) {
          if (System.nanoTime() > deadline)
            throw new IllegalStateException("job " + id + " did not start");
          Thread.onSpinWait(); // polled: the run's start
        }
        long asked = System.nanoTime();
        if (ProbeService.block(q.cancel(id)) != JobState.ACTIVE)
          throw new IllegalStateException("job " + id + " was not running");
        while (!Probe.HEARD.containsKey(id)) {
          if (System.nanoTime() > deadline)
            throw new IllegalStateException("job " + id + " never heard of its cancel");
          Thread.onSpinWait();
        }
        heard.add(Probe.HEARD.get(id) - asked);
        while (ProbeService.block(q.get(id)).state() != JobState.DEAD) {
          if (System.nanoTime() > deadline)
            throw new IllegalStateException("job " + id + " not dead after its cancel");
        }
        dead.add(System.nanoTime() - asked);
      }
      heard.sort(null);
      dead.sort(null);
      return new JsonObject()
          .put("scenario", "cancel")
          .put("cancels", n)
          .put("toHandlerP50Ms", ProbeService.ms(heard, 0.50))
          .put("toHandlerP99Ms", ProbeService.ms(heard, 0.99))
          .put("toHandlerMaxMs", ProbeService.ms(heard, 1.0))
          .put("toDeadP50Ms", ProbeService.ms(dead, 0.50))
          .put("toDeadP99Ms", ProbeService.ms(dead, 0.99));
    }
  }
}
