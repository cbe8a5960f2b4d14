package io.vertiq.worker;

import io.vertiq.config.QueueOptions;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * maintainQueue-13.lua as a Java type, with the timing it is given: one maintenance pass over a
 * queue (due delayed jobs promoted, expired leases requeued or made dead, age retention), the grace
 * after an outage and the wait between passes over an idle queue.
 */
public final class MaintainPass {
  /** Most jobs one maintenance step handles per call, so one call never holds Redis for long. */
  static final int MAINTENANCE_LIMIT = 1000;

  private final Redis redis;
  private final String jobPrefix;
  private final List<String> keys;

  public MaintainPass(Redis redis, Keys k) {
    this.redis = redis;
    this.jobPrefix = k.jobPrefix();
    this.keys =
        List.of(
            k.ready(),
            k.delayed(),
            k.active(),
            k.dead(),
            k.completed(),
            k.stats(),
            k.wake(),
            k.unique(),
            k.meta(),
            k.specs(),
            k.done(),
            k.cancels(),
            k.flowOut());
  }

  /**
   * What one maintenance pass did: jobs promoted, stalled ones requeued and made dead, finished
   * ones trimmed; the grace left after an outage (ms, 0 none); flow ends waiting to be relayed; the
   * ms until the next pass is needed.
   */
  public record Maintained(
      long promoted,
      long requeued,
      long deadFromStalls,
      long trimmed,
      long graceLeftMs,
      long flowEnds,
      long nextPassMs) {}

  /**
   * One maintenance pass (see maintainQueue-13.lua). {@code intervalMs} is the node's maintenance
   * tick: a gap of several ticks without a pass from any node was an outage.
   */
  public Future<Maintained> run(QueueOptions q, long intervalMs) {
    return Scripts.run(
            redis,
            Scripts.MAINTAIN,
            keys,
            List.of(
                jobPrefix,
                Integer.toString(q.maxStalled()),
                q.keepCompleted().mode(),
                Long.toString(q.keepCompleted().value()),
                q.keepDead().mode(),
                Long.toString(q.keepDead().value()),
                Integer.toString(MAINTENANCE_LIMIT),
                Long.toString(outageGraceMs(q)),
                Long.toString(outageGapMs(q, intervalMs)),
                Long.toString(idlePassMs(q, intervalMs)),
                Long.toString(intervalMs)))
        .map(
            r ->
                new Maintained(
                    r.get(0).toLong(),
                    r.get(1).toLong(),
                    r.get(2).toLong(),
                    r.get(3).toLong(),
                    r.get(4).toLong(),
                    r.get(5).toLong(),
                    r.get(6).toLong()));
  }

  /**
   * The grace after an outage: a lease, so that every live worker's heartbeat (a third of a lease)
   * renews its leases, and at least long enough for reports held back by the outage to be retried
   * (their backoff reaches 5s).
   */
  static long outageGraceMs(QueueOptions q) {
    return Math.max(q.leaseMs(), OUTAGE_GRACE_MIN_MS);
  }

  /** Least grace after an outage: twice the longest retry backoff of a held report. */
  static final long OUTAGE_GRACE_MIN_MS = 10_000;

  /**
   * A gap between passes that counts as an outage: five ticks, two idle passes, and never under 3s
   * (a GC pause is not one).
   */
  static long outageGapMs(QueueOptions q, long intervalMs) {
    return Math.max(Math.max(5 * intervalMs, 2 * idlePassMs(q, intervalMs)), 3_000);
  }

  /**
   * Longest wait between two passes over a queue with nothing due sooner (see
   * maintainQueue-13.lua).
   */
  static final long IDLE_PASS_MS = 5_000;

  /**
   * The wait between passes over an idle queue: {@link #IDLE_PASS_MS}, but at most half a lease (a
   * lease handed out just after a pass then expires after the next one, which arms the pass after
   * at its expiry) and never under the tick.
   */
  public static long idlePassMs(QueueOptions q, long intervalMs) {
    return Math.max(intervalMs, Math.min(IDLE_PASS_MS, q.leaseMs() / 2));
  }
}
