package io.vertiq.config;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.core.StoredRetry;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void exponentialDoublesUpToTheCap() {
    RetryPolicy p = new RetryPolicy(10, RetryPolicy.Backoff.EXPONENTIAL, 100, 1_000, 0);
    assertEquals(100, p.delayAfter(1));
    assertEquals(200, p.delayAfter(2));
    assertEquals(400, p.delayAfter(3));
    assertEquals(1_000, p.delayAfter(5));
    assertEquals(1_000, p.delayAfter(60));
  }

  @Test
  void jitterStaysWithinItsSpread() {
    RetryPolicy p = new RetryPolicy(10, RetryPolicy.Backoff.FIXED, 1_000, 10_000, 0.2);
    for (int i = 0; i < 1_000; i++) {
      long d = p.delayAfter(1);
      assertTrue(d >= 800 && d <= 1_200, "delay " + d);
    }
  }

  @Test
  void exhaustedAfterTheLastAttempt() {
    RetryPolicy p = new RetryPolicy(3, RetryPolicy.Backoff.FIXED, 0, 0, 0);
    assertFalse(p.exhausted(2));
    assertTrue(p.exhausted(3));
  }

  @Test
  void aJobsOwnPartsFollowTheQueueForTheRest() {
    RetryPolicy queue = new RetryPolicy(5, RetryPolicy.Backoff.FIXED, 700, 9_000, 0.1);
    RetryPolicy job = StoredRetry.retryPolicy("2::::", queue);
    assertEquals(2, job.attempts());
    assertEquals(700, job.delayMs());
    assertEquals(RetryPolicy.Backoff.FIXED, job.backoff());
    assertEquals(queue, StoredRetry.retryPolicy("", queue));
    assertEquals(
        new RetryPolicy(5, RetryPolicy.Backoff.FIXED, 700, 9_000, 0.1),
        queue,
        "a value: equal by its parts");
  }
}
