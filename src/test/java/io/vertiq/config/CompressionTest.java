package io.vertiq.config;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** queues.&lt;q&gt;.compression in the conf: off by default, defaults, errors by path; no Redis. */
class CompressionTest {
  private static QueueOptions q(String extra) {
    return new QueueOptions(
        new JsonObject("{\"handler\": \"noop\"}").mergeIn(new JsonObject(extra)));
  }

  @Test
  void offUnlessAskedAndTheDefaultsWhenAskedWithNothingElse() {
    Compression off = q("{}").compression();
    assertFalse(off.enabled());
    assertFalse(off.applies(100 * 1024 * 1024));
    assertNull(q("{}").toJson().getValue("compression"));
    Compression on = q("{\"compression\": {}}").compression();
    assertEquals(Compression.DEFAULT_THRESHOLD, on.threshold());
    assertEquals(Compression.DEFAULT_LEVEL, on.level());
    assertFalse(on.applies(Compression.DEFAULT_THRESHOLD));
    assertTrue(on.applies(Compression.DEFAULT_THRESHOLD + 1));
    Compression set = q("{\"compression\": {\"threshold\": 4096, \"level\": 9}}").compression();
    assertEquals(new Compression(4096, 9), set);
    assertEquals(
        new JsonObject().put("threshold", 4096).put("level", 9),
        q("{\"compression\": {\"threshold\": 4096, \"level\": 9}}")
            .toJson()
            .getJsonObject("compression"));
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    String[][] cases = {
      {"{\"compression\": {\"level\": 25}}", "compression.level: expected an integer from 1 to 19"},
      {
        "{\"compression\": {\"threshold\": 10}}",
        "compression.threshold: expected an integer from 64"
      },
      {"{\"compression\": {\"algorithm\": \"gzip\"}}", "compression.algorithm: unknown key"},
      {"{\"compression\": true}", "compression: expected an object"},
    };
    for (String[] c : cases) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> q(c[0]), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }
}
