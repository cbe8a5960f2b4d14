package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies environment variables and system properties over the conf file, later winning. Each
 * override has a documented name ({@code VERTIQ_REDIS_URL} / {@code -Dvertiq.redis.url}) mapped to
 * one JSON path.
 */
public final class ConfigOverrides {
  /**
   * Environment variable → JSON path. System properties use the path itself, prefixed with
   * "vertiq.".
   */
  public static final Map<String, String> ENV =
      Map.ofEntries(
          Map.entry("VERTIQ_REDIS_URL", "redis.url"),
          Map.entry("VERTIQ_REDIS_TYPE", "redis.type"),
          Map.entry("VERTIQ_REDIS_POOL_SIZE", "redis.poolSize"),
          Map.entry("VERTIQ_REDIS_PASSWORD", "redis.password"),
          Map.entry("VERTIQ_REDIS_KEY_PREFIX", "redis.keyPrefix"),
          Map.entry("VERTIQ_REDIS_STARTUP_TIMEOUT", "redis.startupTimeout"),
          Map.entry("VERTIQ_HTTP_HOST", "http.host"),
          Map.entry("VERTIQ_HTTP_PORT", "http.port"),
          Map.entry("VERTIQ_HTTP_ENABLED", "http.enabled"),
          Map.entry("VERTIQ_HTTP_AUTH_TOKENS", "http.auth.tokens"),
          Map.entry("VERTIQ_HTTP_AUTH_OPERATE_TOKENS", "http.auth.operateTokens"),
          Map.entry("VERTIQ_HTTP_AUTH_READ_TOKENS", "http.auth.readTokens"),
          Map.entry("VERTIQ_RELOAD_SCAN_PERIOD", "reload.scanPeriod"));

  private ConfigOverrides() {}

  /** A copy of {@code conf} with the overrides found in {@code env} and {@code props} applied. */
  public static JsonObject apply(
      JsonObject conf, Function<String, String> env, Function<String, String> props) {
    JsonObject out = conf.copy();
    for (Map.Entry<String, String> e : ENV.entrySet()) {
      String value = env.apply(e.getKey());
      if (value != null) put(out, e.getValue(), value);
    }
    for (String path : ENV.values()) {
      String value = props.apply("vertiq." + path);
      if (value != null) put(out, path, value);
    }
    return out;
  }

  public static JsonObject applySystem(JsonObject conf) {
    return apply(conf, System::getenv, System::getProperty);
  }

  private static void put(JsonObject root, String path, String value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = (JsonObject) child;
    }
    node.put(parts[parts.length - 1], value);
  }
}
