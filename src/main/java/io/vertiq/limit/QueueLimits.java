package io.vertiq.limit;

import io.vertiq.config.ConfReader;
import io.vertiq.config.Durations;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A queue's limits across every worker of every node, enforced in Redis by the fetch itself on Redis time (see
 * lua/includes/limits.lua): a rate limit ({@code "rateLimit": {"max": 100, "per": "1s"}}: at most max jobs started in
 * any window of that length) and a global concurrency ({@code "globalConcurrency": 10}: at most that many running at
 * once). Jobs over a limit stay waiting in Redis; a worker that meets one sleeps until it lifts (the rate window's
 * room comes back, or a run ends), so a limited queue costs no busy loop. Both are off by default.
 */
public final class QueueLimits {
  /** Largest rate limit and global concurrency: 1,000,000. */
  public static final int MAX = 1_000_000;
  /** Longest rate window: 1 day. */
  public static final long MAX_PER_MS = 86_400_000L;
  private static final Set<String> RATE_KEYS = Set.of("max", "per");
  public static final QueueLimits NONE = new QueueLimits(0, 0, 0);

  private final int rateMax;
  private final long ratePerMs;
  private final int globalConcurrency;

  public QueueLimits(int rateMax, long ratePerMs, int globalConcurrency) {
    this.rateMax = rateMax;
    this.ratePerMs = ratePerMs;
    this.globalConcurrency = globalConcurrency;
  }

  /** Reads {@code rateLimit} and {@code globalConcurrency} of a queue's section; errors name their JSON path. */
  public static QueueLimits read(ConfReader r) {
    int rateMax = 0;
    long per = 0;
    if (r.has("rateLimit")) {
      ConfReader rate = r.child("rateLimit");
      rate.rejectUnknown(RATE_KEYS);
      if (!rate.has("max")) r.errors().add(rate.path("max"), "expected the number of jobs per window, from 1 to " + MAX);
      if (!rate.has("per")) r.errors().add(rate.path("per"), "expected the window, a duration such as \"1s\"");
      rateMax = rate.integer("max", 0, 1, MAX);
      per = rate.millis("per", 0, 1, MAX_PER_MS);
    }
    int global = r.integer("globalConcurrency", 0, 1, MAX);
    return rateMax == 0 && global == 0 ? NONE : new QueueLimits(rateMax, per, global);
  }

  /** The limits as the conf writes them (only those set). */
  public void writeTo(JsonObject queue) {
    if (rateMax > 0) queue.put("rateLimit", new JsonObject().put("max", rateMax).put("per", Durations.format(ratePerMs)));
    if (globalConcurrency > 0) queue.put("globalConcurrency", globalConcurrency);
  }

  /** Jobs per window, or 0 for no rate limit. */
  public int rateMax() { return rateMax; }
  /** The rate window in ms (0 with no rate limit). */
  public long ratePerMs() { return ratePerMs; }
  /** Most runs at once across every node, or 0 for no such limit. */
  public int globalConcurrency() { return globalConcurrency; }

  public boolean any() {
    return rateMax > 0 || globalConcurrency > 0;
  }
}
