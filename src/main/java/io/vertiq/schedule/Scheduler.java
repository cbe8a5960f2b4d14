package io.vertiq.schedule;

import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's scheduler: one pass per tick over its queues (one script call each, whatever their number of
 * schedules) finds the fires due on Redis time, enqueues each fire's job and advances the schedule (see
 * advanceSchedule-2.lua for why a fire makes exactly one job however many nodes run this). The next pass comes at
 * the earliest fire ahead, at most a tick away, so fires are late by a timer's precision, not by a tick. A fire late
 * by more than {@link #misfireMs} was missed (every node was down): the schedule's policy says what to do with it.
 */
public final class Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  /** Most due schedules one pass handles per queue (the rest come in the next pass, at once). */
  static final int MOST_PER_PASS = 100;
  private final Vertx vertx;
  private final Redis redis;
  private final Vertiq vertiq;
  private final String prefix;
  private final long tickMs;
  private final long misfireMs;
  private volatile Set<String> queues = Set.of();
  private final Set<String> inFlight = new HashSet<>();
  private long timer = -1;
  private boolean stopped;

  public Scheduler(Vertx vertx, Redis redis, Vertiq vertiq, String prefix, long tickMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.vertiq = vertiq;
    this.prefix = prefix;
    this.tickMs = tickMs;
    this.misfireMs = Math.max(5_000, 5 * tickMs);
  }

  public void start(Set<String> queues) {
    update(queues);
    arm(0);
  }

  public void update(Set<String> queues) {
    this.queues = Set.copyOf(queues);
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  private void arm(long delayMs) {
    if (stopped) return;
    timer = vertx.setTimer(Math.max(10, Math.min(tickMs, delayMs)), t -> pass());
  }

  private void pass() {
    List<Future<Long>> each = new ArrayList<>();
    for (String q : queues) {
      if (!inFlight.add(q)) continue;
      each.add(passQueue(q).onComplete(ar -> inFlight.remove(q)).otherwise(err -> {
        LOG.debug("schedules of queue {}: {}", q, err.getMessage());
        return -1L;
      }));
    }
    Future.join(each).onComplete(ar -> {
      long wait = tickMs;
      for (Future<Long> f : each) if (f.succeeded() && f.result() >= 0) wait = Math.min(wait, f.result());
      arm(wait);
    });
  }

  /** One queue's due fires; returns the ms until its earliest fire ahead (-1 none). */
  private Future<Long> passQueue(String queue) {
    Keys keys = new Keys(prefix, queue);
    return Scripts.run(redis, Scripts.DUE_SCHEDULES, List.of(keys.scheduleNext(), keys.scheduleState()),
        List.of(Integer.toString(MOST_PER_PASS))).compose(r -> {
          long now = r.get(0).toLong();
          long ahead = r.get(1).toLong();
          List<Future<?>> fired = new ArrayList<>();
          for (int i = 2; i + 2 < r.size(); i += 3) {
            fired.add(fire(keys, r.get(i).toString(), (long) Double.parseDouble(r.get(i + 1).toString()),
                r.get(i + 2).toLong(), now));
          }
          long more = r.size() - 2 >= 3L * MOST_PER_PASS ? 0 : ahead < 0 ? -1 : ahead - now;
          return Future.join(fired).map(v -> more);
        });
  }

  /** Enqueues the job of a schedule's due fire (or its missed fires, by its policy) and advances it. */
  private Future<?> fire(Keys keys, String name, long due, long firesSoFar, long now) {
    ScheduleStore store = new ScheduleStore(redis, keys);
    return store.spec(name).compose(spec -> {
      List<Long> fires = new ArrayList<>();
      if (now - due <= misfireMs) {
        fires.add(due);
      } else {
        switch (spec.missed()) {
          case SKIP -> { }
          case ONCE -> fires.add(due);
          case ALL -> {
            for (long at = due; at >= 0 && at <= now && fires.size() < spec.maxMissed(); at = spec.nextAfter(at)) fires.add(at);
          }
        }
        LOG.info("schedule {} of queue {}: fires missed since {} (no node ran); policy {}: {} enqueued", name,
            keys.queue(), due, spec.missed().name().toLowerCase(), fires.size());
      }
      long left = spec.limit() > 0 ? spec.limit() - firesSoFar : Long.MAX_VALUE;
      while (fires.size() > left) fires.remove(fires.size() - 1);
      long last = fires.isEmpty() ? due : fires.get(fires.size() - 1);
      long next = spec.limit() > 0 && firesSoFar + fires.size() >= spec.limit() ? -1 : spec.nextAfter(Math.max(now, last));
      List<NewJob> jobs = new ArrayList<>();
      for (long at : fires) jobs.add(spec.job(name, at));
      Future<?> enqueued = jobs.isEmpty() ? Future.succeededFuture() : vertiq.queue(keys.queue()).enqueueBulk(jobs);
      return enqueued.compose(v -> Scripts.run(redis, Scripts.ADVANCE_SCHEDULE, List.of(keys.scheduleNext(),
          keys.scheduleState()), List.of(name, Long.toString(due), Long.toString(next), Integer.toString(fires.size()))));
    });
  }
}
