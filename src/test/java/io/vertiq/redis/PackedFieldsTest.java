package io.vertiq.redis;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NUL-separated strings the scripts store (a plain job's spec, a completed run), read back in Java. */
class PackedFieldsTest {
  @Test
  void aSpecSplitsAtItsFirstThreeSeparatorsSoTheNameKeepsAnyOfItsOwn() {
    PlainSpec spec = PlainSpec.parse("42\u00001795941202142\u0000{\"a\":\"\\u0000\"}\u0000odd\u0000name");
    assertEquals(new PlainSpec("42", "1795941202142", "{\"a\":\"\\u0000\"}", "odd\u0000name"), spec);
  }

  @Test
  void aFetchsEntriesSplitInRunOrderWithAnEmptyEntryForEachJobSentAsItsHash() {
    String a = "7\u00001795941202142\u0000{\"t\":\"caf\u00e9 \u2603\"}\u0000odd\u0000n\u00e4me";
    String b = "8\u00001795941202143\u0000{}\u0000b";
    byte[] packed = join("", a, "", b, "");
    List<PlainSpec> entries = PlainSpec.unpack(packed);
    assertEquals(Arrays.asList(null, PlainSpec.parse(a), null, PlainSpec.parse(b), null), entries);
    assertEquals("odd\u0000n\u00e4me", entries.get(1).name(), "the name keeps its NUL and its non-ASCII letter");
    assertEquals(Arrays.asList((PlainSpec) null), PlainSpec.unpack(new byte[0]), "one job, sent as its hash");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PlainSpec.unpack(join(b, "9\u0000x")));
    assertTrue(e.getMessage().startsWith("malformed job spec in Redis: 9"), e.getMessage());
  }

  /** The entries as fetchJobs joins them: UTF-8, byte 255 between them. */
  private static byte[] join(String... entries) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < entries.length; i++) {
      if (i > 0) out.write(0xFF);
      out.writeBytes(entries[i].getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
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
