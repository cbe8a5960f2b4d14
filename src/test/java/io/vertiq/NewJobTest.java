package io.vertiq;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.config.ConfigErrors;
import io.vertiq.config.Durations;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Parsing and checking a job's options at their limits; no Redis. */
class NewJobTest {
  private static ConfigErrors parse(JsonObject json) {
    ConfigErrors errors = new ConfigErrors();
    NewJob.fromJson(json, "body", errors);
    return errors;
  }

  @Test
  void durationsAreTakenUpTo365DaysAndRefusedBeyondNamingTheField() {
    assertTrue(parse(new JsonObject().put("delay", "365d").put("timeout", "365d")).isEmpty());
    for (String key : new String[] {"delay", "timeout"}) {
      for (Object v :
          new Object[] {
            "366d", "99999999999999999999d", "9999999999999999d", 1e300, Long.MAX_VALUE
          }) {
        ConfigErrors e = parse(new JsonObject().put(key, v));
        assertEquals(1, e.size(), key + "=" + v);
        assertTrue(e.messages().get(0).startsWith("body." + key + ": "), e.messages().toString());
      }
    }
    assertThrows(
        VertiqException.class,
        () -> NewJob.of("t", new JsonObject()).setDelayMs(Durations.MAX_MS + 1).validateOptions());
    assertThrows(
        VertiqException.class,
        () -> NewJob.of("t", new JsonObject()).setTimeoutMs(Long.MAX_VALUE).validateOptions());
    NewJob.of("t", new JsonObject())
        .setDelayMs(Durations.MAX_MS)
        .setTimeoutMs(Durations.MAX_MS)
        .validateOptions();
  }

  @Test
  void runAtIsAnEpochAfter1970AndAtMost365DaysAhead() {
    long now = System.currentTimeMillis();
    assertTrue(parse(new JsonObject().put("runAt", now + 86_400_000L)).isEmpty());
    assertTrue(parse(new JsonObject().put("runAt", 1)).isEmpty(), "a time in the past runs now");
    for (Object v : new Object[] {0, -5, now + Durations.MAX_MS + 60_000, 1e300, 1.5, "tomorrow"}) {
      ConfigErrors e = parse(new JsonObject().put("runAt", v));
      assertEquals(1, e.size(), "runAt=" + v);
      assertTrue(
          e.messages().get(0).startsWith("body.runAt: expected epoch milliseconds"),
          e.messages().toString());
    }
    assertThrows(
        VertiqException.class,
        () -> NewJob.of("t", new JsonObject()).setRunAt(-1).validateOptions());
  }

  @Test
  void idempotencyKeysAreBounded() {
    assertTrue(parse(new JsonObject().put("idempotencyKey", "k".repeat(512))).isEmpty());
    assertThrows(
        VertiqException.class,
        () ->
            NewJob.of("t", new JsonObject()).setIdempotencyKey("k".repeat(513)).validateOptions());
    assertEquals(
        "body.idempotencyKey: expected a non-empty string, got 5",
        parse(new JsonObject().put("idempotencyKey", 5)).messages().get(0));
  }
}
