package io.vertiq.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class CancelSignalTest {
  @Test
  void aHandlerThatAskedBeforeTheCancelIsToldWhenItComes() {
    CancelSignal s = new CancelSignal();
    Future<Void> asked = s.future();
    assertFalse(asked.isComplete());
    assertFalse(s.seen());
    s.signal();
    assertTrue(asked.succeeded());
    assertTrue(s.seen());
  }

  @Test
  void aHandlerThatAsksAfterTheCancelFindsItDone() {
    CancelSignal s = new CancelSignal();
    s.signal();
    assertTrue(s.future().succeeded());
  }
}
