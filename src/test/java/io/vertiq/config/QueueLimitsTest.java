package io.vertiq.config;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * A queue's limits in the conf: defaults, bad values named by their path, the JSON round trip; no
 * Redis.
 */
class QueueLimitsTest {
  private static QueueOptions q(JsonObject extra) {
    return new QueueOptions(new JsonObject().put("handler", "noop").mergeIn(extra));
  }

  @Test
  void noLimitsByDefaultAndTheConfRoundTrips() {
    assertFalse(q(new JsonObject()).limits().any());
    QueueOptions limited =
        q(
            new JsonObject()
                .put("rateLimit", new JsonObject().put("max", 100).put("per", "1s"))
                .put("globalConcurrency", 10));
    assertEquals(100, limited.limits().rateMax());
    assertEquals(1_000, limited.limits().ratePerMs());
    assertEquals(10, limited.limits().globalConcurrency());
    QueueOptions grouped =
        q(
            new JsonObject()
                .put(
                    "groups",
                    new JsonObject()
                        .put("concurrency", 2)
                        .put("rateLimit", new JsonObject().put("max", 5).put("per", "500ms"))));
    assertEquals(2, grouped.limits().groupConcurrency());
    assertEquals(5, grouped.limits().groupRateMax());
    assertEquals(500, grouped.limits().groupRatePerMs());
    assertEquals(grouped, new QueueOptions(grouped.toJson()), "group limits read back the same");
    assertEquals(limited, new QueueOptions(limited.toJson()), "toJson reads back the same");
    QueueOptions smooth =
        q(
            new JsonObject()
                .put(
                    "rateLimit",
                    new JsonObject().put("max", 50).put("per", "1s").put("smooth", true))
                .put(
                    "groups",
                    new JsonObject()
                        .put(
                            "rateLimit",
                            new JsonObject().put("max", 5).put("per", "1s").put("smooth", true))));
    assertTrue(smooth.limits().rateSmooth());
    assertTrue(smooth.limits().groupRateSmooth());
    assertFalse(limited.limits().rateSmooth(), "a window unless said");
    assertEquals(smooth, new QueueOptions(smooth.toJson()), "smooth reads back the same");
    assertNotEquals(
        limited, q(new JsonObject()), "a limit is part of the group's conf: a change redeploys it");
  }

  @Test
  void badLimitsAreRefusedNamingTheField() {
    String[][] cases = {
      {
        "{\"rateLimit\": {\"max\": 0, \"per\": \"1s\"}}",
        "rateLimit.max: expected an integer from 1"
      },
      {"{\"rateLimit\": {\"max\": 10}}", "rateLimit.per: expected the window"},
      {"{\"rateLimit\": {\"per\": \"1s\"}}", "rateLimit.max: expected the number of jobs"},
      {"{\"rateLimit\": {\"max\": 10, \"per\": \"2d\"}}", "rateLimit.per: expected a duration"},
      {
        "{\"rateLimit\": {\"max\": 10, \"per\": \"1s\", \"burst\": 3}}",
        "rateLimit.burst: unknown key"
      },
      {"{\"rateLimit\": 5}", "rateLimit: expected an object"},
      {"{\"globalConcurrency\": 0}", "globalConcurrency: expected an integer from 1"},
      {"{\"globalConcurrency\": \"many\"}", "globalConcurrency: expected a positive integer"},
      {"{\"groups\": {\"concurrency\": 0}}", "groups.concurrency: expected an integer from 1"},
      {"{\"groups\": {\"rateLimit\": {\"max\": 5}}}", "groups.rateLimit.per: expected the window"},
      {"{\"groups\": {\"fair\": true}}", "groups.fair: unknown key"},
    };
    for (String[] c : cases) {
      InvalidConfigException e =
          assertThrows(InvalidConfigException.class, () -> q(new JsonObject(c[0])), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }
}
