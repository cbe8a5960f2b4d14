package io.vertiq.server;

import io.vertiq.core.Features;
import io.vertiq.core.VertiqImpl;
import io.vertiq.flow.Flows;
import io.vertiq.limit.GroupStore;
import io.vertiq.schedule.ScheduleStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/** Builds the engine with every feature wired in: the one place core meets the feature packages. */
public final class Engines {
  /** Schedules, groups, flows and batches, as core calls them (see {@link Features}). */
  public static final Features ALL = new Features(ScheduleStore::new, GroupStore::new, Flows::new);

  private Engines() {}

  public static VertiqImpl create(
      Vertx vertx, Redis redis, String prefix, int maxPayloadBytes, long commandTimeoutMs) {
    return new VertiqImpl(vertx, redis, prefix, maxPayloadBytes, commandTimeoutMs)
        .withFeatures(ALL);
  }
}
