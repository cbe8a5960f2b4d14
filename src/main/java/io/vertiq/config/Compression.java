package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A queue's compression (queues.&lt;q&gt;.compression): payloads and results of more than {@code
 * threshold} bytes of UTF-8 are stored zstd-compressed at {@code level}; smaller ones as they are,
 * at no cost. Off unless the conf names it. Readers need no conf: a stored value says itself
 * whether it is compressed (see io.vertiq.redis.StoredText).
 */
public record Compression(int threshold, int level) {
  /** Nothing compressed. */
  public static final Compression OFF = new Compression(Integer.MAX_VALUE, 0);

  /**
   * Below about 1 KiB a JSON document rarely loses enough to pay for the frame and the time: the
   * default threshold.
   */
  public static final int DEFAULT_THRESHOLD = 1024;

  /** zstd's own default: most of the gain of the higher levels at a fraction of their time. */
  public static final int DEFAULT_LEVEL = 3;

  private static final Set<String> KEYS = Set.of("threshold", "level");

  public boolean enabled() {
    return level > 0;
  }

  /** Whether a value of {@code bytes} is stored compressed. */
  public boolean applies(int bytes) {
    return bytes > threshold;
  }

  /** The queue's "compression" object; absent: off. */
  static Compression read(ConfReader queue) {
    if (!queue.has("compression")) return OFF;
    ConfReader c = queue.child("compression");
    c.rejectUnknown(KEYS);
    return new Compression(
        c.integer("threshold", DEFAULT_THRESHOLD, 64, 16 * 1024 * 1024),
        c.integer("level", DEFAULT_LEVEL, 1, 19));
  }

  /** As the conf gives it back (null when off). */
  JsonObject toConf() {
    return enabled() ? new JsonObject().put("threshold", threshold).put("level", level) : null;
  }
}
