package io.vertiq.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the duration strings used in the conf ("500ms", "30s", "2m", "1h", "7d"). */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("^(\\d+)(ms|s|m|h|d)$");

  /**
   * The longest duration anything takes (a delay, a timeout, a lease, a retention age): 365 days.
   * Beyond it a time in nanoseconds or an epoch in milliseconds plus the duration could overflow,
   * and no job waits that long.
   */
  public static final long MAX_MS = 365L * 86_400_000L;

  private Durations() {}

  /**
   * Milliseconds for a duration string or a bare number of milliseconds; null when the text is not
   * one.
   */
  public static Long parseMillis(Object value) {
    if (value instanceof Number n) {
      long ms = n.longValue();
      return ms >= 0 && n.doubleValue() == ms ? ms : null;
    }
    if (!(value instanceof String s)) {
      return null;
    }
    Matcher m = FORMAT.matcher(s.trim());
    if (!m.matches()) {
      return null;
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return null; // more digits than a long holds
    }
    long unit =
        switch (m.group(2)) {
          case "ms" -> 1L;
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          default -> 86_400_000L;
        };
    // a product past a long is out of every range the callers accept: they report it as such
    return amount > Long.MAX_VALUE / unit ? Long.MAX_VALUE : amount * unit;
  }

  /** The shortest exact text for a number of milliseconds, so toJson round-trips. */
  public static String format(long ms) {
    if (ms != 0) {
      if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
      if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
      if (ms % 60_000L == 0) return ms / 60_000L + "m";
      if (ms % 1_000L == 0) return ms / 1_000L + "s";
    }
    return ms + "ms";
  }
}
