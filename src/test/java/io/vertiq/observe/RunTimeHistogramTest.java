package io.vertiq.observe;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class RunTimeHistogramTest {
  @Test
  void aValueIsWithinNinePercentOfItsBucketsValue() {
    for (long us :
        new long[] {2, 3, 7, 10, 999, 1_000, 1_024, 15_000, 250_000, 3_000_000, 86_400_000_000L}) {
      double ms = RunTimeHistogram.millis(RunTimeHistogram.bucket(us));
      assertEquals(us / 1000.0, ms, us / 1000.0 * 0.091, us + " µs");
    }
    assertEquals(0, RunTimeHistogram.bucket(0));
    assertEquals(0, RunTimeHistogram.bucket(1));
    assertEquals(4, RunTimeHistogram.bucket(2), "a power of two is the top of its own bucket");
    assertEquals(7, RunTimeHistogram.bucket(3), "3 µs: above 2^(6/4), at most 2^(7/4)");
    assertEquals(RunTimeHistogram.LAST, RunTimeHistogram.bucket(Long.MAX_VALUE));
  }

  @Test
  void quantilesOfAKnownMix() {
    long[] counts = new long[RunTimeHistogram.LAST + 1];
    counts[RunTimeHistogram.bucket(10_000)] += 90; // 90 runs of 10 ms
    counts[RunTimeHistogram.bucket(100_000)] += 9; // 9 of 100 ms
    counts[RunTimeHistogram.bucket(2_000_000)] += 1; // 1 of 2 s
    assertEquals(10, RunTimeHistogram.quantile(counts, 0.5), 1);
    assertEquals(10, RunTimeHistogram.quantile(counts, 0.90), 1);
    assertEquals(100, RunTimeHistogram.quantile(counts, 0.95), 9);
    assertEquals(100, RunTimeHistogram.quantile(counts, 0.99), 9);
    assertEquals(2_000, RunTimeHistogram.quantile(counts, 0.999), 180);
    assertEquals(0, RunTimeHistogram.quantile(new long[5], 0.5));
  }
}
