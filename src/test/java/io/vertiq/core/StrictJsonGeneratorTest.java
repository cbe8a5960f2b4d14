package io.vertiq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.config.Compression;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What JSON cannot carry is refused when a payload is encoded, not stored as something else; no
 * Redis.
 */
class StrictJsonGeneratorTest {
  private static String encode(JsonObject payload) {
    try (EnqueueArgs args = new EnqueueArgs(1 << 20, Compression.OFF)) {
      args.add(NewJob.of("t", payload));
      byte[][] all = args.toArgs("p:");
      String plain =
          new String(
              all[5],
              StandardCharsets.UTF_8); // after the prefix, count, window, fires and flow parent
      return plain.substring(0, plain.indexOf('\0'));
    }
  }

  private static String refused(JsonObject payload) {
    return assertThrows(VertiqException.class, () -> encode(payload)).getMessage();
  }

  @Test
  void nonFiniteNumbersAreRefused() {
    assertTrue(
        refused(new JsonObject().put("a", Double.POSITIVE_INFINITY))
            .startsWith("payload: a number out of JSON's range"));
    assertTrue(
        refused(new JsonObject().put("a", new JsonArray().add(Double.NaN)))
            .contains("out of JSON's range"));
    assertTrue(
        refused(new JsonObject().put("a", Float.NEGATIVE_INFINITY))
            .contains("out of JSON's range"));
    assertEquals("{\"a\":1.0E300}", encode(new JsonObject().put("a", 1e300)));
  }

  @Test
  void loneSurrogatesAreRefusedInValuesAndNamesAndPairsPass() {
    assertTrue(
        refused(new JsonObject().put("a", "\ud800"))
            .contains("lone UTF-16 surrogate (\\ud800 at character 0)"));
    assertTrue(refused(new JsonObject().put("a", "x\ud800y")).contains("at character 1"));
    assertTrue(refused(new JsonObject().put("a", "x\udc00")).contains("\\udc00"));
    assertTrue(refused(new JsonObject().put("\udc00", 1)).contains("lone UTF-16 surrogate"));
    assertEquals("{\"a\":\"😀é\"}", encode(new JsonObject().put("a", "😀é")));
    NewJob text = new NewJob().setPayloadText("{\"a\":\"\ud800\"}");
    try (EnqueueArgs args = new EnqueueArgs(1 << 20, Compression.OFF)) {
      VertiqException e = assertThrows(VertiqException.class, () -> args.add(text));
      assertTrue(e.getMessage().contains("lone UTF-16 surrogate"), e.getMessage());
    }
  }
}
