package io.vertiq.observe;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.redis.RecordRunTimes;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunTimesTallyTest {
  private static Map<String, RecordRunTimes.Entry> byName(List<RecordRunTimes.Entry> entries) {
    return entries.stream().collect(Collectors.toMap(RecordRunTimes.Entry::name, e -> e));
  }

  @Test
  void countsEachNameApartWhetherRunsAlternateOrNot() {
    RunTimesTally t = new RunTimesTally();
    assertTrue(t.isEmpty());
    t.record("mail", 2_000_000, false); // 2 ms
    t.record("mail", 4_000_000, true);
    t.record("image", 100_000_000, false); // 100 ms
    t.record(new String("mail"), 2_000_000, false); // equal, not the same instance
    t.record(null, 1_000, false);
    Map<String, RecordRunTimes.Entry> got = byName(t.drain());
    assertEquals(3, got.get("mail").runs());
    assertEquals(1, got.get("mail").failures());
    assertEquals(8_000, got.get("mail").micros());
    assertEquals(2, got.get("mail").buckets()[RunTimeHistogram.bucket(2_000)]);
    assertEquals(1, got.get("image").runs());
    assertEquals(1, got.get("job").runs(), "a run without a name counts as \"job\"");
    assertTrue(t.isEmpty(), "drained");
    t.record("mail", 1_000_000, false);
    assertEquals(1, byName(t.drain()).get("mail").runs(), "counted from zero after a drain");
  }

  @Test
  void namesPastTheCapAreCountedAsOther() {
    RunTimesTally t = new RunTimesTally();
    for (int i = 0; i < RunTimesTally.MOST_NAMES + 10; i++) t.record("n" + i, 1_000, false);
    t.record("n3", 1_000, false);
    Map<String, RecordRunTimes.Entry> got = byName(t.drain());
    assertEquals(RunTimesTally.MOST_NAMES + 1, got.size());
    assertEquals(10, got.get("(other)").runs());
    assertEquals(2, got.get("n3").runs());
  }
}
