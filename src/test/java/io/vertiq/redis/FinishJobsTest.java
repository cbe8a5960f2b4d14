package io.vertiq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The entries a worker writes for finishJobs-13.lua, in the order the script reads them. */
class FinishJobsTest {
  @Test
  void aCompletedRunIsItsIdTokenAndRecord() {
    List<String> done = new ArrayList<>();
    FinishJobs.done(done, "7", "1u", "record");
    assertEquals(List.of("7", "1u", "record"), done);
    assertEquals(FinishJobs.DONE_STRIDE, done.size());
  }

  @Test
  void aFailedRunCarriesTheWordItsOutcomeIsReadBy() {
    List<String> failed = new ArrayList<>();
    FinishJobs.failed(
        failed, "7", "2", FinishJobs.Failure.RETRY, "boom", "trace", 1_500, "1700000000000");
    FinishJobs.failed(
        failed, "8", "1", FinishJobs.Failure.DEFER_QUEUE, "later", "", 30_000, "1700000000001");
    assertEquals(2 * FinishJobs.FAILED_STRIDE, failed.size());
    assertEquals(
        List.of("7", "2", "r", "boom", "trace", "1500", "1700000000000"), failed.subList(0, 7));
    assertEquals("L", failed.get(9));
    assertEquals("30000", failed.get(12));
  }

  @Test
  void everyOutcomeHasADistinctWord() {
    List<String> words = new ArrayList<>();
    for (FinishJobs.Failure f : FinishJobs.Failure.values()) words.add(f.code);
    assertEquals(List.of("r", "l", "L", "d"), words);
  }
}
