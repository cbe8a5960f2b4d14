package io.vertiq;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A group's limits as the API takes them: bounds named by their key, the JSON round trip. */
class GroupLimitsTest {
  @Test
  void noneLeavesEverythingToTheQueueWithWeightOne() {
    GroupLimits none = GroupLimits.none();
    assertEquals(0, none.concurrency());
    assertEquals(0, none.rateMax());
    assertEquals(1, none.weight());
    assertEquals(new JsonObject().put("weight", 1), none.toJson());
  }

  @Test
  void eachBoundIsRefusedNamingItsKey() {
    assertTrue(msg(() -> GroupLimits.none().concurrency(0)).startsWith("concurrency:"));
    assertTrue(msg(() -> GroupLimits.none().weight(1_001)).startsWith("weight:"));
    assertTrue(
        msg(() -> GroupLimits.none().rateLimit(0, Duration.ofSeconds(1), false))
            .startsWith("rateLimit.max:"));
    assertTrue(
        msg(() -> GroupLimits.none().rateLimit(5, Duration.ofDays(2), false))
            .startsWith("rateLimit.per:"));
    assertEquals(
        "limits.rateLimit.smooth: expected true or false",
        msg(
            () ->
                GroupLimits.fromJson(
                    new JsonObject(
                        "{\"rateLimit\": {\"max\": 1, \"per\": \"1s\", \"smooth\": \"yes\"}}"),
                    "limits")));
    assertEquals(
        "limits.rateLimit.max: expected a number",
        msg(
            () ->
                GroupLimits.fromJson(
                    new JsonObject("{\"rateLimit\": {\"per\": \"1s\"}}"), "limits")));
  }

  @Test
  void theJsonFormReadsBack() {
    GroupLimits l =
        GroupLimits.none().concurrency(3).rateLimit(500, Duration.ofMillis(1_500), true).weight(7);
    assertEquals(l, GroupLimits.fromJson(l.toJson(), "body"));
    assertEquals("1500ms", l.toJson().getJsonObject("rateLimit").getString("per"));
    assertEquals(l.hashCode(), GroupLimits.fromJson(l.toJson(), "body").hashCode());
  }

  private static String msg(Runnable r) {
    return assertThrows(VertiqException.class, r::run).getMessage();
  }
}
