package io.vertiq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromTheFirstDelayUpToItsCeilingAndStartsOverAfterASuccess() {
    Backoff b = new Backoff(1_000);
    assertEquals(100, b.next());
    assertEquals(200, b.next());
    assertEquals(400, b.next());
    assertEquals(800, b.next());
    assertEquals(1_000, b.next());
    assertEquals(1_000, b.next());
    b.reset();
    assertEquals(Backoff.FIRST_MS, b.next());
  }

  @Test
  void theDefaultCeilingIsFiveSeconds() {
    Backoff b = new Backoff();
    long last = 0;
    for (int i = 0; i < 20; i++) last = b.next();
    assertEquals(Backoff.MAX_MS, last);
  }
}
