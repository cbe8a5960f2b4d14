package io.vertiq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RetentionTest {
  @Test
  void eachConfFormParsesAndWritesBack() {
    assertEquals(Retention.NONE, Retention.parse("none"));
    assertEquals(Retention.ALL, Retention.parse("all"));
    assertEquals(Retention.count(1000), Retention.parse(1000));
    assertEquals(Retention.count(1000), Retention.parse("1000"));
    assertEquals(Retention.NONE, Retention.parse(0), "keeping 0 is keeping none");
    assertEquals(Retention.age(7 * 86_400_000L), Retention.parse("7d"));
    assertEquals("7d", Retention.parse("7d").toConf());
    assertEquals(1000L, Retention.parse(1000).toConf());
    assertEquals("age", Retention.parse("1h").mode());
  }

  @Test
  void aBadValueIsNamedByItsPathAndTheDefaultKept() {
    assertNull(Retention.parse(-1));
    assertNull(Retention.parse("forever"));
    ConfigErrors errors = new ConfigErrors();
    ConfReader r = new ConfReader(new JsonObject().put("completed", 1.5), "queues.q.keep", errors);
    assertEquals(Retention.ALL, Retention.read(r, "completed", Retention.ALL));
    assertEquals(1, errors.size());
    assertTrue(
        errors.messages().get(0).contains("queues.q.keep.completed"), errors.messages().toString());
  }
}
