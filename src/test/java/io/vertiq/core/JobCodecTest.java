package io.vertiq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The storage format read back in Java: a plain job's spec, a completed run, a job's own retry
 * policy, a job's hash.
 */
class JobCodecTest {
  @Test
  void aSpecSplitsAtItsFirstThreeSeparatorsSoTheNameKeepsAnyOfItsOwn() {
    JobCodec.Spec spec =
        JobCodec.spec("42\u00001795941202142\u0000{\"a\":\"\\u0000\"}\u0000odd\u0000name");
    assertEquals(
        new JobCodec.Spec("42", 1795941202142L, "{\"a\":\"\\u0000\"}", "odd\u0000name"), spec);
  }

  @Test
  void aSpecCarriesTheGroupOfAJobWhoseOnlyOptionItIs() {
    JobCodec.Spec spec =
        JobCodec.spec(
            "42\u00001795941202142\u0000\u0001tenant-7\u0000{\"a\":1}\u0000odd\u0000name");
    assertEquals(
        new JobCodec.Spec(
            "42", 1795941202142L, "tenant-7", null, null, "{\"a\":1}", "odd\u0000name"),
        spec);
    assertEquals("tenant-7", JobCodec.fetchedPlain("q", spec, 1L).group());
    assertThrows(
        IllegalStateException.class,
        () -> JobCodec.spec("42\u00001795941202142\u0000\u0001tenant"));
  }

  @Test
  void aSpecCarriesTheParentOfAFlowsJobWhoseOnlyLinkItIs() {
    JobCodec.Spec spec =
        JobCodec.spec("43\u00001795941202142\u0000\u0002reports\u00007\u0000{}\u0000part");
    assertEquals(new JobCodec.Spec("43", 1795941202142L, null, "reports", "7", "{}", "part"), spec);
    JobImpl job = JobCodec.fetchedPlain("q", spec, 1L);
    assertEquals("reports", job.parentQueue());
    assertEquals("7", job.parentId());
    assertEquals(
        new JsonObject().put("queue", "reports").put("id", "7"),
        job.toJson().getJsonObject("parent"));
  }

  @Test
  void aCompletedRunReadsBackAsItWasWritten() {
    String record = JobCodec.completed(3, "1795941202142", "{\"ok\":[1,2]}");
    assertEquals(
        new JobCodec.Completed(3, 1795941202142L, "{\"ok\":[1,2]}"), JobCodec.completed(record));
  }

  @Test
  void aTruncatedValueIsRefusedWithWhatItWasMeantToBe() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> JobCodec.spec("42\u00001795941202142"));
    assertTrue(e.getMessage().startsWith("malformed job spec in Redis: 42"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> JobCodec.completed("3"));
  }

  @Test
  void aJobsOwnRetryPolicyIsShownAsTheApiTakesIt() {
    NewJob j =
        NewJob.of("t", new JsonObject())
            .setAttempts(5)
            .setBackoff(new JsonObject().put("type", "fixed").put("delay", "2s"));
    String stored = StoredRetry.retry(j);
    assertEquals(5, StoredRetry.attempts(stored));
    assertEquals(
        new JsonObject().put("type", "fixed").put("delay", "2s"), StoredRetry.backoff(stored));
    assertNull(
        StoredRetry.backoff(StoredRetry.retry(NewJob.of("t", new JsonObject()).setAttempts(2))));
    assertEquals("", StoredRetry.retry(NewJob.of("t", new JsonObject())));
    JobImpl job =
        JobCodec.fromHash("q", "7", JobState.DELAYED, Map.of("n", "t", "d", "{}", "r", stored));
    JsonObject json = job.toJson();
    assertEquals(5, json.getInteger("attempts"));
    assertEquals("fixed", json.getJsonObject("backoff").getString("type"));
    assertFalse(json.containsKey("retryPolicy"), "no stored form in the API: " + json.encode());
  }

  @Test
  void aCompletedJobDoesNotCarryAnEarlierAttemptsErrorAsItsOwn() {
    Map<String, String> h =
        Map.of(
            "n",
            "t",
            "d",
            "{}",
            "e",
            "boom",
            "et",
            "trace",
            "am",
            "1",
            "c",
            JobCodec.completed(2, "100", "\"ok\""),
            "ft",
            "200");
    assertNull(JobCodec.fromHash("q", "7", JobState.COMPLETED, h).error());
    assertEquals(
        "boom",
        JobCodec.fromHash("q", "7", JobState.DELAYED, Map.of("n", "t", "e", "boom", "am", "1"))
            .error());
  }
}
