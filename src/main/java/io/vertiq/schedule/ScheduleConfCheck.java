package io.vertiq.schedule;

import io.vertiq.config.ConfChecks;
import io.vertiq.config.ConfigErrors;
import io.vertx.core.json.JsonObject;

/**
 * Checks each schedule a queue's conf declares ("schedules.<name>") as the API checks one (see
 * ScheduleSpec).
 */
public final class ScheduleConfCheck implements ConfChecks.Check {
  @Override
  public String queueKey() {
    return "schedules";
  }

  @Override
  public void check(JsonObject entry, String path, ConfigErrors errors) {
    ScheduleSpec.read(entry, path, errors);
  }
}
