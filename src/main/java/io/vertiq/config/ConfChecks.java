package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Checks of parts of the conf that a feature package owns (a schedule's spec, say), contributed
 * through {@link ServiceLoader} so that config, the lowest layer, imports no feature and still
 * reports every problem of a conf at once, each with its JSON path.
 */
public final class ConfChecks {
  /** A feature's check of one part of the conf. */
  public interface Check {
    /** The part it checks: a key of a queue's conf, e.g. "schedules". */
    String queueKey();

    /**
     * Adds a line to {@code errors} for every problem of {@code entry} (one entry of that key),
     * found at {@code path}.
     */
    void check(JsonObject entry, String path, ConfigErrors errors);
  }

  private static final List<Check> CHECKS =
      ServiceLoader.load(Check.class).stream().map(ServiceLoader.Provider::get).toList();

  private ConfChecks() {}

  /** Runs every contributed check of a queue's {@code key} on one of its entries. */
  static void check(String key, JsonObject entry, String path, ConfigErrors errors) {
    for (Check c : CHECKS) if (c.queueKey().equals(key)) c.check(entry, path, errors);
  }
}
