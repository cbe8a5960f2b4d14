package io.vertiq.bench;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The "signals" scenario: how long a signal takes to wake a job waiting for it (Job#waitFor). A
 * service runs jobs that wait for "go"; a producer on a Vert.x instance and Redis pool of its own
 * (as another node would be) signals each once it is parked, one after another: the time from the
 * signal call to the handler's run that receives it (the job made ready by the signal script,
 * fetched again, its handler run from the top past the wait). The signals are sent while 10,000
 * jobs (scaled) sleep for an hour (Job#sleep): they park within seconds and hold no worker's slot
 * (the service has 100), which the signalled jobs' runs show.
 */
public final class SignalsRun {
  /** Waits for "go"; notes when it parked (its first run) and when a run received the signal. */
  public static final class Probe implements JobHandler {
    static final Map<String, Long> RECEIVED = new ConcurrentHashMap<>();

    @Override
    public Future<Object> handle(Job job) {
      if (job.payload().getBoolean("sleep", false))
        return job.sleep(Duration.ofHours(1)).map(v -> null); // a sleeper: parks for the run
      return job.waitFor("go", Duration.ofMinutes(5))
          .map(
              w -> {
                if (w.getBoolean("received")) RECEIVED.putIfAbsent(job.id(), System.nanoTime());
                return w;
              });
    }
  }

  private SignalsRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    int n = Math.max(20, (int) (500 * scale));
    try (ProbeService probe = new ProbeService(url, "signals", Probe.class)) {
      JobQueue q = probe.queue;
      // first park the sleepers: each sleeps an hour, and none may hold a worker's slot meanwhile
      int sleepers = Math.max(100, (int) (10_000 * scale));
      long p0 = System.nanoTime();
      for (int done = 0; done < sleepers; done += 1_000) {
        List<NewJob> batch = new ArrayList<>();
        for (int i = done; i < Math.min(sleepers, done + 1_000); i++)
          batch.add(NewJob.of("sleep", new JsonObject().put("sleep", true)));
        ProbeService.block(q.enqueueBulk(batch));
      }
      long parkDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (true) {
        var c = ProbeService.block(q.counts());
        if (c.delayed() >= sleepers && c.active() == 0 && c.ready() == 0) break;
        if (System.nanoTime() > parkDeadline)
          throw new IllegalStateException("the sleepers did not park: " + c.toJson().encode());
        Thread.sleep(20); // polled: every sleeper parked
      }
      double parkSeconds = (System.nanoTime() - p0) / 1e9;
      List<Long> woken = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = ProbeService.block(q.enqueue(NewJob.of("wait", new JsonObject()))).id();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProbeService.block(q.get(id)).state() != JobState.DELAYED) {
          if (System.nanoTime() > deadline)
            throw new IllegalStateException("job " + id + " did not park");
        }
        long sent = System.nanoTime();
        if (!"woken".equals(ProbeService.block(q.signal(id, "go", i))))
          throw new IllegalStateException("job " + id + " was not waiting");
        while (!Probe.RECEIVED.containsKey(id)) {
          if (System.nanoTime() > deadline)
            throw new IllegalStateException("job " + id + " never received its signal");
          Thread.onSpinWait(); // polled: the run that received it
        }
        woken.add(Probe.RECEIVED.get(id) - sent);
      }
      woken.sort(null);
      return new JsonObject()
          .put("scenario", "signals")
          .put("signals", n)
          .put("sleepers", sleepers)
          .put("sleepersParkedInSec", Math.round(parkSeconds * 100) / 100.0)
          // the signalled jobs ran beside them on the same 100 slots: the sleepers held none
          .put("sleepersStillParked", ProbeService.block(q.counts()).delayed())
          .put("toHandlerP50Ms", ProbeService.ms(woken, 0.50))
          .put("toHandlerP99Ms", ProbeService.ms(woken, 0.99))
          .put("toHandlerMaxMs", ProbeService.ms(woken, 1.0));
    }
  }
}
