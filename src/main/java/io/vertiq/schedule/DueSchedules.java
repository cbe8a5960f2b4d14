package io.vertiq.schedule;

import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * dueSchedules-2.lua as a Java type: claims a queue's schedules whose next fire is within the lead,
 * for a while, so nodes split the fires; the reply decoded into a {@link Claim}.
 */
final class DueSchedules {
  /** A claimed schedule: its name, its fire time (ms) and its fires so far. */
  record Due(String name, long at, long firesSoFar) {}

  /**
   * What a call claimed: Redis time (0 when the queue has no schedule), the earliest fire beyond
   * the lead (-1: none), the claim's end, and the schedules claimed.
   */
  record Claim(long now, long ahead, long claimEnd, List<Due> due) {}

  private final List<String> keys;

  DueSchedules(Keys k) {
    this.keys = List.of(k.scheduleNext(), k.scheduleState());
  }

  /** Claims up to {@code most} fires due before now + {@code leadMs}, for {@code claimMs}. */
  Future<Claim> run(Redis redis, int most, long claimMs, long leadMs) {
    return Scripts.run(
            redis,
            Scripts.DUE_SCHEDULES,
            keys,
            List.of(Integer.toString(most), Long.toString(claimMs), Long.toString(leadMs)))
        .map(DueSchedules::claim);
  }

  private static Claim claim(Response r) {
    List<Due> due = new ArrayList<>();
    for (int i = 3; i + 2 < r.size(); i += 3) {
      due.add(
          new Due(
              r.get(i).toString(),
              (long) Double.parseDouble(r.get(i + 1).toString()),
              r.get(i + 2).toLong()));
    }
    return new Claim(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong(), due);
  }
}
