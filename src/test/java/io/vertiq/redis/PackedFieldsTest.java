package io.vertiq.redis;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The NUL-separated strings the scripts store (a plain job's spec, a completed run), read back in Java. */
class PackedFieldsTest {
  @Test
  void aSpecSplitsAtItsFirstThreeSeparatorsSoTheNameKeepsAnyOfItsOwn() {
    PlainSpec spec = PlainSpec.parse("42\u00001795941202142\u0000{\"a\":\"\\u0000\"}\u0000odd\u0000name");
    assertEquals(new PlainSpec("42", 1795941202142L, "{\"a\":\"\\u0000\"}", "odd\u0000name"), spec);
  }

  @Test
  void aCompletedRunReadsBackAsItWasWritten() {
    String record = CompletedRecord.of(3, "1795941202142", "{\"ok\":[1,2]}");
    assertEquals(new CompletedRecord(3, 1795941202142L, "{\"ok\":[1,2]}"), CompletedRecord.parse(record));
  }

  @Test
  void aTruncatedValueIsRefusedWithWhatItWasMeantToBe() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PlainSpec.parse("42\u00001795941202142"));
    assertTrue(e.getMessage().startsWith("malformed job spec in Redis: 42"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> CompletedRecord.parse("3"));
  }
}
