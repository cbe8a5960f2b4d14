package io.vertiq.server;

import io.micrometer.core.instrument.Gauge;
import io.vertiq.VertiqException;
import io.vertiq.core.Admission;
import io.vertiq.observe.Metrics;
import io.vertiq.redis.ServerInfo;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis's memory against its maxmemory, read 4 times a second (INFO memory): above {@code
 * redis.memoryHighWater} the node refuses enqueues (see {@link Admission}) with a 503 that says
 * why, /ready says so and the gauges carry it; the workers go on draining, so memory falls and
 * enqueues resume by themselves. With no maxmemory (or a mark of 0) there is nothing to watch.
 */
final class MemoryWatch implements Admission {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryWatch.class);

  /**
   * How often Redis's memory is read: the room between the mark and maxmemory must take what
   * producers write in this time (a producer writing 40 MB/s fills 10 MB of it between two reads).
   */
  static final long PERIOD_MS = 250;

  private static final AtomicLong USED =
      gauge("vertiq_redis_memory_used_bytes", "Redis memory used");
  private static final AtomicLong MAX =
      gauge("vertiq_redis_memory_max_bytes", "Redis maxmemory (0: none set)");
  private static final AtomicLong ABOVE =
      gauge(
          "vertiq_redis_memory_above_high_water",
          "1 while Redis memory is above redis.memoryHighWater and enqueues are refused");

  /** One reading: bytes used, maxmemory (0 none), and whether that is above the mark. */
  record Reading(long used, long max, boolean above) {}

  private final Vertx vertx;
  private final Redis redis;
  private final double mark;
  private volatile Reading last = new Reading(0, 0, false);
  private long timer = -1;

  MemoryWatch(Vertx vertx, Redis redis, double mark) {
    this.vertx = vertx;
    this.redis = redis;
    this.mark = mark;
  }

  private static AtomicLong gauge(String name, String description) {
    AtomicLong v = new AtomicLong();
    Gauge.builder(name, v, AtomicLong::doubleValue)
        .description(description)
        .strongReference(true)
        .register(Metrics.registry());
    return v;
  }

  void start() {
    read();
    timer = vertx.setPeriodic(PERIOD_MS, t -> read());
  }

  void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    ABOVE.set(0);
  }

  private void read() {
    redis
        .send(Request.cmd(Command.INFO).arg("memory"))
        .onSuccess(
            info -> {
              long used = ServerInfo.number(info.toString(), "used_memory");
              long max = ServerInfo.number(info.toString(), "maxmemory");
              boolean above = mark > 0 && max > 0 && used >= mark * max;
              Reading was = last;
              last = new Reading(used, max, above);
              USED.set(used);
              MAX.set(max);
              ABOVE.set(above ? 1 : 0);
              if (above && !was.above()) LOG.warn("{}; the workers go on draining", describe(last));
              else if (!above && was.above())
                LOG.info(
                    "Redis memory back under redis.memoryHighWater ({}): enqueues accepted again",
                    percent(mark));
            });
    // a failed read keeps the last one: Redis away is /ready's redis check, not this one's
  }

  @Override
  public VertiqException refusal() {
    Reading r = last;
    return r.above()
        ? new VertiqException(
            VertiqException.Code.UNAVAILABLE,
            describe(r) + ": enqueues are refused until the workers drain it; retry later")
        : null;
  }

  private String describe(Reading r) {
    return "Redis memory is at "
        + percent((double) r.used() / r.max())
        + " of its maxmemory ("
        + r.used()
        + " of "
        + r.max()
        + " bytes), above redis.memoryHighWater ("
        + percent(mark)
        + ")";
  }

  private static String percent(double share) {
    return Math.round(share * 1000) / 10.0 + "%";
  }

  /** What /ready shows of it: the reading, the mark, or why nothing is watched. */
  JsonObject status() {
    Reading r = last;
    JsonObject j =
        new JsonObject().put("usedBytes", r.used()).put("maxBytes", r.max()).put("highWater", mark);
    if (mark <= 0) return j.put("watch", "off: redis.memoryHighWater is 0");
    if (r.max() == 0) return j.put("watch", "off: Redis has no maxmemory");
    return j.put("share", Math.round((double) r.used() / r.max() * 1000) / 1000.0)
        .put("aboveHighWater", r.above());
  }

  boolean above() {
    return last.above();
  }
}
