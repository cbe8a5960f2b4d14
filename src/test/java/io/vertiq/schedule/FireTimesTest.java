package io.vertiq.schedule;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fire times across time zones and daylight-saving changes, as cron users expect them; no Redis.
 */
class FireTimesTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** The fires within one local day. */
  private static List<ZonedDateTime> firesOn(FireTimes t, LocalDate day, ZoneId zone) {
    long from = day.atStartOfDay(zone).toInstant().toEpochMilli() - 1;
    long to = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    List<ZonedDateTime> out = new ArrayList<>();
    for (long at = t.nextAfter(from); at >= 0 && at < to; at = t.nextAfter(at)) {
      out.add(ZonedDateTime.ofInstant(Instant.ofEpochMilli(at), zone));
    }
    return out;
  }

  @Test
  void aDailyJobInItsZoneFiresAtItsLocalTime() {
    FireTimes t = FireTimes.cron("0 8 * * *", BERLIN);
    List<ZonedDateTime> fires = firesOn(t, LocalDate.of(2026, 12, 1), BERLIN);
    assertEquals(1, fires.size());
    assertEquals(8, fires.get(0).getHour());
    assertEquals(
        7,
        fires.get(0).withZoneSameInstant(ZoneId.of("UTC")).getHour(),
        "08:00 in Berlin is 07:00 UTC in winter");
  }

  @Test
  void a0230JobRunsOnceOnTheSpringForwardDayAndOnceOnTheFallBackDay() {
    FireTimes t = FireTimes.cron("30 2 * * *", BERLIN);
    // 2026-03-29: clocks jump from 02:00 to 03:00, so 02:30 does not exist that day
    List<ZonedDateTime> spring = firesOn(t, LocalDate.of(2026, 3, 29), BERLIN);
    System.out.println("spring-forward day: " + spring);
    assertEquals(1, spring.size(), "once on the spring-forward day: " + spring);
    assertEquals(
        3, spring.get(0).getHour(), "an hour later by the wall clock, 02:00-03:00 being skipped");
    // 2026-10-25: clocks go back from 03:00 to 02:00, so 02:30 happens twice
    List<ZonedDateTime> autumn = firesOn(t, LocalDate.of(2026, 10, 25), BERLIN);
    System.out.println("fall-back day: " + autumn);
    assertEquals(1, autumn.size(), "once on the fall-back day, not at both 02:30s: " + autumn);
    assertEquals(1, firesOn(t, LocalDate.of(2026, 3, 30), BERLIN).size());
    assertEquals(1, firesOn(t, LocalDate.of(2026, 10, 26), BERLIN).size());
  }

  @Test
  void aScheduleMoreFrequentThanHourlyFollowsRealTimeAcrossTheChange() {
    FireTimes t = FireTimes.cron("*/15 * * * *", BERLIN);
    // the fall-back day is 25 hours long: 100 quarter hours
    assertEquals(100, firesOn(t, LocalDate.of(2026, 10, 25), BERLIN).size());
    assertEquals(
        92,
        firesOn(t, LocalDate.of(2026, 3, 29), BERLIN).size(),
        "the spring-forward day has 23 hours");
  }

  @Test
  void secondsAliasesAndIntervals() {
    assertEquals(
        1_000, FireTimes.cron("* * * * * *", BERLIN).nextAfter(0), "six fields: every second");
    assertEquals(3_600_000, FireTimes.cron("@hourly", ZoneId.of("UTC")).nextAfter(0));
    FireTimes every = FireTimes.every(30_000, 5_000);
    assertEquals(35_000, every.nextAfter(5_000));
    assertEquals(35_000, every.nextAfter(34_999));
    assertEquals(5_000, every.nextAfter(0), "the origin itself is the first fire");
  }

  @Test
  void aBadExpressionSaysWhy() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FireTimes.cron("61 * * * *", BERLIN));
    assertNotNull(e.getMessage());
    IllegalArgumentException fields =
        assertThrows(IllegalArgumentException.class, () -> FireTimes.cron("* * *", BERLIN));
    assertTrue(fields.getMessage().contains("expected 5 fields"), fields.getMessage());
  }
}
