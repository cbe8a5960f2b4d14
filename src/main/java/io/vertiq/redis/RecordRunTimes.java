package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;

/**
 * recordRunTimes-1.lua as a Java type: adds what a worker counted per job name (runs, failures, run
 * time summed and its histogram) to the queue's minute and hour hashes.
 */
public final class RecordRunTimes {
  /** Names one hash counts on their own; the others are "(other)". */
  public static final int MOST_NAMES = 50;

  /**
   * One name's counts since the last call: runs, failures, run time summed (µs), and the runs per
   * histogram bucket ({@code buckets[i]}: bucket i; zeros are not sent).
   */
  public record Entry(String name, long runs, long failures, long micros, long[] buckets) {}

  private final String[] scriptKeys;
  private final String prefix;
  private final String historyPrefix;

  public RecordRunTimes(Keys keys) {
    this.scriptKeys = new String[] {keys.stats()};
    this.prefix = keys.runTimesPrefix();
    this.historyPrefix = keys.historyPrefix();
  }

  /**
   * Adds {@code entries} to the metrics per job name and {@code waits} (runs per wait bucket, or
   * null) to the queue's history, with the runs and failed runs of the hour.
   */
  public Future<Void> run(Redis redis, List<Entry> entries, long[] waits) {
    List<String> args = new ArrayList<>();
    args.add(prefix);
    args.add(Integer.toString(MOST_NAMES));
    args.add(historyPrefix);
    buckets(args, waits == null ? new long[0] : waits);
    for (Entry e : entries) {
      args.add(e.name());
      args.add(Long.toString(e.runs()));
      args.add(Long.toString(e.failures()));
      args.add(Long.toString(e.micros()));
      buckets(args, e.buckets());
    }
    return Scripts.run(redis, Scripts.RECORD_RUN_TIMES, scriptKeys, args.toArray(String[]::new))
        .mapEmpty();
  }

  /** The non-empty buckets: their count, then bucket and runs of each. */
  private static void buckets(List<String> args, long[] buckets) {
    int sizeAt = args.size();
    args.add("");
    int used = 0;
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] == 0) continue;
      args.add(Integer.toString(i));
      args.add(Long.toString(buckets[i]));
      used++;
    }
    args.set(sizeAt, Integer.toString(used));
  }
}
