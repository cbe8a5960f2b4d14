package io.vertiq.schedule;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Parsed specs by queue, name and stored text: a schedule that fires every second is not parsed
 * (its cron compiled) every second. Bounded: cleared when it holds more than {@link #MAX}.
 */
final class SpecCache {
  static final int MAX = 100_000;

  private record Parsed(String text, ScheduleSpec spec) {}

  private final Map<String, Parsed> byName = new HashMap<>();

  ScheduleSpec get(String queue, String name, String text) {
    String key = queue + "\0" + name;
    Parsed p = byName.get(key);
    if (p != null && p.text().equals(text)) return p.spec();
    if (byName.size() >= MAX) byName.clear();
    ScheduleSpec spec = ScheduleSpec.parse(new JsonObject(text), "schedules." + name);
    byName.put(key, new Parsed(text, spec));
    return spec;
  }
}
