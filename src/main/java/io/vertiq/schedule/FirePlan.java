package io.vertiq.schedule;

import io.vertiq.schedule.DueSchedules.Due;
import java.util.ArrayList;
import java.util.List;

/**
 * What one due schedule does in a pass: the fire times it enqueues now and its next fire time (-1:
 * none, its limit reached). On time, or late within the misfire bound, it fires once, at the time
 * it was due; after every node was down its policy chooses (skip, once, all up to its most).
 *
 * @param missed whether the fire was past the misfire bound (the policy chose)
 */
record FirePlan(List<Long> fires, long next, boolean missed) {
  static FirePlan of(Due d, ScheduleSpec spec, long now, long misfireMs) {
    boolean onTime = now - d.at() <= misfireMs;
    List<Long> fires = new ArrayList<>();
    if (onTime) {
      fires.add(d.at());
    } else {
      switch (spec.missed()) {
        case SKIP -> {}
        case ONCE -> fires.add(d.at());
        case ALL -> {
          for (long at = d.at();
              at >= 0 && at <= now && fires.size() < spec.maxMissed();
              at = spec.nextAfter(at)) fires.add(at);
        }
      }
    }
    long left = spec.limit() > 0 ? spec.limit() - d.firesSoFar() : Long.MAX_VALUE;
    while (fires.size() > left) fires.remove(fires.size() - 1);
    long last = fires.isEmpty() ? d.at() : fires.get(fires.size() - 1);
    // on time: the very next fire, even when it is due already, so a slow pass makes late fires,
    // not missed ones; after an outage the policy has chosen, and firing resumes from now
    long next =
        spec.limit() > 0 && d.firesSoFar() + fires.size() >= spec.limit()
            ? -1
            : spec.nextAfter(onTime ? last : Math.max(now, last));
    return new FirePlan(fires, next, !onTime);
  }
}
