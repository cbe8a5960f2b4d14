package io.vertiq.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a reload must do to go from the conf in force to a new one: which queues to add, redeploy or
 * remove.
 */
public record ConfigDiff(
    List<String> added,
    List<String> changed,
    List<String> removed,
    boolean redisChanged,
    boolean httpChanged,
    boolean otherChanged) {

  public static ConfigDiff between(VertiqOptions old, VertiqOptions neu) {
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    neu.queues()
        .forEach(
            (name, q) -> {
              QueueOptions before = old.queues().get(name);
              if (before == null) added.add(name);
              else if (!before.equals(q)) changed.add(name);
            });
    old.queues().keySet().stream().filter(n -> !neu.queues().containsKey(n)).forEach(removed::add);
    boolean other =
        old.maxPayloadBytes() != neu.maxPayloadBytes()
            || old.scanPeriodMs() != neu.scanPeriodMs()
            || old.maintenanceMs() != neu.maintenanceMs();
    return new ConfigDiff(
        added,
        changed,
        removed,
        !Objects.equals(old.redis(), neu.redis()),
        !Objects.equals(old.http(), neu.http()),
        other);
  }

  public boolean isEmpty() {
    return added.isEmpty()
        && changed.isEmpty()
        && removed.isEmpty()
        && !redisChanged
        && !httpChanged
        && !otherChanged;
  }
}
