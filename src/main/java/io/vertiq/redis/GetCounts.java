package io.vertiq.redis;

import io.vertiq.QueueCounts;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * getCounts-11.lua as a Java type: a queue's counts per state, flags and lifetime counters in one
 * round trip, its keys named once and its reply read into {@link QueueCounts} here.
 */
public final class GetCounts {
  private final Keys keys;

  public GetCounts(Keys keys) {
    this.keys = keys;
  }

  /**
   * The queue's counts, with the jobs started in its rate window of {@code rateWindowMs} (0: not
   * read).
   */
  public Future<QueueCounts> read(Redis redis, long rateWindowMs) {
    List<String> k = new ArrayList<>(keys.stateSets());
    k.add(keys.meta());
    k.add(keys.stats());
    k.add(keys.fifo());
    k.add(keys.groupsKnown());
    k.add(keys.limiter());
    k.add(keys.specs());
    return Scripts.run(
            redis, Scripts.COUNTS, k, List.of(Long.toString(rateWindowMs), keys.jobPrefix()))
        .map(this::counts);
  }

  /** The reply: 11 values in the script's order, then the stats hash as field, value pairs. */
  private QueueCounts counts(Response r) {
    Map<String, Long> totals = new LinkedHashMap<>();
    for (int i = 11; i + 1 < r.size(); i += 2)
      totals.put(r.get(i).toString(), r.get(i + 1).toLong());
    return new QueueCounts(
        keys.queue(),
        r.get(0).toLong(),
        r.get(1).toLong(),
        r.get(2).toLong(),
        r.get(3).toLong(),
        r.get(4).toLong(),
        r.get(5).toInteger() == 1,
        r.get(6).toLong(),
        r.get(7).toLong(),
        r.get(8).toLong(),
        r.get(9).toLong(),
        r.get(10).toLong(),
        totals);
  }
}
