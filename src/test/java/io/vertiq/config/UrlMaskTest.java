package io.vertiq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class UrlMaskTest {
  @Test
  void hidesThePasswordAndKeepsWhereItPoints() {
    String masked = UrlMask.mask("redis://app:s3cret@redis.internal:6380/2");
    assertFalse(masked.contains("s3cret"), masked);
    assertEquals(true, masked.contains("redis.internal:6380"), masked);
  }

  @Test
  void aUrlWithoutCredentialsIsUnchanged() {
    assertEquals("redis://127.0.0.1:6379", UrlMask.mask("redis://127.0.0.1:6379"));
  }

  @Test
  void aPasswordOnlyUrlIsMaskedToo() {
    assertFalse(UrlMask.mask("rediss://:tok3n@host:6379").contains("tok3n"));
  }
}
