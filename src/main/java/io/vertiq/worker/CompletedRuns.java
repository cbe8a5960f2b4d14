package io.vertiq.worker;

import io.vertiq.config.Compression;
import io.vertiq.core.JobCodec;
import io.vertiq.redis.FinishJobs;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A completed run's entry for finishJobs: its record as text, or, when its result is over the
 * queue's compression threshold, with the result as a zstd frame (see io.vertiq.redis.StoredText).
 */
final class CompletedRuns {
  private CompletedRuns() {}

  static void add(
      List<String> done,
      String id,
      String token,
      int attempt,
      String startedAt,
      String resultJson,
      Compression c) {
    // UTF-8 takes at most 3 bytes per char: a shorter result cannot be over the threshold
    if (c.enabled() && resultJson != null && resultJson.length() * 3L > c.threshold()) {
      byte[] utf8 = resultJson.getBytes(StandardCharsets.UTF_8);
      if (c.applies(utf8.length)) {
        FinishJobs.done(done, id, token, JobCodec.completed(attempt, startedAt, utf8, c.level()));
        return;
      }
    }
    FinishJobs.done(done, id, token, JobCodec.completed(attempt, startedAt, resultJson));
  }
}
