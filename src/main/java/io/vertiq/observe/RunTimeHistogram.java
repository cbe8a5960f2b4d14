package io.vertiq.observe;

/**
 * The run-time histogram of the metrics per job name: bucket {@code i} holds the runs that took
 * more than 2^((i-1)/4) and at most 2^(i/4) microseconds (bucket 0: up to 1 µs; the last: 2^37 µs,
 * 38 hours, and longer). Four buckets per doubling put a percentile read from them within 9% of the
 * true value, and a name's histogram costs only the buckets its runs fell in.
 */
public final class RunTimeHistogram {
  /** The last bucket's index. */
  public static final int LAST = 4 * 37;

  private RunTimeHistogram() {}

  /** 2^(1/4), 2^(2/4), 2^(3/4): where a doubling's buckets end. */
  private static final double Q1 = Math.pow(2, 0.25), Q2 = Math.pow(2, 0.5), Q3 = Math.pow(2, 0.75);

  /**
   * The bucket a run of {@code micros} falls in: ceil(4·log2 µs), from the highest bit and one
   * division rather than a logarithm (it is counted for every run).
   */
  public static int bucket(long micros) {
    if (micros <= 1) return 0;
    int e = 63 - Long.numberOfLeadingZeros(micros); // 2^e <= µs < 2^(e+1)
    if (e >= 37) return LAST;
    long low = 1L << e;
    if (micros == low) return 4 * e;
    double m = micros / (double) low;
    return 4 * e + (m <= Q1 ? 1 : m <= Q2 ? 2 : m <= Q3 ? 3 : 4);
  }

  /** The value a bucket stands for: the geometric middle of its bounds, in milliseconds. */
  public static double millis(int bucket) {
    if (bucket <= 0) return 0.001;
    return Math.pow(2, (bucket - 0.5) / 4) / 1000.0;
  }

  /**
   * The {@code q} quantile (0.5, 0.95, 0.99) of the runs in {@code counts} (counts[i]: the runs of
   * bucket i), in milliseconds; 0 with no run. The nearest rank: the value of the bucket holding
   * the ceil(q·n)-th shortest run.
   */
  public static double quantile(long[] counts, double q) {
    long n = 0;
    for (long c : counts) n += c;
    if (n == 0) return 0;
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) return millis(i);
    }
    return millis(counts.length - 1);
  }
}
