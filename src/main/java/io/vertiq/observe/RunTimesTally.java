package io.vertiq.observe;

import io.vertiq.redis.RecordRunTimes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one worker instance counts per job name between two flushes to Redis (the metrics per job
 * name): runs, failures, run time summed and its histogram. A run costs a map lookup and three
 * additions here; Redis hears of it once per flush. Used from the instance's own event loop only.
 */
public final class RunTimesTally {
  /** Names counted apart between two flushes; more are "(other)", as in Redis. */
  static final int MOST_NAMES = RecordRunTimes.MOST_NAMES;

  private static final class Counts {
    long runs;
    long failures;
    long micros;
    final long[] buckets = new long[RunTimeHistogram.LAST + 1];
  }

  private Map<String, Counts> byName = new HashMap<>();

  /**
   * The waits of the runs started, from due to start, as a histogram of µs (the history's wait
   * percentiles); null while none was counted.
   */
  private long[] waits;

  /**
   * The last name counted and its counts: a queue's runs mostly share a name, so most skip the map.
   */
  private String lastName;

  private Counts last;

  /** A run of {@code name} that took {@code nanos}, failed or not. */
  public void record(String name, long nanos, boolean failed) {
    Counts c = last != null && name != null && name.equals(lastName) ? last : lookUp(name);
    long micros = nanos < 0 ? 0 : nanos / 1_000;
    c.runs++;
    if (failed) c.failures++;
    c.micros += micros;
    c.buckets[RunTimeHistogram.bucket(micros)]++;
  }

  private Counts lookUp(String name) {
    if (name == null) name = "job";
    Counts c = byName.get(name);
    if (c == null) {
      c = byName.computeIfAbsent(byName.size() >= MOST_NAMES ? "(other)" : name, n -> new Counts());
    }
    lastName = name;
    last = c;
    return c;
  }

  /** A run started {@code waitMs} after it was due. */
  public void recordWait(long waitMs) {
    if (waits == null) waits = new long[RunTimeHistogram.LAST + 1];
    waits[RunTimeHistogram.bucket(Math.max(0, waitMs) * 1_000)]++;
  }

  public boolean isEmpty() {
    return byName.isEmpty() && waits == null;
  }

  /** The waits counted since the last call (runs per bucket), or null for none; starts over. */
  public long[] drainWaits() {
    long[] w = waits;
    waits = null;
    return w;
  }

  /** What was counted since the last call, for {@link RecordRunTimes}; the tally starts over. */
  public List<RecordRunTimes.Entry> drain() {
    List<RecordRunTimes.Entry> out = new ArrayList<>(byName.size());
    byName.forEach(
        (name, c) ->
            out.add(new RecordRunTimes.Entry(name, c.runs, c.failures, c.micros, c.buckets)));
    byName = new HashMap<>();
    last = null;
    lastName = null;
    return out;
  }
}
