package io.vertiq.bench;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.RedisServerProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * bin/soak scaled down (20 s at 300 jobs/s) on a Redis of its own, whose memory figure is then the
 * soak's alone.
 */
class SoakSmokeTest {
  @Test
  void aShortSoakLosesNothingAndStaysFlat() throws Exception {
    try (RedisServerProcess own = RedisServerProcess.launch()) {
      JsonObject r = Soak.run(own.url(), 20, 300);
      System.out.println("SOAK " + r.encode());
      assertEquals(0, r.getLong("lost"), r.encode());
      assertTrue(r.getLong("enqueued") > 4_000, r.encode());
      assertTrue(r.getLong("dead") > 0, "the failing tenth ended dead: " + r.encode());
      assertTrue(r.getBoolean("heapFlat"), r.encode());
      assertTrue(r.getBoolean("redisFlat"), r.encode());
    }
  }
}
