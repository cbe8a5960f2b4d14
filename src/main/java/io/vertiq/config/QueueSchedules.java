package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A queue's schedules in the conf (queues.&lt;q&gt;.schedules): each name checked as a queue name
 * is, each spec checked by the schedule package (through {@link ConfChecks}), kept as given.
 */
final class QueueSchedules {
  private QueueSchedules() {}

  /** The schedules by name, in name order; errors go to the reader's list. */
  static Map<String, JsonObject> read(ConfReader r) {
    ConfReader sched = r.child("schedules");
    Map<String, JsonObject> found = new TreeMap<>();
    for (String name : sched.json().fieldNames()) {
      if (!VertiqOptions.QUEUE_NAME
          .matcher(name)
          .matches()) { // a schedule's name takes a queue name's characters
        r.errors()
            .add(
                sched.path(name),
                "invalid schedule name (expected 1 to 128 characters of A-Z a-z 0-9 . _ : -)");
        continue;
      }
      Object spec = sched.json().getValue(name);
      if (!(spec instanceof JsonObject o)) {
        r.errors().add(sched.path(name), "expected a schedule object");
        continue;
      }
      ConfChecks.check(
          "schedules", o, sched.path(name), r.errors()); // the schedule package's check
      found.put(name, o.copy());
    }
    return Collections.unmodifiableMap(found);
  }
}
