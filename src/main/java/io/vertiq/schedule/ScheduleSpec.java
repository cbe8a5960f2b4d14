package io.vertiq.schedule;

import io.vertiq.NewJob;
import io.vertiq.config.ConfReader;
import io.vertiq.config.ConfigErrors;
import io.vertiq.config.Durations;
import io.vertiq.config.InvalidConfigException;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A schedule: when it fires (a cron expression in a time zone, or a fixed interval), the job each
 * fire enqueues, an optional start and end, a limit on the number of fires, and what happens to
 * fires missed while no node ran ({@code skip} by default, {@code once}, or {@code all} up to
 * {@code maxMissed}). Read from the conf ({@code queues.<q>.schedules.<name>}) or the API,
 * validated with the JSON path of each problem.
 */
public final class ScheduleSpec {
  public enum Missed {
    SKIP,
    ONCE,
    ALL
  }

  /** Schedule names: as queue names. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private static final Set<String> KEYS =
      Set.of("cron", "tz", "every", "job", "startAt", "endAt", "limit", "missed", "maxMissed");

  /** Default number of missed fires {@code missed: all} makes up for: 100. */
  public static final int DEFAULT_MAX_MISSED = 100;

  private final JsonObject json;
  private final FireTimes times;
  private final JsonObject job;
  private final long startAt;
  private final long endAt;
  private final long limit;
  private final Missed missed;
  private final int maxMissed;

  private ScheduleSpec(
      JsonObject json,
      FireTimes times,
      JsonObject job,
      long startAt,
      long endAt,
      long limit,
      Missed missed,
      int maxMissed) {
    this.json = json;
    this.times = times;
    this.job = job;
    this.startAt = startAt;
    this.endAt = endAt;
    this.limit = limit;
    this.missed = missed;
    this.maxMissed = maxMissed;
  }

  /**
   * Parses a schedule; every problem is added to {@code errors} under {@code path}; null when there
   * was one.
   */
  public static ScheduleSpec read(JsonObject json, String path, ConfigErrors errors) {
    int before = errors.size();
    ConfReader r = new ConfReader(json, path, errors);
    r.rejectUnknown(KEYS);
    String cron = r.string("cron", null);
    long every = r.millis("every", 0, 1);
    String tz = r.string("tz", "UTC");
    long startAt = r.has("startAt") ? epoch(r, "startAt") : 0;
    long endAt = r.has("endAt") ? epoch(r, "endAt") : 0;
    int limit = r.integer("limit", 0, 1, Integer.MAX_VALUE);
    String missedText = r.oneOf("missed", "skip", Set.of("skip", "once", "all"));
    int maxMissed = r.integer("maxMissed", DEFAULT_MAX_MISSED, 1, 10_000);
    ZoneId zone = null;
    try {
      zone = ZoneId.of(tz);
    } catch (DateTimeException e) {
      errors.add(
          r.path("tz"), "expected an IANA time zone such as \"Europe/Berlin\", got \"" + tz + "\"");
    }
    FireTimes times = null;
    if ((cron == null) == (every == 0)) {
      errors.add(
          r.path("cron"),
          "expected either \"cron\" (an expression) or \"every\" (a duration), not "
              + (cron == null ? "neither" : "both"));
    } else if (cron != null && zone != null) {
      try {
        times = FireTimes.cron(cron, zone);
      } catch (IllegalArgumentException e) {
        errors.add(r.path("cron"), "invalid cron expression \"" + cron + "\": " + e.getMessage());
      }
    } else if (every > 0) {
      times = FireTimes.every(every, startAt);
    }
    Object jobValue = json.getValue("job");
    JsonObject job =
        jobValue == null ? new JsonObject() : jobValue instanceof JsonObject o ? o : null;
    if (job == null) {
      errors.add(
          r.path("job"),
          "expected the job to enqueue, an object as POST /queues/{queue}/jobs takes");
    } else {
      NewJob.fromJson(job, r.path("job"), errors);
      if (job.containsKey("idempotencyKey")
          || job.containsKey("runAt")
          || job.containsKey("delay")) {
        errors.add(
            r.path("job"),
            "a scheduled job takes no idempotencyKey, runAt or delay: its fire time sets them");
      }
    }
    if (endAt > 0 && startAt > 0 && endAt <= startAt)
      errors.add(r.path("endAt"), "expected a time after startAt");
    if (errors.size() > before) return null;
    Missed missed = Missed.valueOf(missedText.toUpperCase());
    return new ScheduleSpec(json.copy(), times, job, startAt, endAt, limit, missed, maxMissed);
  }

  /** Parses a schedule or throws {@link InvalidConfigException} listing every problem. */
  public static ScheduleSpec parse(JsonObject json, String path) {
    ConfigErrors errors = new ConfigErrors();
    ScheduleSpec s = read(json, path, errors);
    errors.throwIfAny();
    return s;
  }

  /**
   * The latest startAt or endAt taken: the last millisecond of the year 9999. Fire times are
   * computed in longs and through java.time, which a time near the largest long would overflow.
   */
  public static final long MAX_EPOCH_MS = 253_402_300_799_999L;

  private static long epoch(ConfReader r, String key) {
    Object v = r.raw(key);
    if (v instanceof Number n
        && n.doubleValue() == n.longValue()
        && n.longValue() > 0
        && n.longValue() <= MAX_EPOCH_MS) {
      return n.longValue();
    }
    r.errors()
        .add(
            r.path(key),
            "expected epoch milliseconds from 1 to "
                + MAX_EPOCH_MS
                + " (the end of the year 9999), got "
                + v);
    return 0;
  }

  /**
   * The first fire strictly after {@code afterMs} within the start and end, or -1 when none is
   * left.
   */
  public long nextAfter(long afterMs) {
    long at = times.nextAfter(Math.max(afterMs, startAt - 1));
    return at < 0 || (endAt > 0 && at > endAt) ? -1 : at;
  }

  /**
   * The job a fire enqueues. A fire makes it once however many nodes run: the enqueue that creates
   * it also advances the schedule, only while the caller's claim on the fire holds (see Scheduler).
   */
  public NewJob job() {
    return NewJob.fromJson(job, "job", new ConfigErrors());
  }

  public JsonObject toJson() {
    return json.copy();
  }

  public long limit() {
    return limit;
  }

  public Missed missed() {
    return missed;
  }

  public int maxMissed() {
    return maxMissed;
  }

  public String describe() {
    return json.containsKey("cron")
        ? "cron " + json.getString("cron") + " " + json.getString("tz", "UTC")
        : "every " + Durations.format(Durations.parseMillis(json.getValue("every")));
  }
}
