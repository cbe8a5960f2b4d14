package io.vertiq.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertiq.NewJob;
import io.vertiq.config.RetryPolicy;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StoredRetryTest {
  @Test
  void aJobWithoutItsOwnPolicyStoresNothingAndRunsWithItsQueues() {
    NewJob j = NewJob.of("a", new JsonObject());
    assertEquals("", StoredRetry.retry(j));
    RetryPolicy queue = RetryPolicy.defaults();
    assertEquals(queue, StoredRetry.retryPolicy("", queue));
    assertNull(StoredRetry.attempts(""));
    assertNull(StoredRetry.backoff(null));
  }

  @Test
  void thePartsAJobSetAreStoredAndReadBackOverTheQueues() {
    NewJob j =
        NewJob.of("a", new JsonObject())
            .setAttempts(7)
            .setBackoff(new JsonObject().put("type", "fixed").put("delay", "2s"));
    String stored = StoredRetry.retry(j);
    assertEquals("7:f:2000::", stored);
    assertEquals(7, StoredRetry.attempts(stored));
    assertEquals(
        new JsonObject().put("type", "fixed").put("delay", "2s"), StoredRetry.backoff(stored));
    RetryPolicy queue = RetryPolicy.defaults();
    RetryPolicy p = StoredRetry.retryPolicy(stored, queue);
    assertEquals(7, p.attempts());
    assertEquals(RetryPolicy.Backoff.FIXED, p.backoff());
    assertEquals(2000, p.delayMs());
    assertEquals(queue.maxMs(), p.maxMs(), "a part the job did not set is the queue's");
  }

  @Test
  void anUnreadableStoredPolicyFallsBackToTheQueues() {
    RetryPolicy queue = RetryPolicy.defaults();
    assertEquals(queue, StoredRetry.retryPolicy("x:y", queue));
    assertEquals(queue, StoredRetry.retryPolicy("a::::", queue));
  }
}
