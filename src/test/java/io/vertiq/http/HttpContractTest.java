package io.vertiq.http;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JSON the build writes is the YAML document, and the contract loads from it. */
class HttpContractTest {
  @Test
  void theBuildsJsonIsTheYamlDocument() throws Exception {
    String json;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(HttpContract.JSON_PATH)) {
      assertNotNull(in, HttpContract.JSON_PATH + " is on the classpath");
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    JsonObject yaml = HttpContract.fromYaml();
    assertEquals(yaml, new JsonObject(json));
    assertTrue(yaml.getJsonObject("paths").containsKey("/ready"), "a path of the document");
  }

  @Test
  void theContractLoadsWithEveryOperation() {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract c = await(HttpContract.load(vertx));
      assertNotNull(c.operation("enqueue"));
      assertNotNull(c.operation("ready"));
    } finally {
      await(vertx.close());
    }
  }
}
