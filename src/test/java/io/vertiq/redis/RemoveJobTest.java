package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** removeJob-14.lua through its Java type: each reply it gives on a job with no worker. */
class RemoveJobTest {
  @Test
  void deletesAndCancelsSayWhatTheyDid() {
    try (VertiqHarness h = new VertiqHarness()) {
      String q = TestSupport.randomName("remove");
      RemoveJob remove = new RemoveJob(new Keys(h.prefix, q));
      String ready = await(h.vertiq.queue(q).enqueue(NewJob.of("a", new JsonObject()))).id();
      String delayed =
          await(h.vertiq.queue(q).enqueue(NewJob.of("b", new JsonObject()).setDelayMs(60_000)))
              .id();
      String other = await(h.vertiq.queue(q).enqueue(NewJob.of("c", new JsonObject()))).id();
      assertEquals(RemoveJob.Outcome.DELETED, await(remove.delete(h.redis, ready)));
      assertEquals(RemoveJob.Outcome.MISSING, await(remove.delete(h.redis, ready)));
      assertEquals(RemoveJob.Outcome.DELETED_DELAYED, await(remove.cancel(h.redis, delayed)));
      assertEquals(RemoveJob.Outcome.DELETED, await(remove.cancel(h.redis, other)));
      assertEquals(RemoveJob.Outcome.MISSING, await(remove.cancel(h.redis, other)));
    }
  }
}
