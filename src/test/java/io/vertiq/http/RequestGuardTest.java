package io.vertiq.http;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class RequestGuardTest {
  @Test
  void aPathMustStartWithASlashAndHoldOnlyWholePercentEscapes() {
    assertNull(RequestGuard.problem("/queues/a%20b/jobs"));
    assertNotNull(RequestGuard.problem("queues"));
    assertNotNull(RequestGuard.problem(""));
    String bad = RequestGuard.problem("/queues/%zz");
    assertTrue(bad.contains("malformed percent-escape at character 8"), bad);
    assertNotNull(RequestGuard.problem("/queues/%2"));
  }

  @Test
  void aQueryIsCheckedTheSameWay() {
    assertNull(RequestGuard.escapes("query", null));
    assertNull(RequestGuard.escapes("query", "state=dead&limit=%31"));
    assertTrue(RequestGuard.escapes("query", "q=%g1").startsWith("the request query"));
  }
}
