package io.vertiq;

import io.vertiq.config.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One group's limits, set at run time ({@link JobQueue#setGroupLimits}): they are kept in Redis and
 * every node's next fetch applies them, without a redeploy. Each limit left unset falls back to the
 * queue's conf ({@code queues.<name>.groups}). The weight gives a backlogged group that many turns
 * for one of a group of weight 1, so the starts are shared in proportion to the weights.
 *
 * <pre>{@code
 * GroupLimits.none().concurrency(10).rateLimit(50, Duration.ofSeconds(1), true).weight(3)
 * }</pre>
 */
public final class GroupLimits {
  /** Largest concurrency and rate limit: 1,000,000. */
  public static final int MAX = 1_000_000;

  /** Largest weight: 1,000. */
  public static final int MAX_WEIGHT = 1_000;

  /** Longest rate window: 1 day. */
  public static final Duration MAX_PER = Duration.ofDays(1);

  private static final Set<String> KEYS = Set.of("concurrency", "rateLimit", "weight");
  private static final Set<String> RATE_KEYS = Set.of("max", "per", "smooth");
  private static final GroupLimits NONE = new GroupLimits(0, 0, 0, false, 1);

  private final int concurrency;
  private final int rateMax;
  private final long ratePerMs;
  private final boolean smooth;
  private final int weight;

  private GroupLimits(int concurrency, int rateMax, long ratePerMs, boolean smooth, int weight) {
    this.concurrency = concurrency;
    this.rateMax = rateMax;
    this.ratePerMs = ratePerMs;
    this.smooth = smooth;
    this.weight = weight;
  }

  /** No limit of its own and weight 1: the queue's conf applies. */
  public static GroupLimits none() {
    return NONE;
  }

  /** At most {@code n} runs of the group at once, across every node (1 to {@link #MAX}). */
  public GroupLimits concurrency(int n) {
    if (n < 1 || n > MAX)
      throw VertiqException.invalid("concurrency: expected 1 to " + MAX + ", got " + n);
    return new GroupLimits(n, rateMax, ratePerMs, smooth, weight);
  }

  /**
   * At most {@code max} starts of the group in any window of {@code per}; {@code smooth} spreads
   * them evenly, one every per/max, instead of letting a window's worth start at once.
   */
  public GroupLimits rateLimit(int max, Duration per, boolean smooth) {
    if (max < 1 || max > MAX)
      throw VertiqException.invalid("rateLimit.max: expected 1 to " + MAX + ", got " + max);
    if (per == null || per.toMillis() < 1 || per.compareTo(MAX_PER) > 0)
      throw VertiqException.invalid(
          "rateLimit.per: expected 1 ms to 1 day, got " + (per == null ? "nothing" : per));
    return new GroupLimits(concurrency, max, per.toMillis(), smooth, weight);
  }

  /** The group's share of the starts while groups are backlogged (1 to {@link #MAX_WEIGHT}). */
  public GroupLimits weight(int w) {
    if (w < 1 || w > MAX_WEIGHT)
      throw VertiqException.invalid("weight: expected 1 to " + MAX_WEIGHT + ", got " + w);
    return new GroupLimits(concurrency, rateMax, ratePerMs, smooth, w);
  }

  /** Most runs at once, or 0: the queue's group concurrency applies. */
  public int concurrency() {
    return concurrency;
  }

  /** Starts per window, or 0: the queue's group rate limit applies. */
  public int rateMax() {
    return rateMax;
  }

  /** The rate window in ms (0 with no rate limit of its own). */
  public long ratePerMs() {
    return ratePerMs;
  }

  /** Whether the rate limit spreads the starts evenly. */
  public boolean smooth() {
    return smooth;
  }

  /** The group's weight, 1 by default. */
  public int weight() {
    return weight;
  }

  /**
   * Reads {@code {"concurrency": 10, "rateLimit": {"max": 50, "per": "1s", "smooth": true},
   * "weight": 3}} (each key optional); an error names the key under {@code path}, e.g. {@code
   * body.rateLimit.per}.
   */
  public static GroupLimits fromJson(JsonObject json, String path) {
    String at = path.isEmpty() ? "" : path + ".";
    if (json == null) throw VertiqException.invalid(path + ": expected an object");
    for (String k : json.fieldNames())
      if (!KEYS.contains(k)) throw VertiqException.invalid(at + k + ": unknown key");
    GroupLimits l = NONE;
    try {
      if (json.containsKey("concurrency"))
        l = l.concurrency(integer(json.getValue("concurrency"), at + "concurrency"));
      if (json.containsKey("weight")) l = l.weight(integer(json.getValue("weight"), at + "weight"));
      if (json.containsKey("rateLimit")) l = rate(l, json.getValue("rateLimit"), at + "rateLimit");
    } catch (VertiqException e) {
      if (e.getMessage().startsWith(at) || at.isEmpty()) throw e;
      throw VertiqException.invalid(at + e.getMessage());
    }
    return l;
  }

  private static GroupLimits rate(GroupLimits l, Object value, String path) {
    if (!(value instanceof JsonObject r))
      throw VertiqException.invalid(path + ": expected an object with max and per");
    for (String k : r.fieldNames())
      if (!RATE_KEYS.contains(k)) throw VertiqException.invalid(path + "." + k + ": unknown key");
    if (!r.containsKey("max")) throw VertiqException.invalid(path + ".max: expected a number");
    Long perMs = Durations.parseMillis(r.getValue("per"));
    if (perMs == null)
      throw VertiqException.invalid(
          path + ".per: expected a duration such as \"1s\", got " + r.getValue("per"));
    Object smooth = r.getValue("smooth", false);
    if (!(smooth instanceof Boolean s))
      throw VertiqException.invalid(path + ".smooth: expected true or false");
    return l.rateLimit(integer(r.getValue("max"), path + ".max"), Duration.ofMillis(perMs), s);
  }

  private static int integer(Object v, String path) {
    if (v instanceof Integer i) return i;
    if (v instanceof Long n && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE)
      return n.intValue();
    throw VertiqException.invalid(path + ": expected an integer, got " + v);
  }

  /** The limits as {@link #fromJson} reads them (only those set; the weight always). */
  public JsonObject toJson() {
    JsonObject j = new JsonObject();
    if (concurrency > 0) j.put("concurrency", concurrency);
    if (rateMax > 0) {
      JsonObject r = new JsonObject().put("max", rateMax).put("per", Durations.format(ratePerMs));
      if (smooth) r.put("smooth", true);
      j.put("rateLimit", r);
    }
    return j.put("weight", weight);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupLimits g
        && g.concurrency == concurrency
        && g.rateMax == rateMax
        && g.ratePerMs == ratePerMs
        && g.smooth == smooth
        && g.weight == weight;
  }

  @Override
  public int hashCode() {
    return Objects.hash(concurrency, rateMax, ratePerMs, smooth, weight);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
