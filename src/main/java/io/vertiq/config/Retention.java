package io.vertiq.config;

/**
 * How many finished jobs of one kind (completed, or dead) a queue keeps: none, all, the last N, or
 * those finished within a duration. Written in the conf as "none", "all", a number, or a duration
 * such as "7d".
 */
public record Retention(Kind kind, long value) {
  public enum Kind {
    NONE,
    ALL,
    COUNT,
    AGE
  }

  public static final Retention NONE = new Retention(Kind.NONE, 0);
  public static final Retention ALL = new Retention(Kind.ALL, 0);

  public static Retention count(long n) {
    return n == 0 ? NONE : new Retention(Kind.COUNT, n);
  }

  public static Retention age(long ms) {
    return new Retention(Kind.AGE, ms);
  }

  /** Parses one conf value; null when it is none of the accepted forms. */
  public static Retention parse(Object v) {
    if ("none".equals(v)) return NONE;
    if ("all".equals(v)) return ALL;
    if (v instanceof Number n && n.longValue() >= 0 && n.doubleValue() == n.longValue())
      return count(n.longValue());
    if (v instanceof String s && s.matches("\\d+")) return count(Long.parseLong(s));
    Long ms = Durations.parseMillis(v);
    return ms != null && ms > 0 ? age(ms) : null;
  }

  public static Retention read(ConfReader r, String key, Retention def) {
    Object v = r.raw(key);
    if (v == null) return def;
    Retention parsed = parse(v);
    if (parsed == null) {
      r.errors()
          .add(
              r.path(key),
              "expected \"none\", \"all\", a count such as 1000 or a duration such as \"7d\", got "
                  + ConfReader.show(v));
      return def;
    }
    return parsed;
  }

  /** The conf form of this retention. */
  public Object toConf() {
    return switch (kind) {
      case NONE -> "none";
      case ALL -> "all";
      case COUNT -> value;
      case AGE -> Durations.format(value);
    };
  }

  /** The two script arguments (mode, value) that the finishing scripts apply. */
  public String mode() {
    return switch (kind) {
      case NONE -> "none";
      case ALL -> "all";
      case COUNT -> "count";
      case AGE -> "age";
    };
  }
}
