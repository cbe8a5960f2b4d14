package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A queue's limits across every worker of every node, enforced in Redis by the fetch itself on
 * Redis time (see lua/includes/limits.lua and groups.lua): a rate limit ({@code "rateLimit":
 * {"max": 100, "per": "1s"}}: at most max jobs started in any window of that length), a global
 * concurrency ({@code "globalConcurrency": 10}: at most that many running at once), and the same
 * two per group of jobs ({@code "groups": {"concurrency": 2, "rateLimit": {...}}}: each group on
 * its own). Jobs over a limit stay waiting in Redis; a worker that meets one sleeps until it lifts
 * (the rate window's room comes back, or a run ends), so a limited queue costs no busy loop. All
 * are off by default.
 */
public final class QueueLimits {
  /** Largest rate limit and concurrency: 1,000,000. */
  public static final int MAX = 1_000_000;

  /** Longest rate window: 1 day. */
  public static final long MAX_PER_MS = 86_400_000L;

  private static final Set<String> RATE_KEYS = Set.of("max", "per", "smooth");
  private static final Set<String> GROUP_KEYS = Set.of("concurrency", "rateLimit");
  public static final QueueLimits NONE = new QueueLimits(Rate.NONE, 0, Rate.NONE, 0);

  /**
   * At most {@code max} jobs started in any window of {@code perMs}; max 0 for none. {@code
   * smooth}: one start every perMs/max (see limits.lua's smoothAllowed), so the starts are spread
   * evenly and a pause stores no burst; else a sliding window, where a window's worth may start at
   * once.
   */
  public record Rate(int max, long perMs, boolean smooth) {
    static final Rate NONE = new Rate(0, 0, false);

    /** Reads {@code {"max": n, "per": "1s"}} at {@code key} of {@code r}, if there. */
    static Rate read(ConfReader r, String key) {
      if (!r.has(key)) return NONE;
      ConfReader rate = r.child(key);
      rate.rejectUnknown(RATE_KEYS);
      if (!rate.has("max"))
        r.errors()
            .add(rate.path("max"), "expected the number of jobs per window, from 1 to " + MAX);
      if (!rate.has("per"))
        r.errors().add(rate.path("per"), "expected the window, a duration such as \"1s\"");
      int max = rate.integer("max", 0, 1, MAX);
      long per = rate.millis("per", 0, 1, MAX_PER_MS);
      boolean smooth = rate.bool("smooth", false);
      return max == 0 ? NONE : new Rate(max, per, smooth);
    }

    JsonObject toJson() {
      JsonObject j = new JsonObject().put("max", max).put("per", Durations.format(perMs));
      return smooth ? j.put("smooth", true) : j;
    }
  }

  private final Rate rate;
  private final int globalConcurrency;
  private final Rate groupRate;
  private final int groupConcurrency;

  public QueueLimits(Rate rate, int globalConcurrency, Rate groupRate, int groupConcurrency) {
    this.rate = rate;
    this.globalConcurrency = globalConcurrency;
    this.groupRate = groupRate;
    this.groupConcurrency = groupConcurrency;
  }

  public QueueLimits(int rateMax, long ratePerMs, int globalConcurrency) {
    this(
        rateMax == 0 ? Rate.NONE : new Rate(rateMax, ratePerMs, false),
        globalConcurrency,
        Rate.NONE,
        0);
  }

  /**
   * Reads {@code rateLimit}, {@code globalConcurrency} and {@code groups} of a queue's section;
   * errors name their JSON path.
   */
  public static QueueLimits read(ConfReader r) {
    Rate rate = Rate.read(r, "rateLimit");
    int global = r.integer("globalConcurrency", 0, 1, MAX);
    Rate groupRate = Rate.NONE;
    int groupConcurrency = 0;
    if (r.has("groups")) {
      ConfReader g = r.child("groups");
      g.rejectUnknown(GROUP_KEYS);
      groupRate = Rate.read(g, "rateLimit");
      groupConcurrency = g.integer("concurrency", 0, 1, MAX);
    }
    QueueLimits limits = new QueueLimits(rate, global, groupRate, groupConcurrency);
    return limits.any() ? limits : NONE;
  }

  /** The limits as the conf writes them (only those set). */
  public void writeTo(JsonObject queue) {
    if (rate.max() > 0) queue.put("rateLimit", rate.toJson());
    if (globalConcurrency > 0) queue.put("globalConcurrency", globalConcurrency);
    if (groupRate.max() > 0 || groupConcurrency > 0) {
      JsonObject g = new JsonObject();
      if (groupConcurrency > 0) g.put("concurrency", groupConcurrency);
      if (groupRate.max() > 0) g.put("rateLimit", groupRate.toJson());
      queue.put("groups", g);
    }
  }

  /** Jobs per window, or 0 for no rate limit. */
  public int rateMax() {
    return rate.max();
  }

  /** The rate window in ms (0 with no rate limit). */
  public long ratePerMs() {
    return rate.perMs();
  }

  /** Whether the queue's rate limit spreads its starts evenly (see {@link Rate}). */
  public boolean rateSmooth() {
    return rate.smooth();
  }

  /** Whether each group's rate limit spreads its starts evenly. */
  public boolean groupRateSmooth() {
    return groupRate.smooth();
  }

  /** Most runs at once across every node, or 0 for no such limit. */
  public int globalConcurrency() {
    return globalConcurrency;
  }

  /** Each group's jobs per window, or 0 for none. */
  public int groupRateMax() {
    return groupRate.max();
  }

  /** Each group's rate window in ms (0 with none). */
  public long groupRatePerMs() {
    return groupRate.perMs();
  }

  /** Most runs of one group at once across every node, or 0 for no such limit. */
  public int groupConcurrency() {
    return groupConcurrency;
  }

  public boolean any() {
    return rate.max() > 0 || globalConcurrency > 0 || groupRate.max() > 0 || groupConcurrency > 0;
  }

  /** The limits as the API shows them: only those set. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject();
    writeTo(j);
    return j;
  }
}
