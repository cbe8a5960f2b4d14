package io.vertiq.http;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.VertiqException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {
  @Test
  void acceptsJsonWithParametersAndRefusesAnythingElseNamingTheHeader() {
    JsonBodies.checkContentType("application/json");
    JsonBodies.checkContentType("Application/JSON; charset=utf-8");
    for (String bad :
        new String[] {null, "text/plain", "application/jsonx", "application/json\0"}) {
      VertiqException e =
          assertThrows(VertiqException.class, () -> JsonBodies.checkContentType(bad));
      assertEquals(VertiqException.Code.UNSUPPORTED_MEDIA_TYPE, e.code());
      assertTrue(
          e.getMessage().startsWith("header Content-Type: expected application/json"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\0"), "control characters are shown escaped");
    }
  }

  @Test
  void aBodyThatIsNotJsonSaysWhereWithoutTheParsersInternals() {
    VertiqException e =
        assertThrows(
            VertiqException.class, () -> JsonBodies.checkSyntax(Buffer.buffer("{\"a\":\n x}")));
    assertEquals(VertiqException.Code.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().startsWith("body: not valid JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertFalse(e.getMessage().contains("Source"), e.getMessage());
    assertFalse(e.getMessage().contains("StreamReadFeature"), e.getMessage());
  }

  @Test
  void aValidBodyIsParsed() {
    assertEquals(new JsonObject().put("a", 1), JsonBodies.checkSyntax(Buffer.buffer("{\"a\":1}")));
  }
}
