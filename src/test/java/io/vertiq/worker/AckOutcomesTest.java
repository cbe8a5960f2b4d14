package io.vertiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lease epoch a finish batch reports with: never newer than any of its runs', unknown for a
 * batch sent again.
 */
class AckOutcomesTest {
  private static void done(AckBatcher.Outcomes o, long epoch, String id) {
    o.add(epoch);
    o.done.addAll(List.of(id, "1", "1\0" + "0\0null"));
  }

  @Test
  void aBatchCarriesTheOldestEpochOfItsRunsAndAnEmptiedQueueForgetsIt() {
    AckBatcher.Outcomes pending = new AckBatcher.Outcomes();
    done(pending, 7, "a");
    done(pending, 5, "b");
    done(pending, 9, "c");
    AckBatcher.Outcomes first = pending.take(2);
    assertEquals(
        5, first.leaseEpoch, "the oldest run's epoch, so no run is trusted under a newer one");
    assertEquals(
        List.of("a", "b"), List.of(first.done.get(0), first.done.get(AckBatcher.DONE_STRIDE)));
    AckBatcher.Outcomes rest = pending.take(10);
    assertTrue(
        rest.leaseEpoch <= 9,
        "the rest may carry an older epoch (it only costs a lease read), never a newer");
    assertTrue(pending.isEmpty());
    done(pending, 12, "d");
    assertEquals(
        12,
        pending.take(10).leaseEpoch,
        "once emptied, earlier runs no longer hold the figure down");
  }

  @Test
  void aBatchPutBackAfterAnErrorIsSentWithNoEpochSoItsLeasesAreRead() {
    AckBatcher.Outcomes pending = new AckBatcher.Outcomes();
    done(pending, 3, "a");
    AckBatcher.Outcomes batch = pending.take(10);
    assertEquals(3, batch.leaseEpoch);
    done(pending, 4, "b");
    pending.putBack(batch); // its call failed: Redis may have stored it all the same
    AckBatcher.Outcomes again = pending.take(10);
    assertEquals(WorkerStore.UNKNOWN_EPOCH, again.leaseEpoch);
    assertEquals(2, again.size());
  }
}
