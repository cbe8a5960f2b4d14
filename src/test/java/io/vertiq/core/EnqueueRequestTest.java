package io.vertiq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.EnqueueResult;
import io.vertiq.VertiqException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One enqueue as HTTP and the event bus take it: a job or a bulk, every problem named by its path.
 */
class EnqueueRequestTest {
  @Test
  void anObjectIsOneJobAndAnArrayABulk() {
    EnqueueRequest one =
        EnqueueRequest.parse(new JsonObject().put("name", "mail").put("priority", 5), "body");
    assertFalse(one.bulk());
    assertEquals("mail", one.jobs().get(0).name());
    EnqueueRequest many =
        EnqueueRequest.parse(new JsonArray().add(new JsonObject()).add(new JsonObject()), "body");
    assertTrue(many.bulk());
    assertEquals(2, many.jobs().size());
  }

  @Test
  void everyProblemIsNamedByItsPath() {
    VertiqException e =
        assertThrows(
            VertiqException.class,
            () ->
                EnqueueRequest.parse(
                    new JsonArray()
                        .add(new JsonObject())
                        .add(new JsonObject().put("priority", 5000))
                        .add("x"),
                    "body"));
    assertTrue(e.getMessage().contains("body[1].priority"), e.getMessage());
    assertTrue(e.getMessage().contains("body[2]: expected a job object"), e.getMessage());
    assertTrue(
        assertThrows(VertiqException.class, () -> EnqueueRequest.parse(new JsonArray(), "body"))
            .getMessage()
            .contains("expected at least one job"));
    assertTrue(
        assertThrows(VertiqException.class, () -> EnqueueRequest.parse("text", "body"))
            .getMessage()
            .startsWith("body: expected a job object or an array"));
  }

  @Test
  void theReplySaysHowManyWereCreated() {
    EnqueueRequest one = EnqueueRequest.parse(new JsonObject(), "body");
    assertEquals(
        new JsonObject().put("id", "1").put("created", true),
        one.reply(List.of(new EnqueueResult("1", true))));
    List<EnqueueResult> results =
        List.of(new EnqueueResult("1", true), new EnqueueResult("2", false));
    assertEquals(1, EnqueueRequest.created(results));
    JsonObject bulk =
        EnqueueRequest.parse(new JsonArray().add(new JsonObject()).add(new JsonObject()), "body")
            .reply(results);
    assertEquals(1, bulk.getInteger("created"));
    assertEquals(2, bulk.getJsonArray("results").size());
  }
}
