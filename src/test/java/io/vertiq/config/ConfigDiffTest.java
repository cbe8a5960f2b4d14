package io.vertiq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {
  private static VertiqOptions conf(JsonObject queues) {
    return new VertiqOptions(new JsonObject().put("queues", queues));
  }

  private static JsonObject q(int concurrency) {
    return new JsonObject().put("handler", "noop").put("concurrency", concurrency);
  }

  @Test
  void theSameConfIsNoChange() {
    JsonObject queues = new JsonObject().put("a", q(5));
    assertTrue(ConfigDiff.between(conf(queues), conf(queues.copy())).isEmpty());
  }

  @Test
  void queuesAddedChangedAndRemovedAreNamedEachInItsList() {
    VertiqOptions old = conf(new JsonObject().put("a", q(5)).put("b", q(5)).put("c", q(5)));
    VertiqOptions neu = conf(new JsonObject().put("a", q(5)).put("b", q(6)).put("d", q(5)));
    ConfigDiff d = ConfigDiff.between(old, neu);
    assertEquals(List.of("d"), d.added());
    assertEquals(List.of("b"), d.changed());
    assertEquals(List.of("c"), d.removed());
    assertFalse(d.redisChanged());
    assertFalse(d.isEmpty());
  }

  @Test
  void aNewRedisOrHttpSectionIsAChangeOfItsOwn() {
    JsonObject queues = new JsonObject().put("a", q(5));
    VertiqOptions old = conf(queues);
    JsonObject moved = new JsonObject().put("queues", queues.copy());
    moved.put("redis", new JsonObject().put("url", "redis://127.0.0.1:6390"));
    ConfigDiff d = ConfigDiff.between(old, new VertiqOptions(moved));
    assertTrue(d.redisChanged());
    assertTrue(d.added().isEmpty() && d.changed().isEmpty() && d.removed().isEmpty());
    assertFalse(d.isEmpty());
  }
}
