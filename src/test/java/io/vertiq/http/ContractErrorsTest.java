package io.vertiq.http;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.ApiClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the validator's refusals of requests against openapi.yaml become: the JSON path or
 * parameter, then why.
 */
class ContractErrorsTest {
  private static Vertx vertx;
  private static RequestValidator validator;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    validator = RequestValidator.create(vertx, ApiClient.contract(vertx));
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static String refusal(String operation, String queue, String body) {
    Map<String, RequestParameter> path = new HashMap<>();
    path.put("queue", new RequestParameterImpl(queue));
    ValidatableRequest req =
        new ValidatableRequestImpl(
            new HashMap<>(),
            new HashMap<>(),
            path,
            new HashMap<>(),
            new RequestParameterImpl(Buffer.buffer(body)),
            "application/json");
    try {
      validator.validate(req, operation).toCompletionStage().toCompletableFuture().get();
      return null;
    } catch (Exception e) {
      return ContractErrors.message((ValidatorException) e.getCause());
    }
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedByItsPath() {
    assertEquals(
        "body.payload: expected a JSON object, got string",
        refusal("enqueue", "q", "{\"payload\":\"text\"}"));
  }

  @Test
  void aNumberOutOfItsBoundsSaysTheBound() {
    assertEquals(
        "body.priority: expected at most 1000, got 5000",
        refusal("enqueue", "q", "{\"priority\":5000}"));
  }

  @Test
  void aKeyTheSchemaDoesNotKnowIsUnknown() {
    assertEquals("body.nme: unknown key", refusal("enqueue", "q", "{\"nme\":1}"));
  }

  @Test
  void aNestedFieldOfAFlowIsNamedDownItsTree() {
    assertEquals(
        "body.children[0].job.priority: expected an integer, got string",
        refusal(
            "enqueueFlow",
            "q",
            "{\"queue\":\"a\",\"children\":[{\"queue\":\"b\",\"job\":{\"priority\":\"x\"}}]}"));
  }

  @Test
  void aBadQueueNameSaysWhatANameMayHold() {
    String m = refusal("enqueue", "bad name!", "{}");
    assertTrue(m.startsWith("path parameter queue: expected a queue name"), m);
  }

  @Test
  void aValidRequestPasses() {
    assertNull(refusal("enqueue", "q", "{\"name\":\"mail\",\"payload\":{},\"delay\":\"5s\"}"));
  }

  @Test
  void jsonPointersBecomePaths() {
    assertEquals("", ContractErrors.path("#"));
    assertEquals(".a[3].b~c/d", ContractErrors.path("#/a/3/b~0c~1d"));
  }
}
