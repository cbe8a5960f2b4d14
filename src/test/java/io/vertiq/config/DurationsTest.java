package io.vertiq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesEachUnitAndBareMilliseconds() {
    assertEquals(500L, Durations.parseMillis("500ms"));
    assertEquals(30_000L, Durations.parseMillis("30s"));
    assertEquals(120_000L, Durations.parseMillis("2m"));
    assertEquals(3_600_000L, Durations.parseMillis("1h"));
    assertEquals(604_800_000L, Durations.parseMillis("7d"));
    assertEquals(250L, Durations.parseMillis(250));
    assertEquals(0L, Durations.parseMillis(" 0s "));
  }

  @Test
  void refusesWhatIsNotADuration() {
    assertNull(Durations.parseMillis("-5s"));
    assertNull(Durations.parseMillis("5 s"));
    assertNull(Durations.parseMillis("1y"));
    assertNull(Durations.parseMillis(-1));
    assertNull(Durations.parseMillis(1.5));
    assertNull(Durations.parseMillis(true));
    assertNull(Durations.parseMillis("99999999999999999999999d"), "more digits than a long");
  }

  @Test
  void aProductPastALongIsTheLargestLongForTheCallersToRefuse() {
    assertEquals(Long.MAX_VALUE, Durations.parseMillis("9999999999999999d"));
  }

  @Test
  void formatIsTheShortestExactTextAndRoundTrips() {
    assertEquals("7d", Durations.format(604_800_000L));
    assertEquals("90m", Durations.format(5_400_000L));
    assertEquals("1500ms", Durations.format(1_500));
    for (long ms : new long[] {1, 999, 1_000, 61_000, 86_400_000L, Durations.MAX_MS}) {
      assertEquals(ms, Durations.parseMillis(Durations.format(ms)), "round trip of " + ms);
    }
  }
}
