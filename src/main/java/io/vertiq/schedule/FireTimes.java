package io.vertiq.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * When a schedule fires: a cron expression in a time zone (5 fields, or 6 with seconds first, or an
 * alias such as {@code @daily}), parsed and stepped by cron-utils, or a fixed interval counted from
 * an origin. Every node computes the same times from the same spec, so the fire time itself
 * identifies a fire.
 *
 * <p>Daylight saving as cron users expect it (Vixie cron's rule): a schedule that fires at most
 * hourly follows the wall clock, so a 02:30 job runs once on the fall-back day (at the first 02:30)
 * and once on the spring-forward day (at 03:30, the hour 02:00-03:00 being skipped); one that fires
 * more often follows real time, unaffected.
 */
public final class FireTimes {
  private static final CronParser FIVE =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  /** The aliases cron users know, as the 5-field expressions they stand for. */
  private static final Map<String, String> ALIASES =
      Map.of(
          "@yearly",
          "0 0 1 1 *",
          "@annually",
          "0 0 1 1 *",
          "@monthly",
          "0 0 1 * *",
          "@weekly",
          "0 0 * * 0",
          "@daily",
          "0 0 * * *",
          "@midnight",
          "0 0 * * *",
          "@hourly",
          "0 * * * *");

  private final ExecutionTime cron;

  /**
   * Whether fires are a wall-clock time (at most hourly) rather than real time (see the class
   * comment).
   */
  private final boolean wallClock;

  private final ZoneId zone;
  private final long everyMs;
  private final long originMs;

  private FireTimes(ExecutionTime cron, ZoneId zone, long everyMs, long originMs) {
    this.cron = cron;
    this.wallClock = cron != null && atMostHourly(cron);
    this.zone = zone;
    this.everyMs = everyMs;
    this.originMs = originMs;
  }

  /**
   * A cron schedule; throws IllegalArgumentException with cron-utils' reason for a bad expression.
   */
  public static FireTimes cron(String expression, ZoneId zone) {
    String e = ALIASES.getOrDefault(expression.trim().toLowerCase(), expression.trim());
    int fields = e.split("\\s+").length;
    Cron parsed =
        switch (fields) {
          case 5 -> FIVE.parse(e);
          case 6 -> SIX.parse(e);
          default ->
              throw new IllegalArgumentException(
                  "expected 5 fields (minute hour day month weekday), 6 with seconds"
                      + " first, or an alias such as @daily; got "
                      + fields
                      + " fields");
        };
    parsed.validate();
    return new FireTimes(ExecutionTime.forCron(parsed), zone, 0, 0);
  }

  /** Every {@code everyMs} from {@code originMs} (fires at origin + k * every). */
  public static FireTimes every(long everyMs, long originMs) {
    if (everyMs <= 0) throw new IllegalArgumentException("expected a positive interval");
    return new FireTimes(null, null, everyMs, originMs);
  }

  /** The first fire strictly after {@code afterMs}, or -1 when there is none. */
  public long nextAfter(long afterMs) {
    if (cron == null) {
      long k = Math.floorDiv(afterMs - originMs, everyMs) + 1;
      return originMs + Math.max(k, 0) * everyMs;
    }
    if (!wallClock) {
      Optional<ZonedDateTime> next =
          cron.nextExecution(ZonedDateTime.ofInstant(Instant.ofEpochMilli(afterMs), zone));
      return next.map(t -> t.toInstant().toEpochMilli()).orElse(-1L);
    }
    // step over wall-clock times (in UTC, which has no DST), then place each in the zone: a time in
    // a gap moves
    // later by the gap, a time in an overlap takes its first occurrence; one already past (the
    // overlap's second
    // pass) is skipped, so each wall-clock time fires once
    ZonedDateTime probe =
        ZonedDateTime.ofInstant(Instant.ofEpochMilli(afterMs), zone)
            .toLocalDateTime()
            .atZone(ZoneOffset.UTC);
    for (int i = 0; i < 4; i++) {
      Optional<ZonedDateTime> wall = cron.nextExecution(probe);
      if (wall.isEmpty()) return -1;
      long at =
          ZonedDateTime.ofLocal(wall.get().toLocalDateTime(), zone, null)
              .toInstant()
              .toEpochMilli();
      if (at > afterMs) return at;
      probe = wall.get();
    }
    return -1;
  }

  /** Whether two fires in a row, from a fixed point, lie an hour or more apart. */
  private static boolean atMostHourly(ExecutionTime cron) {
    ZonedDateTime from = ZonedDateTime.of(2000, 1, 3, 0, 0, 0, 0, ZoneOffset.UTC);
    Optional<ZonedDateTime> a = cron.nextExecution(from);
    Optional<ZonedDateTime> b = a.flatMap(cron::nextExecution);
    return a.isEmpty() || b.isEmpty() || Duration.between(a.get(), b.get()).toMinutes() >= 60;
  }
}
