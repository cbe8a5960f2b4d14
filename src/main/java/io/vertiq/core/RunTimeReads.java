package io.vertiq.core;

import io.vertiq.JobNameMetrics;
import io.vertiq.JobQueue;
import io.vertiq.VertiqException;
import io.vertiq.observe.RunTimeHistogram;
import io.vertiq.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the metrics per job name back (see recordRunTimes-1.lua): the minute hashes for a window of
 * up to two hours, else the hour hashes (a window of a day is then the current hour and the 24
 * before it), summed per name, the percentiles taken from the summed histogram.
 */
final class RunTimeReads {
  private static final long MINUTE = 60_000, HOUR = 3_600_000;

  /** Longest window read from the minute hashes (they are kept 2 hours). */
  private static final long MINUTES_UP_TO = 2 * HOUR;

  private final VertiqImpl vq;
  private final Keys keys;

  RunTimeReads(VertiqImpl vq, Keys keys) {
    this.vq = vq;
    this.keys = keys;
  }

  /** A name's sums over the window's hashes. */
  private static final class Sums {
    long runs;
    long failures;
    long micros;
    final long[] buckets = new long[RunTimeHistogram.LAST + 1];

    JobNameMetrics metrics(String name) {
      return new JobNameMetrics(
          name,
          runs,
          failures,
          runs == 0 ? 0 : micros / 1000.0 / runs,
          RunTimeHistogram.quantile(buckets, 0.50),
          RunTimeHistogram.quantile(buckets, 0.95),
          RunTimeHistogram.quantile(buckets, 0.99));
    }
  }

  Future<List<JobNameMetrics>> byName(long windowMs) {
    if (windowMs < MINUTE || windowMs > JobQueue.METRICS_WINDOW_MS) {
      return Future.failedFuture(
          VertiqException.invalid(
              "period: expected a duration from 1m to 7d, got " + windowMs + " ms"));
    }
    boolean minutes = windowMs <= MINUTES_UP_TO;
    long step = minutes ? MINUTE : HOUR;
    String prefix = keys.runTimesPrefix() + (minutes ? "m" : "h");
    long count = (windowMs + step - 1) / step + (minutes ? 0 : 1);
    return StepHashes.read(vq.redis(), prefix, step, count)
        .map(StepHashes::rows)
        .map(RunTimeReads::sum);
  }

  private static List<JobNameMetrics> sum(List<Response> hashes) {
    Map<String, Sums> byName = new HashMap<>();
    for (Response h : hashes) {
      if (h == null) continue;
      for (String field : h.getKeys()) {
        int cut = field.lastIndexOf('\0');
        if (cut <= 0) continue; // the hash's count of names
        Sums s = byName.computeIfAbsent(field.substring(0, cut), n -> new Sums());
        String what = field.substring(cut + 1);
        long v = h.get(field).toLong();
        switch (what) {
          case "r" -> s.runs += v;
          case "f" -> s.failures += v;
          case "t" -> s.micros += v;
          default -> {
            int b = Integer.parseInt(what);
            if (b >= 0 && b < s.buckets.length) s.buckets[b] += v;
          }
        }
      }
    }
    List<JobNameMetrics> out = new ArrayList<>();
    byName.forEach((name, s) -> out.add(s.metrics(name)));
    out.sort(Comparator.comparingLong(JobNameMetrics::runs).reversed());
    return out;
  }
}
