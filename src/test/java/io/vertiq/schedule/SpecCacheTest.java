package io.vertiq.schedule;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SpecCacheTest {
  @Test
  void aSpecIsParsedOnceUntilItsStoredTextChanges() {
    SpecCache cache = new SpecCache();
    String every = new JsonObject().put("every", "1s").put("job", new JsonObject()).encode();
    ScheduleSpec first = cache.get("q", "s", every);
    assertSame(first, cache.get("q", "s", every));
    assertNotSame(first, cache.get("other", "s", every), "per queue");
    String changed = new JsonObject().put("every", "2s").put("job", new JsonObject()).encode();
    assertNotSame(first, cache.get("q", "s", changed));
  }
}
