package io.vertiq.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Typed, path-aware reads from one JSON object of the conf. Each read returns the default when the
 * key is absent and records an error naming the full JSON path when the value has the wrong type or
 * range, so an options class reads its fields in a few lines and every mistake in a file is
 * reported together.
 */
public final class ConfReader {
  private final JsonObject json;
  private final String path;
  private final ConfigErrors errors;

  public ConfReader(JsonObject json, String path, ConfigErrors errors) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
    this.errors = errors;
  }

  public ConfigErrors errors() {
    return errors;
  }

  public String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    return json.getValue(key) != null;
  }

  public Object raw(String key) {
    return json.getValue(key);
  }

  /** Flags keys this section does not know, which are nearly always typos. */
  public void rejectUnknown(Set<String> known) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        errors.add(
            path(key),
            "unknown key (expected one of "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
  }

  public String string(String key, String def) {
    Object v = json.getValue(key);
    if (v == null) return def;
    if (v instanceof String s && !s.isBlank()) return s;
    errors.add(path(key), "expected a non-empty string, got " + show(v));
    return def;
  }

  /**
   * A secret (a password, a token): as {@link #string}, but an error never shows the value, only
   * its type.
   */
  public String secret(String key) {
    Object v = json.getValue(key);
    if (v == null) return null;
    if (v instanceof String s && !s.isBlank()) return s;
    errors.add(
        path(key),
        "expected a non-empty string, got "
            + (v instanceof String
                ? "a blank string"
                : v instanceof Number
                    ? "a number"
                    : v instanceof Boolean
                        ? "a boolean"
                        : "a "
                            + v.getClass()
                                .getSimpleName()
                                .replace("JsonObject", "JSON object")
                                .replace("JsonArray", "JSON array"))
            + " (the value is not shown: it is a secret)");
    return null;
  }

  public String oneOf(String key, String def, Set<String> allowed) {
    String s = string(key, def);
    if (s != null && !allowed.contains(s)) {
      errors.add(
          path(key),
          "expected one of "
              + String.join(", ", allowed.stream().sorted().toList())
              + ", got "
              + show(s));
      return def;
    }
    return s;
  }

  public boolean bool(String key, boolean def) {
    Object v = json.getValue(key);
    if (v == null) return def;
    if (v instanceof Boolean b) return b;
    if ("true".equals(v) || "false".equals(v)) return Boolean.parseBoolean((String) v);
    errors.add(path(key), "expected true or false, got " + show(v));
    return def;
  }

  /**
   * An integer in [min, max]; numeric strings are accepted because environment overrides are text.
   */
  public int integer(String key, int def, int min, int max) {
    Object v = json.getValue(key);
    if (v == null) return def;
    Long n = asLong(v);
    if (n == null) {
      String what =
          min == 1 ? "a positive integer" : min == 0 ? "a non-negative integer" : "an integer";
      errors.add(path(key), "expected " + what + ", got " + show(v));
      return def;
    }
    if (n < min || n > max) {
      errors.add(path(key), "expected an integer from " + min + " to " + max + ", got " + show(v));
      return def;
    }
    return n.intValue();
  }

  public double decimal(String key, double def, double min, double max) {
    Object v = json.getValue(key);
    if (v == null) return def;
    if (v instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max)
      return n.doubleValue();
    errors.add(path(key), "expected a number from " + min + " to " + max + ", got " + show(v));
    return def;
  }

  /**
   * A duration ("500ms", "30s", "2m", "1h", "7d" or a number of ms) from minMs to {@link
   * Durations#MAX_MS}.
   */
  public long millis(String key, long def, long minMs) {
    return millis(key, def, minMs, Durations.MAX_MS);
  }

  /** A duration from minMs to maxMs. */
  public long millis(String key, long def, long minMs, long maxMs) {
    Object v = json.getValue(key);
    if (v == null) return def;
    Long ms = Durations.parseMillis(v);
    if (ms == null || ms < minMs || ms > maxMs) {
      errors.add(
          path(key),
          "expected a duration such as \"500ms\", \"30s\" or \"2m\""
              + (minMs > 0 ? " of at least " + Durations.format(minMs) : "")
              + " and at most "
              + Durations.format(maxMs)
              + ", got "
              + show(v));
      return def;
    }
    return ms;
  }

  public List<String> strings(String key) {
    return strings(key, false);
  }

  /** {@link #strings} of secrets (bearer tokens): an error shows no value. */
  public List<String> secrets(String key) {
    return strings(key, true);
  }

  private List<String> strings(String key, boolean secret) {
    Object v = json.getValue(key);
    List<String> out = new ArrayList<>();
    if (v == null) return out;
    if (v instanceof String s) { // comma-separated, as environment overrides give it
      for (String part : s.split(",")) if (!part.isBlank()) out.add(part.trim());
      return out;
    }
    if (v instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        Object item = a.getValue(i);
        if (item instanceof String s && !s.isBlank()) out.add(s);
        else
          errors.add(
              path(key) + "[" + i + "]",
              "expected a non-empty string"
                  + (secret ? " (the value is not shown: it is a secret)" : ", got " + show(item)));
      }
      return out;
    }
    errors.add(
        path(key),
        "expected an array of strings"
            + (secret ? " (the value is not shown: it is a secret)" : ", got " + show(v)));
    return out;
  }

  public ConfReader child(String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof JsonObject)) {
      errors.add(path(key), "expected an object, got " + show(v));
      v = null;
    }
    return new ConfReader((JsonObject) v, path(key), errors);
  }

  public JsonObject json() {
    return json;
  }

  private static Long asLong(Object v) {
    if (v instanceof Number n) return n.doubleValue() == n.longValue() ? n.longValue() : null;
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static String show(Object v) {
    if (v instanceof String s) return "\"" + s + "\"";
    String text = String.valueOf(v);
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
