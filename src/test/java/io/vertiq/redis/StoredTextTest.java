package io.vertiq.redis;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.BulkType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Values as Redis hands them back: plain text untouched, zstd frames found and decompressed. */
class StoredTextTest {
  private static final String JSON =
      "{\"lines\":[" + "{\"sku\":\"TSH-100\",\"qty\":2},".repeat(60) + "{}]}";

  private static Response bulk(byte[] bytes) {
    return BulkType.create(Buffer.buffer(bytes), false);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void plainTextIsReadAsItIs() {
    for (String s : new String[] {JSON, "", "é\u0000x", "1\u00002\u0000(\u00b5/\u00fd"}) {
      assertEquals(s, StoredText.text(bulk(utf8(s))));
      assertEquals(s, StoredText.anyText(bulk(utf8(s))));
    }
    assertNull(StoredText.text(null));
  }

  @Test
  void aCompressedValueIsDecompressedAndIsSmaller() {
    byte[] frame = StoredText.compress(utf8(JSON), utf8(JSON).length, 3);
    assertTrue(
        frame.length * 5 < utf8(JSON).length, "a repetitive document shrinks: " + frame.length);
    assertEquals(JSON, StoredText.text(bulk(frame)));
    assertEquals(JSON, StoredText.anyText(bulk(frame)));
  }

  @Test
  void aRecordWithACompressedResultKeepsItsHeader() {
    byte[] head = utf8("2\u00001764512525000\u0000");
    byte[] frame = StoredText.compress(utf8(JSON), utf8(JSON).length, 3);
    byte[] record = Buffer.buffer(head).appendBytes(frame).getBytes();
    assertEquals("2\u00001764512525000\u0000" + JSON, StoredText.anyText(bulk(record)));
    // only a whole compressed value is looked for where a payload is read
    assertNotEquals("2\u00001764512525000\u0000" + JSON, StoredText.text(bulk(record)));
  }

  @Test
  void onlyTheBytesAskedForAreCompressed() {
    byte[] longer = utf8(JSON + "tail that is not compressed");
    byte[] frame = StoredText.compress(longer, utf8(JSON).length, 3);
    assertEquals(JSON, StoredText.text(bulk(frame)));
  }
}
