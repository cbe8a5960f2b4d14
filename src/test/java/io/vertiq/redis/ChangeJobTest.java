package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** changeJob-6.lua through its Java type: the state a waiting job is left in, or why not. */
class ChangeJobTest {
  @Test
  void aWaitingJobIsChangedAndAMissingOneIsSaidSo() {
    try (VertiqHarness h = new VertiqHarness()) {
      String q = TestSupport.randomName("change");
      ChangeJob change = new ChangeJob(new Keys(h.prefix, q));
      String delayed =
          await(h.vertiq.queue(q).enqueue(NewJob.of("b", new JsonObject()).setDelayMs(60_000)))
              .id();
      String ready = await(h.vertiq.queue(q).enqueue(NewJob.of("a", new JsonObject()))).id();
      assertEquals(
          ChangeJob.Outcome.DELAYED,
          await(change.runAt(h.redis, ready, System.currentTimeMillis() + 60_000)));
      assertEquals(ChangeJob.Outcome.READY, await(change.promote(h.redis, delayed)));
      assertEquals(ChangeJob.Outcome.READY, await(change.priority(h.redis, delayed, 5)));
      assertEquals(ChangeJob.Outcome.MISSING, await(change.promote(h.redis, "999999")));
    }
  }
}
