package io.vertiq.schedule;

import io.vertiq.NewJob;
import io.vertiq.core.JobQueueImpl;
import io.vertiq.core.VertiqImpl;
import io.vertiq.redis.Keys;
import io.vertiq.schedule.DueSchedules.Due;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
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
 * The node's scheduler: one pass per tick over its queues (one script call each, whatever their
 * number of schedules) claims the fires due on Redis time (dueSchedules-2.lua), then enqueues their
 * jobs in calls that also advance the schedules while the claim holds (enqueueJobs-15.lua: why a
 * fire makes exactly one job however many nodes run this). A pass takes the fires due up to {@link
 * #LEAD_MS} ahead and enqueues those still to come as jobs delayed to their fire time: the Redis
 * work of 10,000 fires in one second is done before that second, so at the fire time a job only has
 * to be promoted, as any delayed job is. The next pass comes a lead before the earliest fire beyond
 * it, and at most a tick away while its queues have schedules; with none, {@link #IDLE_PASS_MS}
 * away: a schedule made, changed or resumed is told to every node (putSchedule publishes it, see
 * {@link #ADDRESS}), which passes again at once, so the idle wait is only a backstop for a message
 * missed. A fire late by more than {@link #misfireMs} was missed (every node was down): the
 * schedule's policy says what to do with it.
 */
public final class Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  /** Most due schedules one pass handles per queue (the rest come in the next pass, at once). */
  static final int MOST_PER_PASS = 1000;

  /**
   * How far ahead of its fire time a fire's job is enqueued (delayed to that time). Long enough for
   * the enqueue of a second's 10,000 fires (about 0.2 s of Redis time) with room for a slow pass;
   * short beside a claim (2 s), and pausing, changing or deleting a schedule takes back a job still
   * ahead (putSchedule), so it shows only as a delayed job that comes due at the fire time.
   */
  static final long LEAD_MS = 500;

  /** Longest wait between passes with no fire due sooner. */
  static final long IDLE_PASS_MS = 5_000;

  /**
   * The local address a node's scheduler hears of changed schedules on (from the node's Redis
   * subscription).
   */
  public static final String ADDRESS = "vertiq.internal.schedules";

  private final long leadMs;
  private final Vertx vertx;
  private final Redis redis;
  private final VertiqImpl vertiq;
  private final String prefix;
  private final long tickMs;
  private final long misfireMs;

  /**
   * How long a pass's claim on the fires it handles holds (dueSchedules): other nodes leave them
   * alone meanwhile, and a claimer that died leaves them due again after it, still within {@link
   * #misfireMs}, so they are fired late, not missed.
   */
  private final long claimMs;

  private volatile Set<String> queues = Set.of();
  private final Set<String> inFlight = new HashSet<>();
  private final long idleMs;
  private long timer = -1;
  private boolean stopped;

  /**
   * A pass is out; a change heard meanwhile makes another at its end (it may have read the
   * schedules before).
   */
  private boolean passing;

  private boolean changed;
  private MessageConsumer<String> changes;

  public Scheduler(Vertx vertx, Redis redis, VertiqImpl vertiq, String prefix, long tickMs) {
    this(vertx, redis, vertiq, prefix, tickMs, LEAD_MS);
  }

  /**
   * With a lead of its own: a test's scheduler enqueues a fire an hour ahead, to see what becomes
   * of it.
   */
  Scheduler(Vertx vertx, Redis redis, VertiqImpl vertiq, String prefix, long tickMs, long leadMs) {
    this.leadMs = leadMs;
    this.vertx = vertx;
    this.redis = redis;
    this.vertiq = vertiq;
    this.prefix = prefix;
    this.tickMs = tickMs;
    this.idleMs = Math.max(tickMs, IDLE_PASS_MS);
    // beyond the idle wait: a fire whose change message was missed is found by the next idle pass,
    // late, not missed
    this.misfireMs = Math.max(5 * tickMs, 2 * idleMs);
    this.claimMs = Math.max(2_000, 2 * tickMs) + leadMs;
  }

  public void start(Set<String> queues) {
    update(queues);
    changes = vertx.eventBus().localConsumer(ADDRESS, m -> changed());
    arm(0);
  }

  /**
   * A schedule was made, changed or resumed (on any node): its first fire may come before the next
   * pass.
   */
  private void changed() {
    if (stopped) return;
    if (passing) changed = true;
    else arm(0);
  }

  public void update(Set<String> queues) {
    this.queues = Set.copyOf(queues);
    if (changes != null) changed(); // a reload: a queue added may have fires due
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
    if (changes != null) changes.unregister();
  }

  private void arm(long delayMs) {
    if (stopped) return;
    if (timer >= 0) vertx.cancelTimer(timer); // one pass armed at a time
    // 1 ms at least: a pass that left fires due (more than it handles at once) comes again at once,
    // not a tick later
    timer = vertx.setTimer(Math.max(1, Math.min(idleMs, delayMs)), t -> pass());
  }

  private void pass() {
    timer = -1;
    passing = true;
    List<Future<Long>> each = new ArrayList<>();
    for (String q : queues) {
      if (!inFlight.add(q)) continue;
      each.add(
          passQueue(q, 1)
              .onComplete(ar -> inFlight.remove(q))
              .otherwise(
                  err -> {
                    LOG.debug("schedules of queue {}: {}", q, err.getMessage());
                    return System.nanoTime()
                        + tickMs * 1_000_000; // again a tick later, as a queue with schedules
                  }));
    }
    Future.join(each)
        .onComplete(
            ar -> {
              passing = false;
              long wait = changed ? 0 : idleMs;
              changed = false;
              long nowNanos = System.nanoTime();
              // each queue's next fire as a local deadline, so the time its fires took to enqueue
              // is not waited again; and a
              // queue with schedules is passed every tick as well: another node's fire moves a
              // schedule it claimed (shown here
              // at its claim's end) back to its next fire, which no message tells, and if that node
              // dies it is this one's turn
              for (Future<Long> f : each) {
                if (f.succeeded() && f.result() != NONE_AHEAD) {
                  wait =
                      Math.min(
                          tickMs, Math.min(wait, Math.max(0, (f.result() - nowNanos) / 1_000_000)));
                }
              }
              arm(wait);
            });
  }

  /** No fire ahead (a nanoTime deadline may be any long, negative ones too). */
  private static final long NONE_AHEAD = Long.MIN_VALUE;

  /** Most claims of one queue a node works on at once (see {@link #passQueue}). */
  static final int MOST_CLAIMS_AT_ONCE = 4;

  /**
   * One queue's due fires; returns the System.nanoTime() deadline of its earliest fire ahead
   * (NONE_AHEAD: none). A claim that took as many fires as it may ({@link #MOST_PER_PASS}) claims
   * the next ones at once, beside it (up to {@link #MOST_CLAIMS_AT_ONCE}): 10,000 schedules due at
   * one second are enqueued by overlapping claims, not one after the other.
   */
  private Future<Long> passQueue(String queue, int claims) {
    Keys keys = new Keys(prefix, queue);
    return new DueSchedules(keys)
        .run(redis, MOST_PER_PASS, claimMs, leadMs)
        .compose(
            c -> {
              long now = c.now();
              long ahead = c.ahead();
              long claimEnd = c.claimEnd();
              List<Due> due = c.due();
              // when the next pass is due, as a System.nanoTime() deadline taken when Redis
              // answered: at once when fires
              // are left, else a lead before the earliest of the fires ahead and the next fires of
              // those fired now
              // (which "ahead" could not hold: they were still due when it was read)
              long answered = System.nanoTime();
              if (due.isEmpty())
                return Future.succeededFuture(
                    ahead < 0 ? NONE_AHEAD : answered + (ahead - leadMs - now) * 1_000_000);
              boolean full = due.size() >= MOST_PER_PASS;
              Future<Long> beside =
                  full && claims < MOST_CLAIMS_AT_ONCE ? passQueue(queue, claims + 1) : null;
              Future<Long> mine =
                  fire(keys, due, now, claimEnd)
                      .map(
                          nextFired -> {
                            if (full) return answered;
                            long next =
                                ahead < 0
                                    ? nextFired
                                    : nextFired < 0 ? ahead : Math.min(ahead, nextFired);
                            return next < 0
                                ? NONE_AHEAD
                                : answered + (next - leadMs - now) * 1_000_000;
                          });
              if (beside == null) return mine;
              return Future.join(mine, beside).map(v -> earliest(mine, beside));
            });
  }

  /** The earlier deadline of two passes (a failed one counts as none: the next tick retries it). */
  private static long earliest(Future<Long> a, Future<Long> b) {
    long x = a.succeeded() ? a.result() : NONE_AHEAD;
    long y = b.succeeded() ? b.result() : NONE_AHEAD;
    if (x == NONE_AHEAD) return y;
    if (y == NONE_AHEAD) return x;
    return x - y < 0 ? x : y;
  }

  /**
   * Fires a pass's claimed schedules together: their specs in one read, then their jobs enqueued
   * and the schedules advanced in the same calls (enqueueJobs-15.lua), so a fire makes its jobs
   * exactly once however many nodes try. Returns the earliest next fire time among them (Redis ms;
   * -1 none).
   */
  private Future<Long> fire(Keys keys, List<Due> due, long now, long claimEnd) {
    Request read = Request.cmd(Command.HMGET).arg(keys.schedules());
    for (Due d : due) read.arg(d.name());
    return redis
        .send(read)
        .compose(
            texts -> {
              List<JobQueueImpl.Fire> fired = new ArrayList<>();
              long earliest = -1;
              for (int i = 0; i < due.size(); i++) {
                Response text = texts.get(i);
                if (text == null) continue; // deleted since the pass read it
                Due d = due.get(i);
                ScheduleSpec spec;
                try {
                  spec = specs.get(keys.queue(), d.name(), text.toString());
                } catch (RuntimeException e) { // written by hand into Redis: the others still fire
                  LOG.warn(
                      "schedule {} of queue {}: stored spec unreadable, not fired: {}",
                      d.name(),
                      keys.queue(),
                      e.getMessage());
                  continue;
                }
                FirePlan plan = FirePlan.of(d, spec, now, misfireMs);
                if (plan.missed())
                  LOG.info(
                      "schedule {} of queue {}: fires missed since {} (no node ran); policy {}: {}"
                          + " enqueued",
                      d.name(),
                      keys.queue(),
                      d.at(),
                      spec.missed().name().toLowerCase(),
                      plan.fires().size());
                long next = plan.next();
                if (next >= 0 && (earliest < 0 || next < earliest)) earliest = next;
                List<NewJob> jobs = new ArrayList<>(plan.fires().size());
                // a fire still ahead waits as a delayed job for its time; one due (or late) is
                // ready now
                for (long at : plan.fires())
                  jobs.add(at > now ? spec.job().setRunAt(at) : spec.job());
                fired.add(new JobQueueImpl.Fire(d.name(), claimEnd, next, jobs));
              }
              long nextFire = earliest;
              if (fired.isEmpty()) return Future.succeededFuture(nextFire);
              return vertiq.queueImpl(keys.queue()).enqueueFires(fired).map(v -> nextFire);
            });
  }

  private final SpecCache specs = new SpecCache();
}
