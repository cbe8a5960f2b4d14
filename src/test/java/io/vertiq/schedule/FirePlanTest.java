package io.vertiq.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertiq.schedule.DueSchedules.Due;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirePlanTest {
  private static final long MIN = 60_000;
  private static final long ORIGIN = 1_700_000_040_000L; // a whole minute

  private static ScheduleSpec everyMinute(JsonObject more) {
    JsonObject json =
        new JsonObject().put("every", "1m").put("startAt", ORIGIN).put("job", new JsonObject());
    return ScheduleSpec.parse(json.mergeIn(more), "schedules.s");
  }

  @Test
  void aFireOnTimeIsMadeOnceAndTheNextFollowsIt() {
    long due = ORIGIN + 5 * MIN;
    FirePlan plan =
        FirePlan.of(new Due("s", due, 4), everyMinute(new JsonObject()), due + 200, 1_000);
    assertEquals(List.of(due), plan.fires());
    assertEquals(due + MIN, plan.next());
    assertFalse(plan.missed());
  }

  @Test
  void aFirePastTheMisfireBoundFollowsThePolicyAndResumesFromNow() {
    long due = ORIGIN + 5 * MIN;
    long now = due + 3 * MIN + 10; // three more fires passed while no node ran
    FirePlan skip = FirePlan.of(new Due("s", due, 0), everyMinute(new JsonObject()), now, 1_000);
    assertTrue(skip.missed());
    assertEquals(List.of(), skip.fires());
    assertEquals(due + 4 * MIN, skip.next(), "the next fire after now");
    FirePlan once =
        FirePlan.of(
            new Due("s", due, 0), everyMinute(new JsonObject().put("missed", "once")), now, 1_000);
    assertEquals(List.of(due), once.fires());
    FirePlan all =
        FirePlan.of(
            new Due("s", due, 0),
            everyMinute(new JsonObject().put("missed", "all").put("maxMissed", 3)),
            now,
            1_000);
    assertEquals(List.of(due, due + MIN, due + 2 * MIN), all.fires(), "at most maxMissed");
  }

  @Test
  void aScheduleAtItsLimitFiresWhatIsLeftAndThenNoMore() {
    long due = ORIGIN + 5 * MIN;
    ScheduleSpec limited = everyMinute(new JsonObject().put("limit", 3).put("missed", "all"));
    FirePlan last = FirePlan.of(new Due("s", due, 2), limited, due + 5 * MIN, 1_000);
    assertEquals(List.of(due), last.fires(), "one fire left of three");
    assertEquals(-1, last.next());
    FirePlan none = FirePlan.of(new Due("s", due, 3), limited, due, 1_000);
    assertEquals(List.of(), none.fires());
    assertEquals(-1, none.next());
  }
}
