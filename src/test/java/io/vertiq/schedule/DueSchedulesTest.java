package io.vertiq.schedule;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.redis.Keys;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * dueSchedules-2.lua through its Java type: a due schedule claimed once, then held by the claim.
 */
class DueSchedulesTest {
  @Test
  void aScheduleWithinTheLeadIsClaimedAndTheClaimHoldsIt() {
    try (VertiqHarness h = new VertiqHarness()) {
      String q = TestSupport.randomName("due");
      await(
          h.vertiq
              .queue(q)
              .schedule(
                  "tick",
                  new JsonObject()
                      .put("every", "1m")
                      .put("job", new JsonObject().put("name", "t"))));
      DueSchedules due = new DueSchedules(new Keys(h.prefix, q));
      // a lead of two minutes takes in the next fire
      DueSchedules.Claim first = await(due.run(h.redis, 10, 180_000, 120_000));
      assertTrue(first.now() > 0);
      assertEquals(1, first.due().size());
      assertEquals("tick", first.due().get(0).name());
      assertTrue(first.claimEnd() >= first.now() + 180_000);
      // claimed: another node's pass finds nothing to fire
      assertEquals(0, await(due.run(h.redis, 10, 180_000, 120_000)).due().size());
    }
  }
}
