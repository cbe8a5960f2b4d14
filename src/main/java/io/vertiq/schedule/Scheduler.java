package io.vertiq.schedule;

import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
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
  static final int MOST_PER_PASS = 1000;
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
          List<Due> due = new ArrayList<>();
          for (int i = 2; i + 2 < r.size(); i += 3) {
            due.add(new Due(r.get(i).toString(), (long) Double.parseDouble(r.get(i + 1).toString()), r.get(i + 2).toLong()));
          }
          long more = due.size() >= MOST_PER_PASS ? 0 : ahead < 0 ? -1 : ahead - now;
          return due.isEmpty() ? Future.succeededFuture(more) : fire(keys, due, now).map(v -> more);
        });
  }

  /** A schedule due to fire: its name, the fire time it is due at, its fires so far. */
  private record Due(String name, long at, long firesSoFar) {}

  /**
   * Fires a pass's due schedules together: their specs in one read, every job in one bulk enqueue (the fire time is
   * each job's idempotency key), then every schedule advanced in one call, only after the jobs are stored.
   */
  private Future<?> fire(Keys keys, List<Due> due, long now) {
    Request read = Request.cmd(Command.HMGET).arg(keys.schedules());
    for (Due d : due) read.arg(d.name());
    return redis.send(read).compose(texts -> {
      List<NewJob> jobs = new ArrayList<>();
      List<String> advance = new ArrayList<>();
      for (int i = 0; i < due.size(); i++) {
        Response text = texts.get(i);
        if (text == null) continue; // deleted since the pass read it
        Due d = due.get(i);
        ScheduleSpec spec;
        try {
          spec = specs.get(keys.queue(), d.name(), text.toString());
        } catch (RuntimeException e) { // written by hand into Redis: the others still fire
          LOG.warn("schedule {} of queue {}: stored spec unreadable, not fired: {}", d.name(), keys.queue(), e.getMessage());
          continue;
        }
        List<Long> fires = firesOf(keys, d, spec, now);
        long last = fires.isEmpty() ? d.at() : fires.get(fires.size() - 1);
        long next = spec.limit() > 0 && d.firesSoFar() + fires.size() >= spec.limit() ? -1 : spec.nextAfter(Math.max(now, last));
        for (long at : fires) jobs.add(spec.job(d.name(), at));
        advance.addAll(List.of(d.name(), Long.toString(d.at()), Long.toString(next), Integer.toString(fires.size())));
      }
      Future<?> enqueued = jobs.isEmpty() ? Future.succeededFuture() : vertiq.queue(keys.queue()).enqueueBulk(jobs);
      return enqueued.compose(v -> advance.isEmpty() ? Future.succeededFuture()
          : Scripts.run(redis, Scripts.ADVANCE_SCHEDULE, List.of(keys.scheduleNext(), keys.scheduleState()), advance));
    });
  }

  /** The fire times a due schedule enqueues now: the due one, or after every node was down, as its policy says. */
  private List<Long> firesOf(Keys keys, Due d, ScheduleSpec spec, long now) {
    List<Long> fires = new ArrayList<>();
    if (now - d.at() <= misfireMs) {
      fires.add(d.at());
    } else {
      switch (spec.missed()) {
        case SKIP -> { }
        case ONCE -> fires.add(d.at());
        case ALL -> {
          for (long at = d.at(); at >= 0 && at <= now && fires.size() < spec.maxMissed(); at = spec.nextAfter(at)) fires.add(at);
        }
      }
      LOG.info("schedule {} of queue {}: fires missed since {} (no node ran); policy {}: {} enqueued", d.name(),
          keys.queue(), d.at(), spec.missed().name().toLowerCase(), fires.size());
    }
    long left = spec.limit() > 0 ? spec.limit() - d.firesSoFar() : Long.MAX_VALUE;
    while (fires.size() > left) fires.remove(fires.size() - 1);
    return fires;
  }

  private final SpecCache specs = new SpecCache();

  /**
   * Parsed specs by queue, name and stored text: a schedule that fires every second is not parsed (its cron
   * compiled) every second. Bounded: cleared when it holds more than {@link #MAX}.
   */
  private static final class SpecCache {
    static final int MAX = 100_000;
    private record Parsed(String text, ScheduleSpec spec) {}
    private final java.util.Map<String, Parsed> byName = new java.util.HashMap<>();

    ScheduleSpec get(String queue, String name, String text) {
      String key = queue + "\0" + name;
      Parsed p = byName.get(key);
      if (p != null && p.text().equals(text)) return p.spec();
      if (byName.size() >= MAX) byName.clear();
      ScheduleSpec spec = ScheduleSpec.parse(new JsonObject(text), "schedules." + name);
      byName.put(key, new Parsed(text, spec));
      return spec;
    }
  }
}
